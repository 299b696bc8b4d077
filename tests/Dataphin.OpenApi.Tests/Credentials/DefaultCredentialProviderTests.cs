namespace Dataphin.OpenApi.Tests.Credentials;

public sealed class DefaultCredentialProviderTests
{
    private const string Ini = ".alibabacloud/credentials";
    private const string Cli = ".aliyun/config.json";

    [Fact]
    public void The_chain_tries_environment_then_credentials_file_then_aliyun_CLI()
    {
        using var home = new TempHome();
        home.Variables["ALIBABA_CLOUD_ACCESS_KEY_ID"] = "LTAI5tFromEnv";
        home.Variables["ALIBABA_CLOUD_ACCESS_KEY_SECRET"] = "env-secret";
        var ini = home.Write(Ini, TempHome.AccessKeyIni("default", "LTAI5tFromFile", "file-secret"));
        home.Write(Cli, TempHome.CliConfig("default", ("default", "AK", "LTAI5tFromCli", "cli-secret", null)));

        var all = new DataphinDefaultCredentialProvider(home.Options()).Resolve();
        home.Variables.Clear();
        var noEnvironment = new DataphinDefaultCredentialProvider(home.Options()).Resolve();
        File.Delete(ini);
        var onlyCli = new DataphinDefaultCredentialProvider(home.Options()).Resolve();

        Assert.Equal(("LTAI5tFromEnv", "default/env"), (all.Credential.AccessKeyId, all.Credential.WireProviderName));
        Assert.Empty(all.Skipped);
        Assert.Equal(("LTAI5tFromFile", "default/profile/static_ak"), (noEnvironment.Credential.AccessKeyId, noEnvironment.Credential.WireProviderName));
        Assert.Equal(("LTAI5tFromCli", "default/cli_profile/static_ak"), (onlyCli.Credential.AccessKeyId, onlyCli.Credential.WireProviderName));
        Assert.Equal(["environment variables", $"credentials file {home.PathOf(Ini)}"], onlyCli.Skipped.Select(s => s.CredentialSource));
    }

    [Fact]
    public void The_sources_are_listed_in_the_documented_order()
    {
        using var home = new TempHome();

        var sources = new DataphinDefaultCredentialProvider(home.Options()).Sources;

        Assert.Collection(
            sources,
            s => Assert.IsType<DataphinEnvironmentCredentialProvider>(s),
            s => Assert.IsType<DataphinCredentialsFileProvider>(s),
            s => Assert.IsType<DataphinAliyunCliCredentialProvider>(s));
    }

    [Fact]
    public void A_role_profile_is_passed_over_with_its_reason_and_a_later_AccessKey_is_used()
    {
        using var home = new TempHome();
        home.Write(Ini, "[default]\ntype = ecs_ram_role\nrole_name = EcsEtl\n");
        home.Write(Cli, TempHome.CliConfig("default", ("default", "AK", "LTAI5tFromCli", "cli-secret", null)));

        var resolution = new DataphinDefaultCredentialProvider(home.Options()).Resolve();

        Assert.Equal("LTAI5tFromCli", resolution.Credential.AccessKeyId);
        var refused = Assert.IsType<DataphinRamRoleNotSupportedException>(resolution.Skipped[1]);
        Assert.Equal("ecs_ram_role", refused.ProfileType);
    }

    [Fact]
    public void When_no_source_has_a_credential_one_error_says_why_for_each_in_order()
    {
        using var home = new TempHome();
        home.Write(Cli, TempHome.CliConfig("default", ("default", "RamRoleArn", "LTAI5tBase", "base-secret", null)));

        var error = Assert.Throws<DataphinCredentialUnavailableException>(() => new DataphinDefaultCredentialProvider(home.Options()).Resolve());

        Assert.Equal(3, error.Attempts.Count);
        Assert.IsType<DataphinCredentialUnavailableException>(error.Attempts[0]);
        Assert.IsType<DataphinCredentialUnavailableException>(error.Attempts[1]);
        Assert.IsType<DataphinRamRoleNotSupportedException>(error.Attempts[2]);
        var message = error.Message;
        Assert.True(
            message.IndexOf("1. environment variables", StringComparison.Ordinal) < message.IndexOf("2. credentials file", StringComparison.Ordinal)
            && message.IndexOf("2. credentials file", StringComparison.Ordinal) < message.IndexOf("3. aliyun CLI profile 'default'", StringComparison.Ordinal),
            message);
        Assert.Contains("does not accept RAM roles", message, StringComparison.Ordinal);
        Assert.DoesNotContain("base-secret", message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_broken_source_stops_the_chain_instead_of_silently_using_another_identity()
    {
        using var home = new TempHome();
        home.Write(Ini, "[default]\ntype = access_key\naccess_key_id = LTAI5tHalf\n");
        home.Write(Cli, TempHome.CliConfig("default", ("default", "AK", "LTAI5tFromCli", "cli-secret", null)));

        var error = Assert.Throws<DataphinCredentialException>(() => new DataphinDefaultCredentialProvider(home.Options()).Resolve());

        Assert.Contains("has no access_key_secret", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ALIBABA_CLOUD_CLI_PROFILE_DISABLED_leaves_the_aliyun_CLI_out()
    {
        using var home = new TempHome();
        home.Write(Cli, TempHome.CliConfig("default", ("default", "AK", "LTAI5tFromCli", "cli-secret", null)));
        home.Variables["ALIBABA_CLOUD_CLI_PROFILE_DISABLED"] = "true";

        var error = Assert.Throws<DataphinCredentialUnavailableException>(() => new DataphinDefaultCredentialProvider(home.Options()).Resolve());

        Assert.Contains("left out because ALIBABA_CLOUD_CLI_PROFILE_DISABLED is true", error.Attempts[2].Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_chain_remembers_the_source_that_worked_and_looks_again_when_it_stops_working()
    {
        using var home = new TempHome();
        var ini = home.Write(Ini, TempHome.AccessKeyIni("default", "LTAI5tFromFile", "file-secret"));
        var chain = new DataphinDefaultCredentialProvider(home.Options(TimeSpan.Zero));

        var first = chain.Resolve();
        home.Variables["ALIBABA_CLOUD_ACCESS_KEY_ID"] = "LTAI5tLateEnv";
        home.Variables["ALIBABA_CLOUD_ACCESS_KEY_SECRET"] = "late-secret";
        var remembered = chain.Resolve();
        File.Delete(ini);
        var lookedAgain = chain.Resolve();

        Assert.Equal("LTAI5tFromFile", first.Credential.AccessKeyId);
        Assert.Same(first, remembered);
        Assert.Equal("LTAI5tLateEnv", lookedAgain.Credential.AccessKeyId);
    }

    [Fact]
    public async Task A_client_on_the_chain_signs_with_the_file_credential_and_names_its_source_on_the_wire()
    {
        using var home = new TempHome();
        home.Write(Ini, "[default]\ntype = sts\naccess_key_id = STS.FromFile\naccess_key_secret = file-sts-secret\nsecurity_token = file-sts-token\n");
        var handler = new Dataphin.OpenApi.Testing.FakeDataphinTransport();
        using var client = Support.TestClients.Create(handler, configure: o =>
        {
            o.Credential = null;
            o.CredentialProvider = new DataphinDefaultCredentialProvider(home.Options());
        });

        await client.AddRegisterLineageAsync(300001234, Support.TestClients.ValidAddCommand());

        var sent = Assert.Single(handler.Requests);
        Assert.Equal("default/profile/static_sts", sent.Header("x-acs-credentials-provider"));
        Assert.Equal("file-sts-token", sent.Header("x-acs-security-token"));
        Assert.StartsWith("ACS3-HMAC-SHA256 Credential=STS.FromFile,", sent.Header("authorization"), StringComparison.Ordinal);
        Assert.Contains("x-acs-credentials-provider", sent.Header("authorization"), StringComparison.Ordinal);
    }
}
