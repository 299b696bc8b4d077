using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Reflection;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Dataphin.OpenApi.Testing;
using Dataphin.OpenApi.Tests.Support;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;

namespace Dataphin.OpenApi.Tests.Transport;

/// <summary>
/// A hostile gateway echoes the whole request (every header and the body) back in each shape an answer can take.
/// Whatever the shape, no 8 characters in a row of the AccessKey secret, the STS token or an attempt's signature
/// may reach the exception (message, ToString, any string property), the log output at Trace, or the spans.
/// </summary>
public sealed class SecretEchoTests
{
    private const long Tenant = 300007701;
    private const int Run = 8;

    // A 30-character AccessKey secret, as Alibaba Cloud issues them.
    private const string Secret = "kR7vQ2xWm9ZpL4tYb8NcH3sJd6FgA1";

    // A long STS token (644 characters) with '+', '/' and '=' in it, like the real ones.
    private static readonly string Token = MakeToken();

    public static TheoryData<string> Shapes => new(Echoes.Keys);

    private static readonly Dictionary<string, Func<Echo, FakeDataphinResponse>> Echoes = new()
    {
        // JSON fields written by System.Text.Json: '+' comes back as \u002B, '&' as \u0026.
        ["json-fields"] = e => Json(HttpStatusCode.BadRequest, JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["RequestId"] = e.Signature,
            ["HostId"] = Secret,
            ["Code"] = "InvalidParameter." + Token,
            ["Message"] = "EchoGateway saw: " + e.Dump,
            ["Recommend"] = "https://api.aliyun.com/troubleshoot?q=InvalidParameter&token=" + Uri.EscapeDataString(Token) + "&sig=" + e.Signature,
            ["AccessDeniedDetail"] = new Dictionary<string, string> { ["AuthPrincipalDisplayName"] = Secret, ["EncodedDiagnosticMessage"] = e.Dump },
        })),

        // JSON written by hand: every character of the secrets as \uXXXX, and '/' as '\/'.
        ["json-escaped"] = e => Json(HttpStatusCode.Forbidden,
            $"{{\"RequestId\":\"{UnicodeEscape(e.Signature)}\",\"HostId\":\"{UnicodeEscape(Secret)}\",\"Code\":\"Forbidden.{UnicodeEscape(Token)}\","
            + $"\"Message\":\"EchoGateway saw token {Token.Replace("/", "\\/", StringComparison.Ordinal)}\",\"Recommend\":\"{UnicodeEscape(e.Authorization)}\","
            + $"\"AccessDeniedDetail\":{{\"NoPermissionType\":\"{UnicodeEscape(Token)}\"}}}}"),

        // No RequestId in the body: it comes from the x-acs-request-id header, which carries the token.
        ["json-request-id-header"] = e => Json(HttpStatusCode.InternalServerError,
            "{\"Code\":\"InternalError\",\"Message\":\"EchoGateway failed\"}", ("x-acs-request-id", "REQ-" + Token)),

        // A throttling answer that is retried once: the retry log line shows the first attempt's request id.
        ["json-throttled-retry"] = e => Json(HttpStatusCode.BadRequest,
            JsonSerializer.Serialize(new Dictionary<string, string>
            {
                ["RequestId"] = Token,
                ["Code"] = "Throttling.User." + e.Signature,
                ["Message"] = "EchoGateway throttled " + e.Dump,
            }),
            ("x-acs-retry-after", "0")),

        // An HTML page: HTML-encoded, every '+', '/' and '=' as an entity, the token broken into lines by <br>.
        ["html"] = e => Text(HttpStatusCode.BadGateway,
            "<html><head><title>400 Bad Request</title></head><body><h1>EchoGateway</h1><pre>"
            + HtmlEntities(e.Dump.Replace(Token, "\u0001", StringComparison.Ordinal)).Replace("\u0001", string.Join("<br>\n", Chunks(Token, 50).Select(HtmlEntities)), StringComparison.Ordinal)
            + "</pre><p>secret: " + HtmlEntities(Secret) + "</p></body></html>",
            "text/html",
            ("x-acs-request-id", "REQ-1")),

        // Plain text, the token wrapped at 64 characters with CRLF, the way a PEM block is.
        ["text"] = e => Text(HttpStatusCode.BadRequest,
            "EchoGateway: bad request\r\n" + e.Dump.Replace(Token, string.Join("\r\n", Chunks(Token, 64)), StringComparison.Ordinal) + "\r\nsecret=" + Secret + "\r\n",
            "text/plain"),

        // Text where the token is broken into lines of 5 characters and the signature into pieces of 6 by <wbr> tags:
        // no piece is 8 characters long on its own.
        ["text-narrow-lines"] = e => Text(HttpStatusCode.BadRequest,
            "EchoGateway:\n" + string.Join("\n", Chunks(Token, 5)) + "\nsig " + string.Join("<wbr>", Chunks(e.Signature, 6)),
            "text/plain"),

        // A URL-encoded form: upper- and lower-case percent escapes, '+' for space, and the token encoded twice.
        ["form"] = e => Text(HttpStatusCode.BadRequest,
            "error=EchoGateway&token=" + Uri.EscapeDataString(Token)
            + "&token_lower=" + LowerPercent(Token)
            + "&token_twice=" + Uri.EscapeDataString(Uri.EscapeDataString(Token))
            + "&secret=" + WebUtility.UrlEncode(Secret)
            + "&authorization=" + WebUtility.UrlEncode(e.Authorization)
            + "&echo=" + WebUtility.UrlEncode(e.Dump),
            "application/x-www-form-urlencoded"),

        // Not JSON, the token starting at character 20 and running far past the 300-character cut.
        ["straddle-cut"] = e => Text(HttpStatusCode.BadRequest, "EchoGateway token: [" + Token + "] end", "text/plain"),

        // The token starting 11 characters before the cut.
        ["straddle-near-cut"] = e => Text(HttpStatusCode.BadRequest, "EchoGateway " + new string('.', 300 - 11 - 12) + Token, "text/plain"),

        // The token percent-encoded across the cut.
        ["straddle-cut-encoded"] = e => Text(HttpStatusCode.BadRequest, "EchoGateway " + new string('-', 230) + "token=" + Uri.EscapeDataString(Token), "text/plain"),

        // The gateway cut the token itself: only its first 250 characters come back, across the cut.
        ["straddle-partial-token"] = e => Text(HttpStatusCode.BadRequest, "EchoGateway " + new string(' ', 150) + Token[..250], "text/plain"),

        // The signature split across the cut.
        ["straddle-cut-signature"] = e => Text(HttpStatusCode.BadRequest, "EchoGateway " + new string('_', 300 - 12 - 30) + e.Signature, "text/plain"),
    };

    [Theory]
    [MemberData(nameof(Shapes))]
    public async Task A_gateway_echoing_the_request_never_gets_a_secret_into_errors_logs_or_spans(string shape)
    {
        Assert.Contains('+', Token);
        Assert.Contains('/', Token);
        Assert.True(Token.Length > 600);

        var logs = new FakeLogCollector();
        using var loggerFactory = LoggerFactory.Create(b => b.SetMinimumLevel(LogLevel.Trace).AddProvider(new FakeLoggerProvider(logs)));
        var spans = new ConcurrentQueue<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == DataphinTelemetry.SourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = spans.Enqueue,
        };
        ActivitySource.AddActivityListener(listener);

        var handler = Fake(request => Echoes[shape](new Echo(request)));
        using var client = TestClients.Create(handler, new DataphinCredential(TestClients.AccessKeyId, Secret, Token), o =>
        {
            o.LoggerFactory = loggerFactory;
            o.Retry.MaxAttempts = shape == "json-throttled-retry" ? 2 : 1;
        });

        var ex = await Assert.ThrowsAnyAsync<DataphinRequestException>(() => client.AddRegisterLineageAsync(Tenant, TestClients.ValidAddCommand()));

        // The check below is only worth something if the secrets did go out and did come back.
        Assert.NotEmpty(handler.Requests);
        Assert.All(handler.Requests, r => Assert.Equal(Token, r.Header("x-acs-security-token")));
        var signatures = handler.Requests.Select(r => new Echo(r).Signature).ToList();
        Assert.All(signatures, s => Assert.Matches("^[0-9a-f]{64}$", s));

        var secrets = new List<(string Name, string Value)> { ("AccessKey secret", Secret), ("STS token", Token) };
        secrets.AddRange(signatures.Select((s, i) => ($"signature of attempt {i + 1}", s)));

        var mine = spans.Where(a => Equals(a.GetTagItem("dataphin.tenant_id"), Tenant)).ToList();
        Assert.NotEmpty(mine);
        Assert.Contains(logs.GetSnapshot(), e => e.Id.Id == 2);
        if (shape == "json-throttled-retry")
        {
            Assert.IsType<DataphinThrottledException>(ex);
            Assert.Equal(2, handler.Requests.Count);
            Assert.Contains(logs.GetSnapshot(), e => e.Id.Id == 3);
        }

        AssertNoSecret("Exception.Message", ex.Message, secrets);
        AssertNoSecret("Exception.ToString()", ex.ToString(), secrets);
        foreach (var property in ex.GetType().GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.PropertyType == typeof(string)))
        {
            AssertNoSecret("Exception." + property.Name, (string?)property.GetValue(ex), secrets);
        }

        AssertNoSecret("the log output", LogText.All(logs), secrets);
        foreach (var span in spans)
        {
            var text = new StringBuilder().Append(span.DisplayName).Append(' ').Append(span.StatusDescription);
            foreach (var tag in span.TagObjects)
            {
                text.Append(' ').Append(tag.Key).Append('=').Append(Convert.ToString(tag.Value, CultureInfo.InvariantCulture));
            }

            foreach (var spanEvent in span.Events)
            {
                text.Append(' ').Append(spanEvent.Name);
                foreach (var tag in spanEvent.Tags)
                {
                    text.Append(' ').Append(tag.Key).Append('=').Append(Convert.ToString(tag.Value, CultureInfo.InvariantCulture));
                }
            }

            AssertNoSecret($"span '{span.DisplayName}'", text.ToString(), secrets);
        }

        // What is not secret is still there to diagnose the failure.
        Assert.Contains("EchoGateway", ex.Message + ex.ResponseSnippet, StringComparison.Ordinal);
        Assert.Contains($"HTTP {ex.Status}", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_parts_of_an_answer_that_hold_no_secret_are_kept_as_they_came()
    {
        var handler = Fake(_ => Json(HttpStatusCode.Forbidden,
            "{\"RequestId\":\"82E78D6B-AA8F-1FEF-8AA3-5C9DA2A79140\",\"HostId\":\"dataphin-public.cn-hangzhou.aliyuncs.com\",\"Code\":\"Forbidden.RAM\","
            + "\"Message\":\"User not authorized to operate on the specified resource.\",\"Recommend\":\"https://api.aliyun.com/troubleshoot?q=Forbidden.RAM&product=dataphin-public\","
            + "\"AccessDeniedDetail\":{\"PolicyType\":\"AccountLevelIdentityBasedPolicy\",\"AuthAction\":\"dataphin:AddRegisterLineage\"}}"));
        using var client = TestClients.Create(handler, new DataphinCredential(TestClients.AccessKeyId, Secret, Token));

        var ex = await Assert.ThrowsAsync<DataphinForbiddenException>(() => client.AddRegisterLineageAsync(Tenant, TestClients.ValidAddCommand()));

        Assert.Equal("82E78D6B-AA8F-1FEF-8AA3-5C9DA2A79140", ex.RequestId);
        Assert.Equal("dataphin-public.cn-hangzhou.aliyuncs.com", ex.HostId);
        Assert.Equal("Forbidden.RAM", ex.ErrorCode);
        Assert.Equal("User not authorized to operate on the specified resource.", ex.ServiceMessage);
        Assert.Equal("https://api.aliyun.com/troubleshoot?q=Forbidden.RAM&product=dataphin-public", ex.Recommend);
        Assert.Equal("{\"PolicyType\":\"AccountLevelIdentityBasedPolicy\",\"AuthAction\":\"dataphin:AddRegisterLineage\"}", ex.AccessDeniedDetail);
    }

    [Fact]
    public async Task Redaction_changes_what_an_error_shows_never_which_exception_is_raised()
    {
        // A weak test token shares "SecurityToken" with the code: the code loses it, the error stays an authentication error.
        const string token = "testSecurityToken-0001";
        var handler = Fake(_ => Json(HttpStatusCode.BadRequest,
            "{\"RequestId\":\"R-1\",\"Code\":\"InvalidSecurityToken.Expired\",\"Message\":\"The security token has expired.\"}"));
        using var client = TestClients.Create(handler, new DataphinCredential(TestClients.AccessKeyId, Secret, token));

        var ex = await Assert.ThrowsAsync<DataphinAuthenticationException>(() => client.AddRegisterLineageAsync(Tenant, TestClients.ValidAddCommand()));

        Assert.Equal("Invalid***.Expired", ex.ErrorCode);
        Assert.Contains("Check that the AccessKey belongs to a RAM user", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_successful_answer_echoing_the_token_does_not_carry_it_into_the_response_or_the_logs()
    {
        var logs = new FakeLogCollector();
        using var loggerFactory = LoggerFactory.Create(b => b.SetMinimumLevel(LogLevel.Trace).AddProvider(new FakeLoggerProvider(logs)));
        var handler = Fake(request => Json(HttpStatusCode.OK, JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["RequestId"] = "REQ-" + Token,
            ["Success"] = true,
            ["Code"] = "OK",
            ["Message"] = "EchoGateway saw " + new Echo(request).Signature,
        })));
        using var client = TestClients.Create(handler, new DataphinCredential(TestClients.AccessKeyId, Secret, Token), o => o.LoggerFactory = loggerFactory);

        var response = await client.AddRegisterLineageAsync(Tenant, TestClients.ValidAddCommand());

        var secrets = new List<(string, string)> { ("STS token", Token), ("signature", new Echo(handler.Requests[0]).Signature) };
        Assert.Equal("OK", response.Code);
        Assert.StartsWith("REQ-", response.RequestId, StringComparison.Ordinal);
        Assert.StartsWith("EchoGateway saw ", response.Message, StringComparison.Ordinal);
        AssertNoSecret("DataphinResponse.RequestId", response.RequestId, secrets);
        AssertNoSecret("DataphinResponse.Message", response.Message, secrets);
        AssertNoSecret("DataphinResponse.ToString()", response.ToString(), secrets);
        Assert.Contains(logs.GetSnapshot(), e => e.Id.Id == 1);
        AssertNoSecret("the log output", LogText.All(logs), secrets);
    }

    private static FakeDataphinTransport Fake(Func<FakeDataphinRequest, FakeDataphinResponse> answer)
    {
        var fake = new FakeDataphinTransport();
        fake.Respond(answer);
        return fake;
    }

    private static FakeDataphinResponse Json(HttpStatusCode status, string json, params (string Name, string Value)[] headers)
        => WithHeaders(FakeDataphinResponse.Json(status, json), headers);

    private static FakeDataphinResponse Text(HttpStatusCode status, string body, string mediaType = "text/html", params (string Name, string Value)[] headers)
        => WithHeaders(FakeDataphinResponse.Text(status, body, mediaType), headers);

    private static FakeDataphinResponse WithHeaders(FakeDataphinResponse response, (string Name, string Value)[] headers)
    {
        foreach (var (name, value) in headers)
        {
            response = response.WithHeader(name, value);
        }

        return response;
    }

    /// <summary>Fails when <paramref name="text"/>, as is or decoded, holds <see cref="Run"/> characters in a row of a secret. The message never shows the secret.</summary>
    private static void AssertNoSecret(string where, string? text, IReadOnlyList<(string Name, string Value)> secrets)
    {
        if (string.IsNullOrEmpty(text))
        {
            return;
        }

        foreach (var form in Forms(text))
        {
            foreach (var (name, value) in secrets)
            {
                for (var i = 0; i + Run <= value.Length; i++)
                {
                    var at = form.IndexOf(value.Substring(i, Run), StringComparison.OrdinalIgnoreCase);
                    Assert.False(at >= 0, $"{where} holds {Run} characters of the {name} (from its character {i}).");
                }
            }
        }
    }

    /// <summary>The text as is, and decoded from JSON, HTML and percent escapes (twice), with line breaks and &lt;br&gt; removed.</summary>
    private static IEnumerable<string> Forms(string text)
    {
        var once = Decode(text);
        var twice = Decode(once);
        foreach (var form in new[] { text, once, twice })
        {
            yield return form;
            yield return Regex.Replace(form, @"<br\s*/?>|\s", string.Empty, RegexOptions.IgnoreCase);
        }
    }

    private static string Decode(string text)
    {
        var json = Regex.Replace(text, @"\\u([0-9a-fA-F]{4})", m => ((char)int.Parse(m.Groups[1].Value, NumberStyles.HexNumber, CultureInfo.InvariantCulture)).ToString())
            .Replace("\\/", "/", StringComparison.Ordinal);
        return Uri.UnescapeDataString(WebUtility.HtmlDecode(json));
    }

    private static string MakeToken()
    {
        var bytes = new List<byte>();
        for (var i = 0; bytes.Count < 478; i++)
        {
            bytes.AddRange(SHA256.HashData(Encoding.UTF8.GetBytes("dataphin-sts-" + i.ToString(CultureInfo.InvariantCulture))));
        }

        return "CAIS" + Convert.ToBase64String(bytes.Take(478).ToArray());
    }

    private static IEnumerable<string> Chunks(string text, int size)
    {
        for (var i = 0; i < text.Length; i += size)
        {
            yield return text.Substring(i, Math.Min(size, text.Length - i));
        }
    }

    private static string UnicodeEscape(string text) => string.Concat(text.Select(c => "\\u" + ((int)c).ToString("x4", CultureInfo.InvariantCulture)));

    private static string LowerPercent(string text)
        => string.Concat(text.Select(c => char.IsAsciiLetterOrDigit(c) ? c.ToString() : "%" + ((int)c).ToString("x2", CultureInfo.InvariantCulture)));

    private static string HtmlEntities(string text)
        => WebUtility.HtmlEncode(text).Replace("+", "&#43;", StringComparison.Ordinal).Replace("/", "&#x2F;", StringComparison.Ordinal).Replace("=", "&#61;", StringComparison.Ordinal);

    /// <summary>What the gateway saw: the request line, every header (the security token and the authorization first) and the body.</summary>
    private sealed class Echo(FakeDataphinRequest request)
    {
        public string Authorization { get; } = request.Header("authorization")!;

        public string Signature => Authorization.Split("Signature=")[1];

        public string Dump { get; } = $"POST {request.Uri.PathAndQuery}\n"
            + string.Join("\n", request.Headers.OrderBy(h => h.Key is "x-acs-security-token" or "authorization" ? 0 : 1).Select(h => h.Key + ": " + h.Value))
            + "\n\n" + request.BodyText;
    }
}
