namespace Dataphin.OpenApi.Tests.Credentials;

public sealed class ProfileFileTests
{
    private const string IssueShape = """
        {"current": "default", "profiles": {"default": {"endpoint": "https://dataphin-public.cn-hangzhou.aliyuncs.com",
        "regionId": null, "tenantId": 300001234, "edition": "Basic", "credentialProfile": "default",
        "accessKeyId": null, "accessKeySecret": null, "redis": null}}}
        """;

    [Fact]
    public void Reads_the_documented_shape()
    {
        using var home = new TempHome();
        var path = home.Write(".dataphin/config.json", IssueShape);

        var file = DataphinProfileFile.Load(path);
        var profile = Assert.Single(file.Profiles);

        Assert.True(file.Exists);
        Assert.Equal("default", file.Current);
        Assert.Equal(new Uri("https://dataphin-public.cn-hangzhou.aliyuncs.com"), profile.Endpoint);
        Assert.Null(profile.RegionId);
        Assert.Equal(300001234, profile.TenantId);
        Assert.Equal(DataphinEdition.Basic, profile.Edition);
        Assert.Equal("default", profile.CredentialProfile);
        Assert.Null(profile.AccessKeyId);
        Assert.False(profile.HasAccessKeySecret);
        Assert.Null(profile.Redis);
        Assert.Empty(file.Warnings);
    }

    [Fact]
    public void Saving_writes_the_documented_shape_private_to_the_owner_and_loads_back_the_same()
    {
        using var home = new TempHome();
        var path = home.PathOf("fresh/.dataphin/config.json");
        var file = new DataphinProfileFile(path) { Current = "prod" };
        var prod = file.GetOrAdd("prod");
        prod.Set("endpoint", "https://dataphin-api.corp.example");
        prod.Set("tenantId", "300009999");
        prod.Set("edition", "intelligent");
        prod.Set("accessKeyId", "LTAI5tDataphinIssued");
        prod.Set("accessKeySecret", "dataphin-issued-secret");
        prod.Set("redis", "redis.corp:6379,password=redis-pass,ssl=true");

        file.Save();
        var loaded = DataphinProfileFile.Load(path);
        var again = loaded.Find("prod")!;

        var text = File.ReadAllText(path);
        Assert.Equal(
            ["endpoint", "regionId", "tenantId", "edition", "credentialProfile", "accessKeyId", "accessKeySecret", "redis"],
            System.Text.Json.JsonDocument.Parse(text).RootElement.GetProperty("profiles").GetProperty("prod").EnumerateObject().Select(p => p.Name));
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(Path.GetDirectoryName(path)!));
        }

        Assert.Equal("prod", loaded.Current);
        Assert.Equal(new Uri("https://dataphin-api.corp.example"), again.Endpoint);
        Assert.Equal(300009999, again.TenantId);
        Assert.Equal(DataphinEdition.Intelligent, again.Edition);
        Assert.Equal("dataphin-issued-secret", again.AccessKeySecret);
        Assert.Equal("redis.corp:6379,password=redis-pass,ssl=true", again.Redis);
        Assert.Empty(Directory.GetFiles(Path.GetDirectoryName(path)!, "*.tmp-*"));
    }

    [Fact]
    public void Saving_over_a_file_others_could_read_makes_it_private()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        using var home = new TempHome();
        var path = home.Write(".dataphin/config.json", IssueShape, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.OtherRead);
        var file = DataphinProfileFile.Load(path);
        file.Find("default")!.Set("accessKeySecret", "new-secret");

        file.Save();

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
    }

    [Theory]
    [InlineData("{\"profiles\": {\"prod\": {\"endpont\": \"https://x\"}}}", "profiles.prod.endpont is not a profile setting")]
    [InlineData("{\"curent\": \"prod\"}", "curent is not a key of the profile file")]
    [InlineData("{\"profiles\": {\"prod\": {\"tenantId\": \"300001234\"}}}", "profiles.prod.tenantId must be a positive whole number")]
    [InlineData("{\"profiles\": {\"prod\": {\"tenantId\": -5}}}", "profiles.prod.tenantId must be a positive whole number")]
    [InlineData("{\"profiles\": {\"prod\": {\"edition\": \"Platinum\"}}}", "profiles.prod.edition: edition must be one of Personal, Agile, Basic, Intelligent")]
    [InlineData("{\"profiles\": {\"prod\": {\"endpoint\": \"https://x.example/path\"}}}", "profiles.prod.endpoint: endpoint must be an http or https URL of a scheme and host")]
    [InlineData("{\"profiles\": {\"prod\": {\"regionId\": \"CN_HANGZHOU\"}}}", "profiles.prod.regionId: regionId must be a region id")]
    [InlineData("{\"profiles\": {\"prod\": {\"redis\": 6379}}}", "profiles.prod.redis must be a string or null")]
    [InlineData("{\"profiles\": [\"prod\"]}", "profiles must be a JSON object of named profiles")]
    public void A_bad_file_is_an_error_naming_the_setting_and_the_rule(string text, string expected)
    {
        using var home = new TempHome();
        var path = home.Write("config.json", text);

        var error = Assert.Throws<DataphinProfileException>(() => DataphinProfileFile.Load(path));

        Assert.Equal(Path.GetFullPath(path), error.Path);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Malformed_JSON_names_the_line_without_quoting_the_file()
    {
        using var home = new TempHome();
        var path = home.Write("config.json", "{\"profiles\": {\"p\": {\n\"accessKeySecret\": LEAKED-SECRET }}}");

        var error = Assert.Throws<DataphinProfileException>(() => DataphinProfileFile.Load(path));

        Assert.Contains("not well-formed JSON (near line 2)", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("LEAKED", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_file_loads_empty_and_selects_nothing_unless_a_profile_is_asked_for()
    {
        using var home = new TempHome();
        var file = DataphinProfileFile.Load(home.PathOf("nothing/config.json"));

        Assert.False(file.Exists);
        Assert.Null(file.Select(null));
        var error = Assert.Throws<DataphinProfileException>(() => file.Select("prod"));
        Assert.Contains("the file does not exist, so there is no profile 'prod'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Selection_takes_the_name_then_current_then_default()
    {
        using var home = new TempHome();
        var withCurrent = DataphinProfileFile.Load(home.Write("a.json", "{\"current\":\"b\",\"profiles\":{\"default\":{},\"b\":{},\"c\":{}}}"));
        var withoutCurrent = DataphinProfileFile.Load(home.Write("b.json", "{\"profiles\":{\"default\":{},\"c\":{}}}"));
        var dangling = DataphinProfileFile.Load(home.Write("c.json", "{\"current\":\"gone\",\"profiles\":{\"default\":{}}}"));

        Assert.Equal("c", withCurrent.Select("c")!.Name);
        Assert.Equal("b", withCurrent.Select(null)!.Name);
        Assert.Equal("default", withoutCurrent.Select(null)!.Name);
        Assert.Contains("there is no profile 'x'; it has 'default', 'b', 'c'", Assert.Throws<DataphinProfileException>(() => withCurrent.Select("x")).Message, StringComparison.Ordinal);
        Assert.Contains("current names profile 'gone', which is not in the file", Assert.Throws<DataphinProfileException>(() => dangling.Select(null)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_uses_DATAPHIN_CONFIG_and_DATAPHIN_PROFILE()
    {
        using var home = new TempHome();
        home.Write(".dataphin/config.json", "{\"current\":\"a\",\"profiles\":{\"a\":{\"tenantId\":1},\"b\":{\"tenantId\":2}}}");
        var elsewhere = home.Write("etc/dataphin.json", "{\"current\":\"c\",\"profiles\":{\"c\":{\"tenantId\":3}}}");

        var fromHome = DataphinProfile.Load(environment: home.Environment);
        home.Variables["DATAPHIN_PROFILE"] = "b";
        var fromVariable = DataphinProfile.Load(environment: home.Environment);
        var fromCode = DataphinProfile.Load("a", home.Environment);
        home.Variables.Remove("DATAPHIN_PROFILE");
        home.Variables["DATAPHIN_CONFIG"] = elsewhere;
        var fromOtherFile = DataphinProfile.Load(environment: home.Environment);

        Assert.Equal(1, fromHome!.TenantId);
        Assert.Equal(2, fromVariable!.TenantId);
        Assert.Equal(1, fromCode!.TenantId);
        Assert.Equal(3, fromOtherFile!.TenantId);
    }

    [Fact]
    public void A_file_holding_a_secret_that_others_can_read_gets_a_warning()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        using var home = new TempHome();
        var readable = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead;
        var secret = home.Write("secret.json", "{\"profiles\":{\"p\":{\"accessKeyId\":\"LTAI5tX\",\"accessKeySecret\":\"s\"}}}", readable);
        var redis = home.Write("redis.json", "{\"profiles\":{\"p\":{\"redis\":\"redis://user:pw@host:6379\"}}}", readable);
        var harmless = home.Write("plain.json", "{\"profiles\":{\"p\":{\"tenantId\":1,\"redis\":\"localhost:6379\"}}}", readable);

        Assert.Contains("group members can read it", Assert.Single(DataphinProfileFile.Load(secret).Warnings), StringComparison.Ordinal);
        Assert.Single(DataphinProfileFile.Load(redis).Warnings);
        Assert.Empty(DataphinProfileFile.Load(harmless).Warnings);
    }

    [Fact]
    public void Shown_settings_mask_the_AccessKey_id_and_hide_the_secret_and_the_redis_password()
    {
        var profile = new DataphinProfile("p");
        profile.Set("accessKeyId", "LTAI5tABCDEFGHwxyz");
        profile.Set("accessKeySecret", "hidden-secret-value");
        profile.Set("redis", "redis.corp:6379,password=hidden-redis-pass,ssl=true");
        var other = new DataphinProfile("q") { Redis = "redis://admin:hidden-url-pass@redis.corp:6379/0" };

        var shown = profile.DescribeSettings().ToDictionary(s => s.Key, s => s.Value);
        var text = profile + " " + other + " " + string.Join(" ", other.DescribeSettings());

        Assert.Equal("LTAI****wxyz", shown["accessKeyId"]);
        Assert.Equal("(set)", shown["accessKeySecret"]);
        Assert.Equal("redis.corp:6379,password=***,ssl=true", shown["redis"]);
        Assert.Contains("redis://admin:***@redis.corp:6379/0", text, StringComparison.Ordinal);
        Assert.DoesNotContain("hidden", text + profile, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("tenantId", "0", "tenantId must be a positive whole number")]
    [InlineData("tenantId", "12ab", "tenantId must be a positive whole number")]
    [InlineData("edition", "Gold", "edition must be one of Personal, Agile, Basic, Intelligent")]
    [InlineData("endpoint", "dataphin.example", "endpoint must be an http or https URL")]
    [InlineData("endpoint", "ftp://dataphin.example", "endpoint must be an http or https URL")]
    [InlineData("regionId", "Hangzhou", "regionId must be a region id such as cn-hangzhou")]
    [InlineData("credentialProfile", "[default]", "without brackets")]
    [InlineData("endpoints", "x", "'endpoints' is not a profile setting; the settings are endpoint, regionId")]
    public void Setting_a_bad_value_names_the_setting_and_its_rule(string setting, string value, string expected)
    {
        var error = Assert.Throws<ArgumentException>(() => new DataphinProfile("p").Set(setting, value));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_empty_value_removes_a_setting()
    {
        var profile = new DataphinProfile("p") { TenantId = 5, AccessKeySecret = "s" };

        profile.Set("tenantId", "");
        profile.Set("accessKeySecret", null);

        Assert.Null(profile.TenantId);
        Assert.False(profile.HasAccessKeySecret);
    }

    [Fact]
    public void Contradicting_credential_settings_are_refused()
    {
        var halfKey = new DataphinProfile("half") { AccessKeyId = "LTAI5tX" };
        var both = new DataphinProfile("both") { AccessKeyId = "LTAI5tX", AccessKeySecret = "s", CredentialProfile = "default" };

        Assert.Contains("has accessKeyId but no accessKeySecret", Assert.Throws<DataphinProfileException>(halfKey.CreateCredential).Message, StringComparison.Ordinal);
        Assert.Contains("has both its own AccessKey and credentialProfile 'default'", Assert.Throws<DataphinProfileException>(both.CreateCredential).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_credential_comes_from_the_profiles_own_key_else_its_credentials_file_section_else_the_default_chain()
    {
        using var home = new TempHome();
        home.Write(".alibabacloud/credentials", TempHome.AccessKeyIni("dataphin", "LTAI5tSection", "section-secret"));
        var own = new DataphinProfile("own") { AccessKeyId = "LTAI5tOwnKey", AccessKeySecret = "own-secret" };
        var section = new DataphinProfile("section") { CredentialProfile = "dataphin" };
        var none = new DataphinProfile("none");

        var ownResolution = await own.CreateCredentialProvider(home.Options())!.ResolveAsync(default);
        var sectionResolution = await section.CreateCredentialProvider(home.Options())!.ResolveAsync(default);

        Assert.Equal("LTAI5tOwnKey", ownResolution.Credential.AccessKeyId);
        Assert.Equal("static_ak", ownResolution.Credential.WireProviderName);
        Assert.Equal("the AccessKey of Dataphin profile 'own'", ownResolution.Source);
        Assert.Equal("LTAI5tSection", sectionResolution.Credential.AccessKeyId);
        Assert.Contains("section [dataphin] (asked for)", sectionResolution.Source, StringComparison.Ordinal);
        Assert.Null(none.CreateCredentialProvider(home.Options()));
    }

    [Fact]
    public void ApplyTo_fills_only_what_code_left_unset()
    {
        var profile = new DataphinProfile("p") { Endpoint = new Uri("https://from-profile.example"), RegionId = "cn-beijing", Edition = DataphinEdition.Agile, AccessKeyId = "LTAI5tProfile", AccessKeySecret = "s" };
        var codeCredential = new DataphinCredential("LTAI5tCode", "c");
        var empty = new DataphinClientOptions();
        var given = new DataphinClientOptions { RegionId = "cn-shanghai", Edition = DataphinEdition.Basic, Credential = codeCredential };

        profile.ApplyTo(empty);
        profile.ApplyTo(given);

        Assert.Equal(new Uri("https://from-profile.example"), empty.Endpoint);
        Assert.Null(empty.RegionId);
        Assert.Equal(DataphinEdition.Agile, empty.Edition);
        Assert.NotNull(empty.CredentialProvider);
        Assert.Null(given.Endpoint);
        Assert.Equal("cn-shanghai", given.RegionId);
        Assert.Equal(DataphinEdition.Basic, given.Edition);
        Assert.Same(codeCredential, given.Credential);
        Assert.Null(given.CredentialProvider);
    }
}
