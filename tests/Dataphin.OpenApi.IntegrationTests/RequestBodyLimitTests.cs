using System.Globalization;
using System.Net;
using System.Text.Json;
using Dataphin.OpenApi.IntegrationTests.Support;
using Dataphin.OpenApi.Testing;

namespace Dataphin.OpenApi.IntegrationTests;

/// <summary>
/// The emulator checks a request's headers, its signature included, before reading any of its body, and reads no
/// body over <see cref="DataphinEmulatorOptions.MaxRequestBodyBytes"/>: a hostile or broken client in CI cannot make
/// it buffer large bodies.
/// </summary>
public sealed class RequestBodyLimitTests
{
    /// <summary>29 MB, the size of the POSTs that made the emulator grow by 2 GB when it buffered bodies before authenticating.</summary>
    private const int AnnouncedBytes = 29 * 1000 * 1000;

    private static readonly GoldenRequest Golden = GoldenRequest.Load("v3-delete-register-lineage.json");

    private static Task<DataphinEmulator> StartPinnedAsync(int? maxBody = null)
    {
        var options = new DataphinEmulatorOptions
        {
            TimeProvider = new ManualTimeProvider(Golden.Date),
            AccessKeyId = Golden.AccessKeyId,
            AccessKeySecret = Golden.AccessKeySecret,
            DefaultTenantId = Golden.TenantId,
        };
        if (maxBody is { } cap)
        {
            options.MaxRequestBodyBytes = cap;
        }

        return DataphinEmulator.StartAsync(options);
    }

    /// <summary>The golden request's headers with Content-Length replaced; optionally one header changed.</summary>
    private static List<KeyValuePair<string, string>> GoldenHeaders(long contentLength, string? replace = null, string? with = null)
    {
        var headers = Golden.Headers
            .Where(h => !h.Key.Equals("content-length", StringComparison.OrdinalIgnoreCase))
            .Select(h => replace is not null && h.Key.Equals(replace, StringComparison.OrdinalIgnoreCase) ? new KeyValuePair<string, string>(h.Key, with!) : h)
            .ToList();
        headers.Add(new("Content-Length", contentLength.ToString(CultureInfo.InvariantCulture)));
        return headers;
    }

    [Fact]
    public async Task An_unsigned_29_MB_post_is_answered_before_the_client_has_sent_its_body()
    {
        await using var emulator = await DataphinEmulator.StartAsync();
        await using var connection = await RawHttp.ConnectAsync(emulator.Endpoint);

        // Announce 29 MB but send only the first kilobyte: an emulator that read the body first would never answer.
        await connection.SendAsync("POST", $"/?OpTenantId={emulator.DefaultTenantId}", [
            new("Host", emulator.Endpoint.Authority),
            new("x-acs-action", "AddRegisterLineage"),
            new("x-acs-version", "2023-06-30"),
            new("Content-Type", "application/x-www-form-urlencoded"),
            new("Content-Length", AnnouncedBytes.ToString(CultureInfo.InvariantCulture)),
        ], new byte[1024]);
        var response = await connection.ReceiveAsync();

        Assert.Equal(400, response.Status);
        Assert.Equal("IncompleteSignature", response.Code);
        Assert.Equal("close", response.Headers["connection"]);
        Assert.Equal(1024, connection.BodyBytesSent);
        var recorded = Assert.Single(emulator.Requests);
        Assert.Equal(0, recorded.BodyLength);
        Assert.Empty(recorded.Form);
    }

    [Theory]
    [InlineData("authorization", "ACS3-HMAC-SHA256 Credential=testAccessKeyId,SignedHeaders=content-type;host;x-acs-action;x-acs-content-sha256;x-acs-credentials-provider;x-acs-date;x-acs-signature-nonce;x-acs-version,Signature=0000000000000000000000000000000000000000000000000000000000000000", "SignatureDoesNotMatch")]
    [InlineData("authorization", "ACS3-HMAC-SHA256 Credential=LTAI5tNoSuchKey,SignedHeaders=content-type;host;x-acs-action;x-acs-content-sha256;x-acs-credentials-provider;x-acs-date;x-acs-signature-nonce;x-acs-version,Signature=9ea43eb054f92fc6aec856b0ddcd1fd0a3cf2d68d416f8ec2260265a4825a001", "InvalidAccessKeyId.NotFound")]
    [InlineData("x-acs-date", "2025-01-01 00:00:00", "InvalidTimeStamp.Format")]
    [InlineData("x-acs-content-sha256", "not-a-hash", "SignatureDoesNotMatch")]
    [InlineData("x-acs-signature-nonce", "", "IncompleteSignature")]
    public async Task A_29_MB_post_with_a_bad_signature_header_is_answered_from_its_headers_alone(string header, string value, string code)
    {
        await using var emulator = await StartPinnedAsync();
        await using var connection = await RawHttp.ConnectAsync(emulator.Endpoint);

        await connection.SendAsync("POST", Golden.RawUrl, GoldenHeaders(AnnouncedBytes, header, value), new byte[1024]);
        var response = await connection.ReceiveAsync();

        Assert.Equal(code, response.Code);
        Assert.Equal(0, Assert.Single(emulator.Requests).BodyLength);
    }

    [Fact]
    public async Task A_replayed_nonce_is_rejected_before_the_body_is_read()
    {
        await using var emulator = await StartPinnedAsync();
        using (var http = new HttpClient())
        {
            using var first = await http.SendAsync(Golden.ToMessage(emulator.Endpoint));
            Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        }

        await using var connection = await RawHttp.ConnectAsync(emulator.Endpoint);
        await connection.SendAsync("POST", Golden.RawUrl, GoldenHeaders(AnnouncedBytes), new byte[1024]);
        var response = await connection.ReceiveAsync();

        Assert.Equal("SignatureNonceUsed", response.Code);
        Assert.Equal(0, emulator.Requests[^1].BodyLength);
    }

    [Fact]
    public async Task A_body_that_was_read_but_does_not_match_its_hash_is_recorded_with_its_form()
    {
        await using var emulator = await StartPinnedAsync();
        using var http = new HttpClient();
        var tampered = Golden.Body.ToArray();
        tampered[^1] ^= 1;

        using var response = await http.SendAsync(Golden.ToMessage(emulator.Endpoint, tampered));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var recorded = Assert.Single(emulator.Requests);
        Assert.Equal("SignatureDoesNotMatch", recorded.Code);
        Assert.Equal(Golden.Body.Length, recorded.BodyLength);
        Assert.Contains(recorded.Form, f => f.Key == "DeleteRegisterLineageCommand");
    }

    [Fact]
    public async Task A_correctly_signed_post_announcing_a_body_over_the_cap_gets_413_without_its_body_being_read()
    {
        await using var emulator = await StartPinnedAsync();
        await using var connection = await RawHttp.ConnectAsync(emulator.Endpoint);

        await connection.SendAsync("POST", Golden.RawUrl, GoldenHeaders(DataphinEmulatorOptions.DefaultMaxRequestBodyBytes + 1), Golden.Body);
        var response = await connection.ReceiveAsync();

        Assert.Equal(413, response.Status);
        Assert.Equal("RequestBodyTooLarge", response.Code);
        Assert.Contains("10485760", response.Json.GetProperty("Message").GetString(), StringComparison.Ordinal);
        Assert.All(new[] { "RequestId", "HostId", "Message", "Recommend" }, name => Assert.True(response.Json.TryGetProperty(name, out _), name));
        Assert.Equal(response.Json.GetProperty("RequestId").GetString(), response.Headers["x-acs-request-id"]);
        var recorded = Assert.Single(emulator.Requests);
        Assert.Equal(0, recorded.BodyLength);
        Assert.Equal(413, recorded.Status);
        Assert.False(recorded.Applied);
    }

    [Fact]
    public async Task A_chunked_body_over_the_cap_gets_413_after_reading_at_most_one_byte_past_the_cap()
    {
        var cap = Golden.Body.Length - 36;
        await using var emulator = await StartPinnedAsync(cap);
        using var http = new HttpClient();

        using var response = await http.SendAsync(Golden.ToMessage(emulator.Endpoint, chunked: true));
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("RequestBodyTooLarge", body.GetProperty("Code").GetString());
        var recorded = Assert.Single(emulator.Requests);
        Assert.Equal(cap + 1, recorded.BodyLength);
        Assert.Empty(recorded.Form);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_body_of_exactly_the_cap_is_accepted(bool chunked)
    {
        await using var emulator = await StartPinnedAsync(Golden.Body.Length);
        using var http = new HttpClient();

        using var response = await http.SendAsync(Golden.ToMessage(emulator.Endpoint, chunked: chunked));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(Golden.Body.Length, Assert.Single(emulator.Requests).BodyLength);
    }

    [Fact]
    public async Task The_sdk_gets_a_typed_error_naming_the_status_and_code_when_its_body_is_over_the_cap()
    {
        await using var emulator = await DataphinEmulator.StartAsync(new DataphinEmulatorOptions { MaxRequestBodyBytes = 256 });
        using var client = Lineages.Client(emulator, configure: Lineages.SingleAttempt);

        var error = await Assert.ThrowsAsync<DataphinRequestException>(() => client.AddRegisterLineageAsync(emulator.DefaultTenantId, Lineages.Add(("a", "b"))));

        Assert.Equal(413, error.Status);
        Assert.Equal("RequestBodyTooLarge", error.ErrorCode);
        Assert.Empty(emulator.GetLineage(emulator.DefaultTenantId));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(DataphinEmulatorOptions.MaxRequestBodyBytesLimit + 1)]
    public async Task A_body_cap_out_of_range_is_refused_at_start(int cap)
    {
        var error = await Assert.ThrowsAsync<ArgumentException>(() => DataphinEmulator.StartAsync(new DataphinEmulatorOptions { MaxRequestBodyBytes = cap }));

        Assert.Contains("MaxRequestBodyBytes", error.Message, StringComparison.Ordinal);
    }
}
