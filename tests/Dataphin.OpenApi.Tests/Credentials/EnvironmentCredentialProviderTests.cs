namespace Dataphin.OpenApi.Tests.Credentials;

public sealed class EnvironmentCredentialProviderTests
{
    [Fact]
    public async Task Reads_the_AccessKey_and_token_variables_and_names_itself_env()
    {
        using var home = new TempHome();
        home.Variables["ALIBABA_CLOUD_ACCESS_KEY_ID"] = "LTAI5tEnvKey";
        home.Variables["ALIBABA_CLOUD_ACCESS_KEY_SECRET"] = "env-secret-1";
        home.Variables["ALIBABA_CLOUD_SECURITY_TOKEN"] = "env-token-1";

        var resolution = await new DataphinEnvironmentCredentialProvider(home.Environment).ResolveAsync(default);

        Assert.Equal("LTAI5tEnvKey", resolution.Credential.AccessKeyId);
        Assert.Equal("env-secret-1", resolution.Credential.AccessKeySecret);
        Assert.Equal("env-token-1", resolution.Credential.SecurityToken);
        Assert.Equal("env", resolution.Credential.WireProviderName);
        Assert.Contains("ALIBABA_CLOUD_SECURITY_TOKEN", resolution.Source);
        Assert.DoesNotContain("env-secret-1", resolution.ToString());
        Assert.DoesNotContain("env-token-1", resolution.ToString());
    }

    [Fact]
    public async Task Changed_variables_are_used_on_the_next_request()
    {
        using var home = new TempHome();
        home.Variables["ALIBABA_CLOUD_ACCESS_KEY_ID"] = "LTAI5tFirst";
        home.Variables["ALIBABA_CLOUD_ACCESS_KEY_SECRET"] = "s1";
        var provider = new DataphinEnvironmentCredentialProvider(home.Environment);

        var first = await provider.GetCredentialAsync(default);
        var again = await provider.GetCredentialAsync(default);
        home.Variables["ALIBABA_CLOUD_ACCESS_KEY_ID"] = "LTAI5tSecond";
        var rotated = await provider.GetCredentialAsync(default);

        Assert.Same(first, again);
        Assert.Equal("LTAI5tSecond", rotated.AccessKeyId);
    }

    [Theory]
    [InlineData("ALIBABA_CLOUD_ACCESS_KEY_ID", "ALIBABA_CLOUD_ACCESS_KEY_ID is set but ALIBABA_CLOUD_ACCESS_KEY_SECRET is not")]
    [InlineData("ALIBABA_CLOUD_ACCESS_KEY_SECRET", "ALIBABA_CLOUD_ACCESS_KEY_SECRET is set but ALIBABA_CLOUD_ACCESS_KEY_ID is not")]
    [InlineData("ALIBABA_CLOUD_SECURITY_TOKEN", "ALIBABA_CLOUD_SECURITY_TOKEN is set but")]
    public void A_half_set_credential_is_an_error_not_an_absence(string onlyVariable, string expected)
    {
        using var home = new TempHome();
        home.Variables[onlyVariable] = "value-of-" + onlyVariable;

        var error = Assert.Throws<DataphinCredentialException>(() => new DataphinEnvironmentCredentialProvider(home.Environment).Resolve());

        Assert.IsNotType<DataphinCredentialUnavailableException>(error);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("value-of-", error.Message, StringComparison.Ordinal);
        Assert.Equal("environment variables", error.CredentialSource);
    }

    [Fact]
    public void No_variables_means_unavailable()
    {
        using var home = new TempHome();

        var error = Assert.Throws<DataphinCredentialUnavailableException>(() => new DataphinEnvironmentCredentialProvider(home.Environment).Resolve());

        Assert.Contains("ALIBABA_CLOUD_ACCESS_KEY_ID and ALIBABA_CLOUD_ACCESS_KEY_SECRET are not set", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void White_space_values_count_as_not_set()
    {
        using var home = new TempHome();
        home.Variables["ALIBABA_CLOUD_ACCESS_KEY_ID"] = "  ";
        home.Variables["ALIBABA_CLOUD_ACCESS_KEY_SECRET"] = "\t";

        Assert.Throws<DataphinCredentialUnavailableException>(() => new DataphinEnvironmentCredentialProvider(home.Environment).Resolve());
    }

    [Fact]
    public void OIDC_role_variables_are_refused_because_Dataphin_does_not_accept_RAM_roles()
    {
        using var home = new TempHome();
        home.Variables["ALIBABA_CLOUD_ROLE_ARN"] = "acs:ram::123:role/etl";
        home.Variables["ALIBABA_CLOUD_OIDC_PROVIDER_ARN"] = "acs:ram::123:oidc-provider/ack";
        home.Variables["ALIBABA_CLOUD_OIDC_TOKEN_FILE"] = "/var/run/secrets/token";

        var error = Assert.Throws<DataphinRamRoleNotSupportedException>(() => new DataphinEnvironmentCredentialProvider(home.Environment).Resolve());

        Assert.Equal("oidc_role_arn", error.ProfileType);
        Assert.Contains("the Dataphin OpenAPI does not accept RAM roles", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_ECS_instance_role_variable_is_refused()
    {
        using var home = new TempHome();
        home.Variables["ALIBABA_CLOUD_ECS_METADATA"] = "EcsEtlRole";

        var error = Assert.Throws<DataphinRamRoleNotSupportedException>(() => new DataphinEnvironmentCredentialProvider(home.Environment).Resolve());

        Assert.Equal("ecs_ram_role", error.ProfileType);
    }
}
