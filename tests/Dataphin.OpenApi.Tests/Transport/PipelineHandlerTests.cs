using System.Net;
using System.Text;
using System.Text.Json;
using Dataphin.OpenApi.Internal;
using Dataphin.OpenApi.Testing;
using Dataphin.OpenApi.Tests.Support;

namespace Dataphin.OpenApi.Tests.Transport;

/// <summary>The request path as an <see cref="HttpMessageHandler"/>: the same validation, pipeline, signing and mapping as <see cref="DataphinClient.SendAsync"/>.</summary>
public sealed class PipelineHandlerTests
{
    private const long Tenant = 300001234;

    [Fact]
    public async Task The_official_clients_delete_vector_is_reproduced_byte_for_byte_through_the_handler()
    {
        var golden = JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Goldens", "v3-delete-register-lineage.json"))).RootElement;
        var request = golden.GetProperty("request");
        var credentials = golden.GetProperty("credentials");
        var goldenBody = Convert.FromBase64String(request.GetProperty("bodyBase64").GetString()!);
        var field = Encoding.ASCII.GetString(goldenBody).Split('=', 2);

        var recorder = new FakeDataphinTransport();
        using var client = new DataphinClient(recorder.CreateHttpClient(), new DataphinClientOptions
        {
            Endpoint = new Uri("https://" + request.GetProperty("headers").GetProperty("host").GetString()),
            Credential = new DataphinCredential(credentials.GetProperty("accessKeyId").GetString()!, credentials.GetProperty("accessKeySecret").GetString()!),
            TimeProvider = new ManualTimeProvider(DateTimeOffset.Parse(golden.GetProperty("fixed").GetProperty("date").GetString()!, System.Globalization.CultureInfo.InvariantCulture)),
        });
        client.CallInvoker.Attempts.NonceFactory = () => golden.GetProperty("fixed").GetProperty("nonce").GetString()!;
        using var http = new HttpClient(new DataphinPipelineHandler(client)) { BaseAddress = client.Endpoint };

        // The caller builds the form from the decoded field with DataphinFormContent: the official clients' encoding.
        using var message = new HttpRequestMessage(HttpMethod.Post, request.GetProperty("rawUrl").GetString())
        {
            Content = new DataphinFormContent([new(Uri.UnescapeDataString(field[0]), Uri.UnescapeDataString(field[1]))]),
        };
        message.Headers.Add(DataphinPipelineHandler.ActionHeader, golden.GetProperty("operation").GetProperty("action").GetString());
        using var response = await http.SendAsync(message);

        var sent = Assert.Single(recorder.Requests);
        Assert.Equal(goldenBody, sent.Body.ToArray());
        Assert.Equal(request.GetProperty("rawUrl").GetString(), sent.Uri.PathAndQuery);
        Assert.Equal(request.GetProperty("bodySha256").GetString(), sent.Header("x-acs-content-sha256"));
        Assert.Equal(golden.GetProperty("expected").GetProperty("authorization").GetString(), sent.Header("authorization"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal(FakeDataphinResponse.Success().BodyText, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_call_through_the_handler_sends_exactly_what_SendAsync_sends()
    {
        var recorder = new FakeDataphinTransport();
        using var client = TestClients.Create(recorder, configure: o => o.TimeProvider = new ManualTimeProvider(new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero)));
        client.CallInvoker.Attempts.NonceFactory = () => "00112233445566778899aabbccddeeff";
        using var http = new HttpClient(new DataphinPipelineHandler(client)) { BaseAddress = client.Endpoint };
        const string Json = "{\"Keyword\":\"订单 & more\",\"Path\":\"/a b\"}";

        var viaClient = await client.SendAsync(new DataphinOperationRequest("ListFiles", Tenant).AddQuery("Env", "PROD").AddQuery("Keyword", "a b+c/é").AddForm("ListFilesQuery", Json));
        using var message = new HttpRequestMessage(HttpMethod.Post, $"?OpTenantId={Tenant}&Env=PROD&Keyword={Uri.EscapeDataString("a b+c/é")}")
        {
            Content = new DataphinFormContent([new("ListFilesQuery", Json)]),
        };
        message.Headers.Add("x-acs-action", "ListFiles");
        using var viaHandler = await http.SendAsync(message);

        Assert.Equal(2, recorder.Requests.Count);
        var (first, second) = (recorder.Requests[0], recorder.Requests[1]);
        Assert.Equal(first.Uri, second.Uri);
        Assert.Equal(first.Body.ToArray(), second.Body.ToArray());
        Assert.Equal(first.Headers.OrderBy(h => h.Key, StringComparer.Ordinal), second.Headers.OrderBy(h => h.Key, StringComparer.Ordinal));
        Assert.Equal(viaClient.Content.GetRawText(), await viaHandler.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_body_encoded_differently_is_sent_and_signed_exactly_as_given()
    {
        var recorder = new FakeDataphinTransport();
        using var client = TestClients.Create(recorder);
        using var http = new HttpClient(new DataphinPipelineHandler(client)) { BaseAddress = client.Endpoint };
        using var form = new FormUrlEncodedContent([new("ListFilesQuery", "{\"Keyword\":\"a b!\"}")]);
        var given = await form.ReadAsByteArrayAsync();
        Assert.Contains("+", Encoding.ASCII.GetString(given), StringComparison.Ordinal);
        Assert.NotEqual(given, await new DataphinFormContent([new("ListFilesQuery", "{\"Keyword\":\"a b!\"}")]).ReadAsByteArrayAsync());

        using var message = new HttpRequestMessage(HttpMethod.Post, $"?OpTenantId={Tenant}") { Content = form };
        message.Headers.Add("x-acs-action", "ListFiles");
        using var response = await http.SendAsync(message);

        var sent = Assert.Single(recorder.Requests);
        Assert.Equal(given, sent.Body.ToArray());
        Assert.Equal(HexEncoding.Sha256Hex(given), sent.Header("x-acs-content-sha256"));
        Assert.Equal(ClientBehaviourTests.ExpectedAuthorization(sent, TestClients.AccessKeySecret), sent.Header("authorization"));
    }

    [Fact]
    public async Task A_request_without_x_acs_action_is_rejected_before_anything_is_sent()
    {
        var recorder = new FakeDataphinTransport();
        using var client = TestClients.Create(recorder);
        using var http = new HttpClient(new DataphinPipelineHandler(client)) { BaseAddress = client.Endpoint };
        using var message = new HttpRequestMessage(HttpMethod.Post, $"?OpTenantId={Tenant}") { Content = new DataphinFormContent([new("ListFilesQuery", "{}")]) };

        var error = await Assert.ThrowsAsync<DataphinValidationException>(() => http.SendAsync(message));

        var problem = Assert.Single(error.Errors);
        Assert.Equal(("x-acs-action", DataphinValidationRules.Required), (problem.Path, problem.Rule));
        Assert.Contains("x-acs-action header must name the operation", error.Message, StringComparison.Ordinal);
        Assert.Empty(recorder.Requests);
    }

    public static TheoryData<string, string, string> MalformedRequests() => new()
    {
        { "no tenant", "OpTenantId", DataphinValidationRules.Required },
        { "tenant zero", "OpTenantId", DataphinValidationRules.Positive },
        { "tenant spelt in lower case", "Query[0]", DataphinValidationRules.InvalidText },
        { "tenant twice", "Query[1]", DataphinValidationRules.NotAllowed },
        { "action not a name", "x-acs-action", DataphinValidationRules.InvalidText },
        { "GET", "Method", DataphinValidationRules.NotAllowed },
        { "another host", "RequestUri", DataphinValidationRules.NotAllowed },
        { "a path", "RequestUri", DataphinValidationRules.NotAllowed },
        { "own x-acs-date", "x-acs-date", DataphinValidationRules.NotAllowed },
        { "own signature", "authorization", DataphinValidationRules.NotAllowed },
        { "other API version", "x-acs-version", DataphinValidationRules.NotAllowed },
        { "JSON body", "Content-Type", DataphinValidationRules.NotAllowed },
        { "body without content type", "Content-Type", DataphinValidationRules.Required },
        { "raw UTF-8 in the body", "Form[0]", DataphinValidationRules.Malformed },
        { "broken escape in the body", "Form[1]", DataphinValidationRules.Malformed },
        { "tenant in the body", "Form[0]", DataphinValidationRules.NotAllowed },
        { "field twice in the body", "Form[1]", DataphinValidationRules.NotAllowed },
        { "query name not a name", "Query[1]", DataphinValidationRules.InvalidText },
    };

    [Theory]
    [MemberData(nameof(MalformedRequests))]
    public async Task A_malformed_request_is_rejected_naming_the_field_and_rule_and_nothing_is_sent(string problem, string path, string rule)
    {
        var recorder = new FakeDataphinTransport();
        using var client = TestClients.Create(recorder);
        using var http = new HttpClient(new DataphinPipelineHandler(client)) { BaseAddress = client.Endpoint };
        using var message = Malformed(problem);

        var error = await Assert.ThrowsAsync<DataphinValidationException>(() => http.SendAsync(message));

        var only = Assert.Single(error.Errors);
        Assert.Equal((path, rule), (only.Path, only.Rule));
        Assert.Contains("nothing was sent", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(TestClients.AccessKeySecret, error.Message, StringComparison.Ordinal);
        Assert.Empty(recorder.Requests);
    }

    [Fact]
    public async Task A_typed_error_answer_is_thrown_as_the_typed_exception()
    {
        var recorder = new FakeDataphinTransport { Fallback = FakeDataphinResponse.Json(HttpStatusCode.Forbidden, "{\"RequestId\":\"REQ-403\",\"Code\":\"DataphinOpenApiForbidden\",\"Message\":\"no role\"}") };
        using var client = TestClients.Create(recorder);
        using var http = new HttpClient(new DataphinPipelineHandler(client)) { BaseAddress = client.Endpoint };

        var error = await Assert.ThrowsAsync<DataphinForbiddenException>(() => http.SendAsync(Request("ListFiles")));

        Assert.Equal((403, "DataphinOpenApiForbidden", "REQ-403"), (error.Status, error.ErrorCode, error.RequestId));
        Assert.Single(recorder.Requests);
    }

    [Fact]
    public async Task The_edition_gate_applies_and_sends_nothing()
    {
        var recorder = new FakeDataphinTransport();
        using var client = TestClients.Create(recorder, configure: o => o.Edition = DataphinEdition.Agile);
        using var http = new HttpClient(new DataphinPipelineHandler(client)) { BaseAddress = client.Endpoint };

        var error = await Assert.ThrowsAsync<DataphinEditionException>(() => http.SendAsync(Request("GetBizEntityInfo")));

        Assert.Equal(DataphinEdition.Intelligent, error.MinimumEdition);
        Assert.Empty(recorder.Requests);
    }

    [Fact]
    public void A_handler_made_from_options_checks_them_like_the_client_does()
    {
        using var handler = new DataphinPipelineHandler(new DataphinClientOptions { RegionId = "cn-shanghai", Credential = new DataphinCredential(TestClients.AccessKeyId, TestClients.AccessKeySecret) });
        Assert.Equal(new Uri("https://dataphin-public.cn-shanghai.aliyuncs.com/"), handler.Endpoint);

        var noCredential = Assert.Throws<ArgumentException>(() => new DataphinPipelineHandler(new DataphinClientOptions { RegionId = "cn-shanghai" }));
        Assert.Contains("No credential", noCredential.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_client_made_for_mocking_cannot_back_a_handler()
        => Assert.Throws<ArgumentException>(() => new DataphinPipelineHandler(new MockClient()));

    [Fact]
    public async Task Form_content_encodes_as_the_official_clients_do_and_refuses_null_names_and_values()
    {
        Assert.Equal(
            "k%20%26=%7B%22a%22%3A%22x%20y%26%C3%A9!'()*~%22%7D&b=",
            await new DataphinFormContent([new("k &", "{\"a\":\"x y&é!'()*~\"}"), new("b", "")]).ReadAsStringAsync());
        Assert.Equal("application/x-www-form-urlencoded", new DataphinFormContent([]).Headers.ContentType!.ToString());
        Assert.Throws<ArgumentException>(() => new DataphinFormContent([new("a", null!)]));
        Assert.Throws<ArgumentException>(() => new DataphinFormContent([new("", "x")]));
    }

    private static HttpRequestMessage Request(string action, string query = "")
    {
        var message = new HttpRequestMessage(HttpMethod.Post, $"?OpTenantId={Tenant}{query}");
        message.Headers.Add("x-acs-action", action);
        return message;
    }

    private static HttpRequestMessage Malformed(string problem)
    {
        HttpRequestMessage With(string uri, HttpContent? content = null, HttpMethod? method = null)
        {
            var message = new HttpRequestMessage(method ?? HttpMethod.Post, uri) { Content = content };
            message.Headers.Add("x-acs-action", "ListFiles");
            return message;
        }

        ByteArrayContent Form(string body, string? type = "application/x-www-form-urlencoded")
        {
            var content = new ByteArrayContent(Encoding.UTF8.GetBytes(body));
            if (type is not null)
            {
                content.Headers.TryAddWithoutValidation("Content-Type", type);
            }

            return content;
        }

        var ok = $"?OpTenantId={Tenant}";
        switch (problem)
        {
            case "no tenant": return With("?Env=PROD");
            case "tenant zero": return With("?OpTenantId=0");
            case "tenant spelt in lower case": return With("?optenantid=5");
            case "tenant twice": return With(ok + "&OpTenantId=5");
            case "action not a name":
                var bad = With(ok);
                bad.Headers.Remove("x-acs-action");
                bad.Headers.TryAddWithoutValidation("x-acs-action", "List Files");
                return bad;
            case "GET": return With(ok, method: HttpMethod.Get);
            case "another host": return With("https://evil.example.com/" + ok);
            case "a path": return With("/v1/" + ok);
            case "own x-acs-date":
                var dated = With(ok);
                dated.Headers.Add("x-acs-date", "2026-01-01T00:00:00Z");
                return dated;
            case "own signature":
                var signed = With(ok);
                signed.Headers.TryAddWithoutValidation("Authorization", "ACS3-HMAC-SHA256 Credential=x,SignedHeaders=host,Signature=00");
                return signed;
            case "other API version":
                var versioned = With(ok);
                versioned.Headers.Add("x-acs-version", "2020-01-01");
                return versioned;
            case "JSON body": return With(ok, Form("{\"a\":1}", "application/json"));
            case "body without content type": return With(ok, Form("a=1", type: null));
            case "raw UTF-8 in the body": return With(ok, Form("Keyword=订单"));
            case "broken escape in the body": return With(ok, Form("a=1&b=%G1"));
            case "tenant in the body": return With(ok, Form("OpTenantId=5"));
            case "field twice in the body": return With(ok, Form("a=1&a=2"));
            case "query name not a name": return With(ok + "&a%20b=1");
            default: throw new ArgumentOutOfRangeException(nameof(problem), problem, null);
        }
    }

    private sealed class MockClient : DataphinClient
    {
    }
}
