namespace Dataphin.OpenApi.Tests.Credentials;

public sealed class CredentialsFileProviderTests
{
    private const string File1 = ".alibabacloud/credentials";

    [Fact]
    public void Reads_the_default_section_of_type_access_key_with_comments_and_quotes()
    {
        using var home = new TempHome();
        home.Write(File1, """
            # Alibaba Cloud credentials
            ; another comment
            [other]
            type = access_key
            access_key_id = LTAI5tOther
            access_key_secret = other-secret

            [default]
            type = access_key          # access_key | sts | ram_role_arn
            access_key_id = "LTAI5tDefault"
            access_key_secret = default#secret ; trailing comment
            """);

        var resolution = new DataphinCredentialsFileProvider(options: home.Options()).Resolve();

        Assert.Equal("LTAI5tDefault", resolution.Credential.AccessKeyId);
        Assert.Equal("default#secret", resolution.Credential.AccessKeySecret);
        Assert.False(resolution.Credential.HasSecurityToken);
        Assert.Equal("profile/static_ak", resolution.Credential.WireProviderName);
        Assert.Equal($"credentials file {home.PathOf(File1)}, section [default] (type access_key)", resolution.Source);
    }

    [Fact]
    public void Reads_a_section_of_type_sts_with_its_token()
    {
        using var home = new TempHome();
        home.Write(File1, "[default]\ntype = sts\naccess_key_id = STS.key\naccess_key_secret = sts-secret\nsecurity_token = sts-token\n");

        var credential = new DataphinCredentialsFileProvider(options: home.Options()).Resolve().Credential;

        Assert.Equal("sts-token", credential.SecurityToken);
        Assert.Equal("profile/static_sts", credential.WireProviderName);
    }

    [Fact]
    public void ALIBABA_CLOUD_PROFILE_picks_the_section_and_a_name_given_in_code_wins_over_it()
    {
        using var home = new TempHome();
        home.Write(File1, TempHome.AccessKeyIni("default", "LTAI5tDefault", "s0") + TempHome.AccessKeyIni("dev", "LTAI5tDev", "s1") + TempHome.AccessKeyIni("prod", "LTAI5tProd", "s2"));
        home.Variables["ALIBABA_CLOUD_PROFILE"] = "dev";

        var fromVariable = new DataphinCredentialsFileProvider(options: home.Options()).Resolve();
        var fromCode = new DataphinCredentialsFileProvider("prod", options: home.Options()).Resolve();

        Assert.Equal("LTAI5tDev", fromVariable.Credential.AccessKeyId);
        Assert.Contains("(from ALIBABA_CLOUD_PROFILE)", fromVariable.Source);
        Assert.Equal("LTAI5tProd", fromCode.Credential.AccessKeyId);
    }

    [Fact]
    public void ALIBABA_CLOUD_CREDENTIALS_FILE_points_elsewhere_and_a_missing_file_there_is_an_error()
    {
        using var home = new TempHome();
        home.Write(File1, TempHome.AccessKeyIni("default", "LTAI5tHome", "s0"));
        var elsewhere = home.Write("etc/dataphin.ini", TempHome.AccessKeyIni("default", "LTAI5tElsewhere", "s1"));
        home.Variables["ALIBABA_CLOUD_CREDENTIALS_FILE"] = elsewhere;

        var found = new DataphinCredentialsFileProvider(options: home.Options()).Resolve();
        home.Variables["ALIBABA_CLOUD_CREDENTIALS_FILE"] = home.PathOf("etc/missing.ini");
        var error = Assert.Throws<DataphinCredentialException>(() => new DataphinCredentialsFileProvider(options: home.Options()).Resolve());

        Assert.Equal("LTAI5tElsewhere", found.Credential.AccessKeyId);
        Assert.IsNotType<DataphinCredentialUnavailableException>(error);
        Assert.Contains("ALIBABA_CLOUD_CREDENTIALS_FILE names this file, which does not exist", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_name_with_ini_used_by_the_official_dotnet_library_is_read_too()
    {
        using var home = new TempHome();
        home.Write(File1 + ".ini", TempHome.AccessKeyIni("default", "LTAI5tIni", "s0"));

        Assert.Equal("LTAI5tIni", new DataphinCredentialsFileProvider(options: home.Options()).Resolve().Credential.AccessKeyId);
    }

    [Theory]
    [InlineData("ecs_ram_role", "role_name = EcsEtl")]
    [InlineData("ram_role_arn", "access_key_id = LTAI5tBase\naccess_key_secret = base-secret\nrole_arn = acs:ram::1:role/etl")]
    [InlineData("oidc_role_arn", "role_arn = acs:ram::1:role/etl\noidc_provider_arn = x\noidc_token_file_path = /t")]
    public void Role_sections_are_refused_because_Dataphin_does_not_accept_RAM_roles(string type, string body)
    {
        using var home = new TempHome();
        home.Write(File1, $"[default]\ntype = {type}\n{body}\n");

        var error = Assert.Throws<DataphinRamRoleNotSupportedException>(() => new DataphinCredentialsFileProvider(options: home.Options()).Resolve());

        Assert.Equal(type, error.ProfileType);
        Assert.Contains("section [default]", error.Message, StringComparison.Ordinal);
        Assert.Contains("the Dataphin OpenAPI does not accept RAM roles", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("base-secret", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Types_this_package_does_not_read_are_unavailable_and_say_which_it_reads()
    {
        using var home = new TempHome();
        home.Write(File1, "[default]\ntype = credentials_uri\ncredentials_uri = http://127.0.0.1:9/creds\n");

        var error = Assert.Throws<DataphinCredentialUnavailableException>(() => new DataphinCredentialsFileProvider(options: home.Options()).Resolve());

        Assert.Contains("credentials_uri is not read by the Dataphin SDK; use type = access_key or type = sts", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_section_is_unavailable_and_lists_the_sections_there_are()
    {
        using var home = new TempHome();
        home.Write(File1, TempHome.AccessKeyIni("dev", "LTAI5tDev", "s1") + TempHome.AccessKeyIni("prod", "LTAI5tProd", "s2"));

        var error = Assert.Throws<DataphinCredentialUnavailableException>(() => new DataphinCredentialsFileProvider(options: home.Options()).Resolve());

        Assert.Contains("there is no section [default]; it has [dev], [prod]", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("[default]\ntype = access_key\naccess_key_id = LTAI5tOnlyId\n", "has no access_key_secret")]
    [InlineData("[default]\ntype = sts\naccess_key_id = STS.x\naccess_key_secret = only-secret-value\n", "has no security_token")]
    [InlineData("[default]\naccess_key_id = LTAI5tNoType\naccess_key_secret = only-secret-value\n", "has no type")]
    public void A_section_missing_a_required_key_is_an_error_naming_the_key(string text, string expected)
    {
        using var home = new TempHome();
        home.Write(File1, text);

        var error = Assert.Throws<DataphinCredentialException>(() => new DataphinCredentialsFileProvider(options: home.Options()).Resolve());

        Assert.IsNotType<DataphinCredentialUnavailableException>(error);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("only-secret-value", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_malformed_line_is_named_by_number_without_its_text()
    {
        using var home = new TempHome();
        home.Write(File1, "[default]\ntype = access_key\naccess_key_id = LTAI5tX\nLEAKED-secret-on-its-own-line\n");

        var error = Assert.Throws<DataphinCredentialException>(() => new DataphinCredentialsFileProvider(options: home.Options()).Resolve());

        Assert.Contains("line 4 is neither a [section] header nor a key = value setting", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("LEAKED", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void A_rotated_key_is_picked_up_once_the_refresh_interval_has_passed()
    {
        using var home = new TempHome();
        var path = home.Write(File1, TempHome.AccessKeyIni("default", "LTAI5tOld", "old-secret"));
        var provider = new DataphinCredentialsFileProvider(options: home.Options(TimeSpan.FromSeconds(5)));

        var before = provider.Resolve().Credential;
        home.Rewrite(path, TempHome.AccessKeyIni("default", "LTAI5tNewKey", "new-secret"));
        home.Clock.Advance(TimeSpan.FromSeconds(4));
        var withinInterval = provider.Resolve().Credential;
        home.Clock.Advance(TimeSpan.FromSeconds(1));
        var after = provider.Resolve().Credential;

        Assert.Equal("LTAI5tOld", before.AccessKeyId);
        Assert.Same(before, withinInterval);
        Assert.Equal("LTAI5tNewKey", after.AccessKeyId);
        Assert.Equal("new-secret", after.AccessKeySecret);
    }

    [Fact]
    public void A_file_whose_last_write_time_and_length_are_unchanged_is_not_read_again()
    {
        using var home = new TempHome();
        var path = home.Write(File1, TempHome.AccessKeyIni("default", "LTAI5tAAAA", "secret-aaaa"));
        var stamp = File.GetLastWriteTimeUtc(path);
        var provider = new DataphinCredentialsFileProvider(options: home.Options(TimeSpan.FromSeconds(1)));
        var first = provider.Resolve().Credential;

        File.WriteAllText(path, TempHome.AccessKeyIni("default", "LTAI5tBBBB", "secret-bbbb"));
        File.SetLastWriteTimeUtc(path, stamp);
        home.Clock.Advance(TimeSpan.FromSeconds(2));
        var sameStamp = provider.Resolve().Credential;
        File.SetLastWriteTimeUtc(path, stamp.AddSeconds(1));
        home.Clock.Advance(TimeSpan.FromSeconds(2));
        var newStamp = provider.Resolve().Credential;

        Assert.Same(first, sameStamp);
        Assert.Equal("LTAI5tBBBB", newStamp.AccessKeyId);
    }

    [Fact]
    public void A_zero_refresh_interval_checks_the_file_on_every_request_and_a_deleted_file_becomes_unavailable()
    {
        using var home = new TempHome();
        var path = home.Write(File1, TempHome.AccessKeyIni("default", "LTAI5tGone", "s"));
        var provider = new DataphinCredentialsFileProvider(options: home.Options(TimeSpan.Zero));

        _ = provider.Resolve();
        File.Delete(path);

        var error = Assert.Throws<DataphinCredentialUnavailableException>(provider.Resolve);
        Assert.Contains("the file does not exist", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_key_file_other_users_can_read_gets_a_warning_and_a_private_one_none()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        using var home = new TempHome();
        var open = home.Write("open/credentials", TempHome.AccessKeyIni("default", "LTAI5tOpen", "s"), UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        var closed = home.Write("closed/credentials", TempHome.AccessKeyIni("default", "LTAI5tClosed", "s"));

        var warned = new DataphinCredentialsFileProvider(path: open, options: home.Options()).Resolve();
        var quiet = new DataphinCredentialsFileProvider(path: closed, options: home.Options()).Resolve();

        var warning = Assert.Single(warned.Warnings);
        Assert.Contains("group members and other users can read it", warning, StringComparison.Ordinal);
        Assert.Contains($"chmod 600 '{open}'", warning, StringComparison.Ordinal);
        Assert.Empty(quiet.Warnings);
    }

    [Fact]
    public void Without_a_home_folder_and_no_variable_the_file_is_unavailable()
    {
        var environment = new DataphinProcessEnvironment(_ => null, homeDirectory: null);

        var error = Assert.Throws<DataphinCredentialUnavailableException>(() => new DataphinCredentialsFileProvider(options: new DataphinCredentialSourceOptions { Environment = environment }).Resolve());

        Assert.Contains("no home folder", error.Message, StringComparison.Ordinal);
    }
}
