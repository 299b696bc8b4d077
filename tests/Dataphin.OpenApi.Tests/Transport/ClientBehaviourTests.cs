using Dataphin.OpenApi.Authentication;
using Dataphin.OpenApi.Internal;
using Dataphin.OpenApi.Testing;
using Dataphin.OpenApi.Tests.Support;

namespace Dataphin.OpenApi.Tests.Transport;

public sealed class ClientBehaviourTests
{
    [Fact]
    public async Task An_invalid_command_sends_no_http_request_at_all()
    {
        var handler = new FakeDataphinTransport();
        using var client = TestClients.Create(handler);
        var command = TestClients.ValidAddCommand(101);
        command.Source = null;

        var ex = await Assert.ThrowsAsync<DataphinValidationException>(() => client.AddRegisterLineageAsync(300001234, command));

        Assert.Equal(["Source", "DetailedLineages"], ex.Errors.Select(e => e.Path));
        Assert.Empty(handler.Requests);
    }

    [Fact]
    public async Task An_invalid_delete_or_general_request_sends_nothing_either()
    {
        var handler = new FakeDataphinTransport();
        using var client = TestClients.Create(handler);

        await Assert.ThrowsAsync<DataphinValidationException>(() => client.DeleteRegisterLineageAsync(-1, new DeleteRegisterLineageCommand(AssetReference.ByGuid("a"), AssetReference.ByGuid("b"))));
        await Assert.ThrowsAsync<DataphinValidationException>(() => client.AddRegisterLineageAsync(1, TestClients.ValidAddCommand(), opUserId: " "));
        var general = await Assert.ThrowsAsync<DataphinValidationException>(() => client.SendAsync(new DataphinOperationRequest("List Files", 0).AddQuery("OpTenantId", "5").AddQuery("", "x")));
        Assert.Equal(["OpTenantId", "Action", "Query[0]", "Query[1]"], general.Errors.Select(e => e.Path));
        Assert.Empty(handler.Requests);
    }

    [Fact]
    public async Task Unpaired_surrogates_in_OpUserId_or_a_general_parameter_are_refused_not_sent_as_replacement_characters()
    {
        var handler = new FakeDataphinTransport();
        using var client = TestClients.Create(handler);

        var lineage = await Assert.ThrowsAsync<DataphinValidationException>(() => client.AddRegisterLineageAsync(1, TestClients.ValidAddCommand(), opUserId: "user\uD800"));
        var general = await Assert.ThrowsAsync<DataphinValidationException>(() => client.SendAsync(
            new DataphinOperationRequest("ListFiles", 1).AddQuery("Keyword", "ok\U0001F600").AddForm("Filter", "\uDC00x")));

        var opUser = Assert.Single(lineage.Errors);
        Assert.Equal(("OpUserId", DataphinValidationRules.InvalidUtf16), (opUser.Path, opUser.Rule));
        var form = Assert.Single(general.Errors);
        Assert.Equal(("Form[0]", DataphinValidationRules.InvalidUtf16), (form.Path, form.Rule));
        Assert.Contains("'Filter'", form.Message, StringComparison.Ordinal);
        Assert.Empty(handler.Requests);
    }

    [Fact]
    public async Task Every_request_is_signed_over_host_content_type_and_all_x_acs_headers()
    {
        var handler = new FakeDataphinTransport();
        using var client = TestClients.Create(handler);

        await client.AddRegisterLineageAsync(300001234, TestClients.ValidAddCommand());

        var sent = Assert.Single(handler.Requests);
        var authorization = sent.Header("authorization")!;
        Assert.StartsWith($"ACS3-HMAC-SHA256 Credential={TestClients.AccessKeyId},SignedHeaders=content-type;host;x-acs-action;x-acs-content-sha256;x-acs-credentials-provider;x-acs-date;x-acs-signature-nonce;x-acs-version,Signature=", authorization, StringComparison.Ordinal);
        Assert.Equal(HexEncoding.Sha256Hex(sent.Body.ToArray()), sent.Header("x-acs-content-sha256"));
        Assert.Equal("application/x-www-form-urlencoded", sent.Header("content-type"));
        Assert.Matches("^[0-9a-f]{32}$", sent.Header("x-acs-signature-nonce")!);
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$", sent.Header("x-acs-date")!);
        Assert.Equal(ExpectedAuthorization(sent, TestClients.AccessKeySecret), authorization);
    }

    [Fact]
    public async Task A_security_token_is_sent_and_signed_with_the_access_key_id()
    {
        var handler = new FakeDataphinTransport();
        using var client = TestClients.Create(handler, new DataphinCredential(TestClients.AccessKeyId, TestClients.AccessKeySecret, TestClients.SecurityToken));

        await client.DeleteRegisterLineageAsync(300001234, new DeleteRegisterLineageCommand(AssetReference.ByGuid("odps.1.p.a"), AssetReference.ByGuid("odps.1.p.b")));

        var sent = Assert.Single(handler.Requests);
        Assert.Equal(TestClients.SecurityToken, sent.Header("x-acs-security-token"));
        Assert.Equal(TestClients.AccessKeyId, sent.Header("x-acs-accesskey-id"));
        Assert.Equal("static_sts", sent.Header("x-acs-credentials-provider"));
        Assert.Contains("x-acs-accesskey-id;", sent.Header("authorization"), StringComparison.Ordinal);
        Assert.Contains("x-acs-security-token;", sent.Header("authorization"), StringComparison.Ordinal);
        Assert.Equal(ExpectedAuthorization(sent, TestClients.AccessKeySecret), sent.Header("authorization"));
    }

    [Fact]
    public async Task Two_calls_never_share_a_nonce_and_the_date_comes_from_the_time_provider()
    {
        var handler = new FakeDataphinTransport();
        var clock = new ManualTimeProvider(new DateTimeOffset(2026, 11, 22, 8, 30, 15, 999, TimeSpan.FromHours(8)));
        using var client = TestClients.Create(handler, configure: o => o.TimeProvider = clock);

        await client.AddRegisterLineageAsync(1, TestClients.ValidAddCommand());
        await client.AddRegisterLineageAsync(1, TestClients.ValidAddCommand());

        Assert.NotEqual(handler.Requests[0].Header("x-acs-signature-nonce"), handler.Requests[1].Header("x-acs-signature-nonce"));
        Assert.All(handler.Requests, r => Assert.Equal("2026-11-22T00:30:15Z", r.Header("x-acs-date")));
    }

    [Fact]
    public async Task A_credential_provider_is_asked_for_every_call()
    {
        var handler = new FakeDataphinTransport();
        var calls = 0;
        var provider = DataphinCredentialProvider.FromFactory(_ => new ValueTask<DataphinCredential>(new DataphinCredential($"KEY{++calls}", "secret")));
        using var client = new DataphinClient(handler.CreateHttpClient(), new DataphinClientOptions { RegionId = "cn-shanghai", CredentialProvider = provider });

        await client.AddRegisterLineageAsync(1, TestClients.ValidAddCommand());
        await client.AddRegisterLineageAsync(1, TestClients.ValidAddCommand());

        Assert.Contains("Credential=KEY1,", handler.Requests[0].Header("authorization"), StringComparison.Ordinal);
        Assert.Contains("Credential=KEY2,", handler.Requests[1].Header("authorization"), StringComparison.Ordinal);
        Assert.Equal("dataphin-public.cn-shanghai.aliyuncs.com", handler.Requests[0].Uri.Host);
    }

    [Fact]
    public async Task The_client_can_be_mocked()
    {
        var mock = new MockClient();
        Assert.Equal("mock", (await mock.AddRegisterLineageAsync(1, TestClients.ValidAddCommand())).Code);
    }

    internal static string ExpectedAuthorization(FakeDataphinRequest sent, string secret)
    {
        var signedNames = sent.Header("authorization")!.Split("SignedHeaders=")[1].Split(',')[0].Split(';');
        var headers = signedNames.Select(name => new KeyValuePair<string, string>(name, name == "host" ? sent.Uri.Authority : sent.Header(name)!)).ToList();
        var query = sent.Uri.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries)
            .Select(p => p.Split('=', 2)).Select(p => new KeyValuePair<string, string>(Uri.UnescapeDataString(p[0]), Uri.UnescapeDataString(p[1])));
        return Acs3Signer.Sign("POST", "/", Acs3Signer.CanonicalQueryString(query), headers, HexEncoding.Sha256Hex(sent.Body.ToArray()), sent.Header("authorization")!.Split("Credential=")[1].Split(',')[0], secret);
    }

    private sealed class MockClient : DataphinClient
    {
        public override Task<DataphinResponse> AddRegisterLineageAsync(long opTenantId, AddRegisterLineageCommand command, CancellationToken cancellationToken = default)
            => Task.FromResult(new DataphinResponse(200, "r", "mock", null, 200));
    }
}
