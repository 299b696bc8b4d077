using Dataphin.OpenApi.IntegrationTests.Support;
using Dataphin.OpenApi.Testing;

namespace Dataphin.OpenApi.IntegrationTests;

public sealed class AuthenticationTests
{
    [Fact]
    public async Task A_wrong_secret_is_answered_with_SignatureDoesNotMatch_and_nothing_is_stored()
    {
        await using var emulator = await DataphinEmulator.StartAsync();
        using var client = Lineages.Client(emulator, secret: "notTheSecret");

        var error = await Assert.ThrowsAsync<DataphinAuthenticationException>(() => client.AddRegisterLineageAsync(emulator.DefaultTenantId, Lineages.Add(("a", "b"))));

        Assert.Equal(400, error.Status);
        Assert.Equal("SignatureDoesNotMatch", error.ErrorCode);
        Assert.Empty(emulator.GetLineage(emulator.DefaultTenantId));
        Assert.DoesNotContain("notTheSecret", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_AccessKey_is_answered_with_InvalidAccessKeyId_NotFound()
    {
        await using var emulator = await DataphinEmulator.StartAsync();
        using var client = Lineages.Client(emulator, accessKeyId: "LTAI5tUnknownKey");

        var error = await Assert.ThrowsAsync<DataphinAuthenticationException>(() => client.AddRegisterLineageAsync(emulator.DefaultTenantId, Lineages.Add(("a", "b"))));

        Assert.Equal(404, error.Status);
        Assert.Equal("InvalidAccessKeyId.NotFound", error.ErrorCode);
    }

    [Fact]
    public async Task A_tenant_the_key_may_not_access_is_answered_with_DataphinOpenApiForbidden()
    {
        await using var emulator = await DataphinEmulator.StartAsync();
        emulator.AddTenant(300009999);
        using var client = Lineages.Client(emulator);

        var otherTenant = await Assert.ThrowsAsync<DataphinForbiddenException>(() => client.AddRegisterLineageAsync(300009999, Lineages.Add(("a", "b"))));
        var missingTenant = await Assert.ThrowsAsync<DataphinForbiddenException>(() => client.AddRegisterLineageAsync(123, Lineages.Add(("a", "b"))));

        Assert.Equal(403, otherTenant.Status);
        Assert.Equal("DataphinOpenApiForbidden", otherTenant.ErrorCode);
        Assert.Equal(403, missingTenant.Status);
        Assert.Empty(emulator.GetLineage(300009999));
    }

    [Fact]
    public async Task A_key_without_RAM_authorization_is_answered_with_DataphinOpenAPIRamUnAuthorized()
    {
        await using var emulator = await DataphinEmulator.StartAsync();
        emulator.SetRamAuthorized(emulator.AccessKeyId, authorized: false);
        using var client = Lineages.Client(emulator);

        var error = await Assert.ThrowsAsync<DataphinAuthenticationException>(() => client.AddRegisterLineageAsync(emulator.DefaultTenantId, Lineages.Add(("a", "b"))));

        Assert.Equal(401, error.Status);
        Assert.Equal("DataphinOpenAPIRamUnAuthorized", error.ErrorCode);
    }

    [Fact]
    public async Task An_sts_credential_signs_its_security_token_and_is_accepted()
    {
        await using var emulator = await DataphinEmulator.StartAsync(new DataphinEmulatorOptions { AccessKeyId = "STS.NUgYrLnoC37mZZCNnAbez", AccessKeySecret = "stsSecret", SecurityToken = "CAIS8gF1q6Ft5B2yfSjIr5bkKtPmnoJ" });
        using var client = Lineages.Client(emulator);

        await client.AddRegisterLineageAsync(emulator.DefaultTenantId, Lineages.Add(("a", "b")));

        Assert.Single(emulator.GetLineage(emulator.DefaultTenantId));
        var recorded = Assert.Single(emulator.Requests);
        Assert.Equal("***", recorded.Headers["x-acs-security-token"]);
        Assert.Contains("x-acs-security-token", recorded.Headers["authorization"], StringComparison.Ordinal);
        Assert.EndsWith("Signature=***", recorded.Headers["authorization"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_sts_key_without_its_token_or_with_another_token_is_rejected()
    {
        await using var emulator = await DataphinEmulator.StartAsync(new DataphinEmulatorOptions { AccessKeyId = "STS.key", AccessKeySecret = "stsSecret", SecurityToken = "the-token" });
        using var noToken = new DataphinClient(emulator.Endpoint, new DataphinCredential("STS.key", "stsSecret"), new DataphinClientOptions());
        using var otherToken = Lineages.Client(emulator, token: "another-token");

        var missing = await Assert.ThrowsAsync<DataphinAuthenticationException>(() => noToken.AddRegisterLineageAsync(emulator.DefaultTenantId, Lineages.Add(("a", "b"))));
        var wrong = await Assert.ThrowsAsync<DataphinAuthenticationException>(() => otherToken.AddRegisterLineageAsync(emulator.DefaultTenantId, Lineages.Add(("a", "b"))));

        Assert.Equal("MissingSecurityToken", missing.ErrorCode);
        Assert.Equal("InvalidSecurityToken.MismatchWithAccessKey", wrong.ErrorCode);
        Assert.Empty(emulator.GetLineage(emulator.DefaultTenantId));
    }

    [Fact]
    public async Task A_date_more_than_15_minutes_off_the_emulator_clock_is_rejected()
    {
        // The emulator's clock runs 16 minutes behind the real time the client signs with; then it catches up 2.
        var emulatorClock = new ManualTimeProvider(TimeProvider.System.GetUtcNow().AddMinutes(-16));
        await using var emulator = await DataphinEmulator.StartAsync(new DataphinEmulatorOptions { TimeProvider = emulatorClock });
        using var client = Lineages.Client(emulator);

        var error = await Assert.ThrowsAsync<DataphinAuthenticationException>(() => client.AddRegisterLineageAsync(emulator.DefaultTenantId, Lineages.Add(("a", "b"))));

        Assert.Equal("InvalidTimeStamp.Expired", error.ErrorCode);
        emulatorClock.Advance(TimeSpan.FromMinutes(2));
        await client.AddRegisterLineageAsync(emulator.DefaultTenantId, Lineages.Add(("a", "b")));
        Assert.Single(emulator.GetLineage(emulator.DefaultTenantId));
    }

    [Fact]
    public async Task Recorded_requests_never_hold_the_secret_or_the_signature()
    {
        await using var emulator = await DataphinEmulator.StartAsync();
        using var client = Lineages.Client(emulator);
        await client.AddRegisterLineageAsync(emulator.DefaultTenantId, Lineages.Add(("a", "b")));

        var recorded = Assert.Single(emulator.Requests);
        var text = string.Join("\n", recorded.Headers.Select(h => h.Key + ": " + h.Value));
        Assert.DoesNotContain(emulator.AccessKeySecret, text, StringComparison.Ordinal);
        Assert.Matches("Signature=\\*\\*\\*$", recorded.Headers["authorization"]);
        Assert.Equal(emulator.AccessKeyId, recorded.AccessKeyId);
    }
}
