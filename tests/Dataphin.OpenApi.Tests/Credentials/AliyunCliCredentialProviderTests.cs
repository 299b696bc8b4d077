namespace Dataphin.OpenApi.Tests.Credentials;

public sealed class AliyunCliCredentialProviderTests
{
    private const string Config = ".aliyun/config.json";

    [Fact]
    public void Reads_the_current_profile_in_AK_mode()
    {
        using var home = new TempHome();
        home.Write(Config, TempHome.CliConfig("work", ("default", "AK", "LTAI5tDefault", "s0", null), ("work", "AK", "LTAI5tWork", "work-secret", null)));

        var resolution = new DataphinAliyunCliCredentialProvider(options: home.Options()).Resolve();

        Assert.Equal("LTAI5tWork", resolution.Credential.AccessKeyId);
        Assert.Equal("work-secret", resolution.Credential.AccessKeySecret);
        Assert.Equal("cli_profile/static_ak", resolution.Credential.WireProviderName);
        Assert.Equal($"aliyun CLI profile 'work' in {home.PathOf(Config)} (the file's current profile) (mode AK)", resolution.Source);
    }

    [Fact]
    public void Reads_a_profile_in_StsToken_mode_with_its_token()
    {
        using var home = new TempHome();
        home.Write(Config, TempHome.CliConfig("tmp", ("tmp", "StsToken", "STS.key", "sts-secret", "sts-token")));

        var credential = new DataphinAliyunCliCredentialProvider(options: home.Options()).Resolve().Credential;

        Assert.Equal("sts-token", credential.SecurityToken);
        Assert.Equal("cli_profile/static_sts", credential.WireProviderName);
    }

    [Fact]
    public void ALIBABA_CLOUD_PROFILE_wins_over_current_and_a_name_in_code_wins_over_both()
    {
        using var home = new TempHome();
        home.Write(Config, TempHome.CliConfig("a", ("a", "AK", "LTAI5tA", "s", null), ("b", "AK", "LTAI5tB", "s", null), ("c", "AK", "LTAI5tC", "s", null)));
        home.Variables["ALIBABA_CLOUD_PROFILE"] = "b";

        Assert.Equal("LTAI5tB", new DataphinAliyunCliCredentialProvider(options: home.Options()).Resolve().Credential.AccessKeyId);
        Assert.Equal("LTAI5tC", new DataphinAliyunCliCredentialProvider("c", options: home.Options()).Resolve().Credential.AccessKeyId);
    }

    [Theory]
    [InlineData("EcsRamRole")]
    [InlineData("RamRoleArn")]
    [InlineData("ChainableRamRoleArn")]
    [InlineData("OIDC")]
    public void Role_modes_are_refused_because_Dataphin_does_not_accept_RAM_roles(string mode)
    {
        using var home = new TempHome();
        home.Write(Config, TempHome.CliConfig("default", ("default", mode, "LTAI5tBase", "base-secret-value", null)));

        var error = Assert.Throws<DataphinRamRoleNotSupportedException>(() => new DataphinAliyunCliCredentialProvider(options: home.Options()).Resolve());

        Assert.Equal(mode, error.ProfileType);
        Assert.Contains("aliyun CLI profile 'default'", error.Message, StringComparison.Ordinal);
        Assert.Contains("does not accept RAM roles", error.Message, StringComparison.Ordinal);
        Assert.Contains("--mode AK", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("base-secret-value", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Interactive_modes_are_unavailable()
    {
        using var home = new TempHome();
        home.Write(Config, TempHome.CliConfig("sso", ("sso", "CloudSSO", "x", "y", null)));

        var error = Assert.Throws<DataphinCredentialUnavailableException>(() => new DataphinAliyunCliCredentialProvider(options: home.Options()).Resolve());

        Assert.Contains("mode CloudSSO is not read by the Dataphin SDK", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_profile_is_unavailable_and_lists_the_profiles()
    {
        using var home = new TempHome();
        home.Write(Config, TempHome.CliConfig("default", ("one", "AK", "LTAI5t1", "s", null), ("two", "AK", "LTAI5t2", "s", null)));

        var error = Assert.Throws<DataphinCredentialUnavailableException>(() => new DataphinAliyunCliCredentialProvider(options: home.Options()).Resolve());

        Assert.Contains("there is no profile 'default' (the file's current profile); it has 'one', 'two'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Malformed_JSON_is_an_error_naming_the_line_without_quoting_the_file()
    {
        using var home = new TempHome();
        home.Write(Config, "{\"current\": \"default\",\n \"profiles\": [\n {\"name\": \"default\", \"access_key_secret\": LEAKED-SECRET}]}");

        var error = Assert.Throws<DataphinCredentialException>(() => new DataphinAliyunCliCredentialProvider(options: home.Options()).Resolve());

        Assert.Contains("not well-formed JSON (near line 3)", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("LEAKED", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void A_profile_missing_its_secret_is_an_error()
    {
        using var home = new TempHome();
        home.Write(Config, "{\"current\":\"default\",\"profiles\":[{\"name\":\"default\",\"mode\":\"AK\",\"access_key_id\":\"LTAI5tX\"}]}");

        var error = Assert.Throws<DataphinCredentialException>(() => new DataphinAliyunCliCredentialProvider(options: home.Options()).Resolve());

        Assert.Contains("in AK mode but has no access_key_secret", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_rotated_key_is_picked_up_once_the_refresh_interval_has_passed()
    {
        using var home = new TempHome();
        var path = home.Write(Config, TempHome.CliConfig("default", ("default", "AK", "LTAI5tOld", "old", null)));
        var provider = new DataphinAliyunCliCredentialProvider(options: home.Options(TimeSpan.FromSeconds(3)));

        var before = provider.Resolve().Credential;
        home.Rewrite(path, TempHome.CliConfig("default", ("default", "AK", "LTAI5tRotated", "new", null)));
        var stale = provider.Resolve().Credential;
        home.Clock.Advance(TimeSpan.FromSeconds(3));
        var fresh = provider.Resolve().Credential;

        Assert.Same(before, stale);
        Assert.Equal("LTAI5tRotated", fresh.AccessKeyId);
    }
}
