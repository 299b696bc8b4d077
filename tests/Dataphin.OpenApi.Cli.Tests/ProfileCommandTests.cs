using System.Globalization;
using System.Text.Json;
using Dataphin.OpenApi.Testing;

namespace Dataphin.OpenApi.Cli.Tests;

public sealed class ProfileCommandTests
{
    [Fact]
    public async Task Lineage_add_takes_endpoint_tenant_and_its_own_AccessKey_from_the_profile_and_the_command_line_wins()
    {
        await using var emulator = await DataphinEmulator.StartAsync(new DataphinEmulatorOptions { Quotas = EmulatorQuotas.Disabled });
        emulator.AddAccessKey(new EmulatorAccessKey("LTAI5tDataphinIssued", "dataphin-issued-secret", 300007777));
        using var home = new CliHome();
        home.Secret("dataphin-issued-secret");
        home.Write(".dataphin/config.json", $"{{\"current\":\"dp\",\"profiles\":{{\"dp\":{{\"endpoint\":\"{emulator.Endpoint}\",\"tenantId\":300007777,\"edition\":\"Basic\",\"accessKeyId\":\"LTAI5tDataphinIssued\",\"accessKeySecret\":\"dataphin-issued-secret\"}}}}}}");
        var manifest = CliRun.Sample("manifests/lineage.jsonl");

        var fromProfile = await home.RunAsync("lineage", "add", "--file", manifest);
        var otherTenant = await home.RunAsync("lineage", "add", "--file", manifest, "--tenant", emulator.DefaultTenantId.ToString(CultureInfo.InvariantCulture));

        Assert.Equal(0, fromProfile.ExitCode);
        Assert.Equal(3, emulator.GetLineage(300007777).Count);
        Assert.Equal(ExitCodes.Stopped, otherTenant.ExitCode);
        Assert.Contains("has no access to tenant 300001234", otherTenant.Stdout);
        Assert.Contains("The run stopped after the first such answer", otherTenant.Stdout);
        Assert.All(emulator.Requests, r => Assert.Equal("LTAI5tDataphinIssued", r.AccessKeyId));
        Assert.All(emulator.Requests, r => Assert.Equal("static_ak", r.Headers["x-acs-credentials-provider"]));

        // Without --state, the journals go to the state folder under the tool's home folder, never the real one.
        Assert.Equal(2, Directory.GetFiles(home.PathOf(".local/state/dataphin/runs"), "lineage-add-*.jsonl").Length);
    }

    [Fact]
    public async Task The_profiles_edition_is_the_bulk_commands_default_and_edition_on_the_command_line_wins()
    {
        using var home = new CliHome();
        home.Write(".dataphin/config.json", "{\"current\":\"dp\",\"profiles\":{\"dp\":{\"regionId\":\"cn-hangzhou\",\"tenantId\":1,\"edition\":\"Agile\"}}}");
        var manifest = CliRun.Sample("manifests/lineage.csv");

        var levelQuota = await home.RunAsync("lineage", "add", "--file", manifest, "--dry-run", "--level2-qps", "10");
        var sharedQuota = await home.RunAsync("lineage", "add", "--file", manifest, "--dry-run", "--shared-qps", "3");
        var overridden = await home.RunAsync("lineage", "add", "--file", manifest, "--dry-run", "--level2-qps", "10", "--edition", "Basic");

        Assert.Equal(ExitCodes.UsageError, levelQuota.ExitCode);
        Assert.Contains("The Agile edition (profile 'dp') has one quota for all levels: use --shared-qps", levelQuota.Stderr);
        Assert.Equal(0, sharedQuota.ExitCode);
        Assert.Equal(0, overridden.ExitCode);
    }

    [Fact]
    public async Task A_profile_endpoint_with_plain_http_to_another_machine_is_refused_before_anything_is_sent()
    {
        using var home = new CliHome();
        home.Secret("profile-secret");
        home.Write(".dataphin/config.json", "{\"current\":\"dp\",\"profiles\":{\"dp\":{\"endpoint\":\"http://dataphin.example.com\",\"tenantId\":1,\"accessKeyId\":\"LTAI5tProfileKey\",\"accessKeySecret\":\"profile-secret\"}}}");

        var run = await home.RunAsync("lineage", "add", "--file", CliRun.Sample("manifests/lineage.csv"));
        var whoami = await home.RunAsync("whoami", "--no-call");

        Assert.Equal(ExitCodes.UsageError, run.ExitCode);
        Assert.Contains("The endpoint 'http://dataphin.example.com' (profile 'dp') uses plain http to another machine", run.Stderr);
        Assert.DoesNotContain("AllowInsecureHttp", run.Stderr);
        Assert.False(Directory.Exists(home.PathOf(".local/state/dataphin/runs")));
        Assert.Equal(ExitCodes.UsageError, whoami.ExitCode);
        Assert.Contains("Problem:     The endpoint 'http://dataphin.example.com' (profile 'dp') uses plain http", whoami.Stdout);
    }

    [Fact]
    public async Task A_wrong_secret_in_the_profile_stops_the_run_and_the_advice_names_the_profile()
    {
        await using var emulator = await DataphinEmulator.StartAsync(new DataphinEmulatorOptions { Quotas = EmulatorQuotas.Disabled });
        using var home = new CliHome();
        home.Secret("profile-secret-that-is-wrong", emulator.AccessKeySecret);
        home.Write(".dataphin/config.json", $"{{\"current\":\"dp\",\"profiles\":{{\"dp\":{{\"endpoint\":\"{emulator.Endpoint}\",\"tenantId\":{emulator.DefaultTenantId},\"accessKeyId\":\"{emulator.AccessKeyId}\",\"accessKeySecret\":\"profile-secret-that-is-wrong\"}}}}}}");

        var run = await home.RunAsync("lineage", "add", "--file", CliRun.Sample("manifests/lineage.jsonl"), "--json");

        Assert.Equal(ExitCodes.Stopped, run.ExitCode);
        using var json = JsonDocument.Parse(run.Stdout);
        Assert.Equal("accountError", json.RootElement.GetProperty("stopReason").GetString());
        Assert.Contains($"check the AccessKey secret (from the AccessKey of Dataphin profile 'dp' in {home.ProfileFile})", json.RootElement.GetProperty("message").GetString());
        Assert.DoesNotContain("ALIBABA_CLOUD_ACCESS_KEY_SECRET", json.RootElement.GetProperty("message").GetString());
        Assert.Empty(emulator.GetLineage(emulator.DefaultTenantId));
    }

    [Fact]
    public async Task The_profile_is_chosen_by_option_then_DATAPHIN_PROFILE_and_an_unknown_one_is_a_usage_error()
    {
        using var home = new CliHome();
        home.Write(".dataphin/config.json", "{\"current\":\"a\",\"profiles\":{\"a\":{\"tenantId\":1,\"regionId\":\"cn-hangzhou\"},\"b\":{\"tenantId\":2,\"regionId\":\"cn-beijing\"},\"c\":{\"tenantId\":3,\"regionId\":\"cn-shanghai\"}}}");

        var current = await home.RunAsync("whoami", "--no-call");
        home.Variables["DATAPHIN_PROFILE"] = "b";
        var variable = await home.RunAsync("whoami", "--no-call");
        var option = await home.RunAsync("whoami", "--no-call", "--profile", "c");
        var unknown = await home.RunAsync("lineage", "add", "--file", CliRun.Sample("manifests/lineage.csv"), "--profile", "nope");

        Assert.Contains("Profile:     a in " + home.ProfileFile + " (the file's current profile)", current.Stdout);
        Assert.Contains("Profile:     b in " + home.ProfileFile + " ($DATAPHIN_PROFILE)", variable.Stdout);
        Assert.Contains("Endpoint:    https://dataphin-public.cn-beijing.aliyuncs.com (region cn-beijing) (from profile 'b')", variable.Stdout);
        Assert.Contains("Profile:     c in " + home.ProfileFile + " (--profile)", option.Stdout);
        Assert.Equal(2, unknown.ExitCode);
        Assert.Contains("there is no profile 'nope'; it has 'a', 'b', 'c'", unknown.Stderr);
    }

    [Fact]
    public async Task A_malformed_profile_file_is_a_usage_error_naming_the_setting()
    {
        using var home = new CliHome();
        home.Write(".dataphin/config.json", "{\"profiles\":{\"p\":{\"tenantid\":1}}}");

        var run = await home.RunAsync("lineage", "show", "--table", "odps.1.a.b");

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("profiles.p.tenantid is not a profile setting (known: endpoint, regionId, tenantId", run.Stderr);
    }

    [Fact]
    public async Task Config_set_writes_a_private_file_and_get_and_list_never_show_the_secret()
    {
        using var home = new CliHome();
        home.Secret("typed-on-stdin-secret");

        var sets = new[]
        {
            await home.RunAsync("config", "set", "endpoint", "https://dataphin-api.corp.example"),
            await home.RunAsync("config", "set", "tenantId", "300001234"),
            await home.RunAsync("config", "set", "edition", "intelligent"),
            await home.RunAsync("config", "set", "accessKeyId", "LTAI5tFromConfigSet"),
            await home.RunWithInputAsync("typed-on-stdin-secret\n", "config", "set", "accessKeySecret", "-"),
        };
        var getId = await home.RunAsync("config", "get", "accessKeyId");
        var getSecret = await home.RunAsync("config", "get", "accessKeySecret");
        var getEdition = await home.RunAsync("config", "get", "edition");
        var list = await home.RunAsync("config", "list");
        var listJson = await home.RunAsync("config", "list", "--json");

        Assert.All(sets, run => Assert.Equal(0, run.ExitCode));
        Assert.Contains("Set accessKeySecret of profile 'default' to (set)", sets[4].Stdout);
        Assert.Empty(sets[4].Stderr);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(home.ProfileFile));
        }

        Assert.Contains("\"accessKeySecret\": \"typed-on-stdin-secret\"", File.ReadAllText(home.ProfileFile));
        Assert.Equal("LTAI****gSet", getId.Stdout.Trim());
        Assert.Equal("(set)", getSecret.Stdout.Trim());
        Assert.Equal("Intelligent", getEdition.Stdout.Trim());
        Assert.Contains("* default", list.Stdout);
        Assert.Contains("accessKeySecret    (set)", list.Stdout);
        using var json = JsonDocument.Parse(listJson.Stdout);
        Assert.Equal("default", json.RootElement.GetProperty("current").GetString());
        Assert.Equal(300001234.ToString(CultureInfo.InvariantCulture), json.RootElement.GetProperty("profiles").GetProperty("default").GetProperty("tenantId").GetString());
    }

    [Fact]
    public async Task A_secret_given_on_the_command_line_is_stored_with_a_warning_about_shell_history()
    {
        using var home = new CliHome();
        home.Secret("secret-in-argv");

        var run = await home.RunAsync("config", "set", "accessKeySecret", "secret-in-argv", "--profile", "p");

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("may be kept in your shell history", run.Stderr);
    }

    [Theory]
    [InlineData(new[] { "config", "set", "tenantId", "abc" }, "tenantId must be a positive whole number (the tenantId in the Dataphin URL); 'abc' is not.")]
    [InlineData(new[] { "config", "set", "edition", "Gold" }, "edition must be one of Personal, Agile, Basic, Intelligent")]
    [InlineData(new[] { "config", "set", "endpoint", "https://x.example/api" }, "endpoint must be an http or https URL of a scheme and host (and port) only")]
    [InlineData(new[] { "config", "set", "tenant", "1" }, "'tenant' is not a profile setting; the settings are endpoint, regionId, tenantId")]
    [InlineData(new[] { "config", "set", "current", "nowhere" }, "There is no profile 'nowhere'")]
    [InlineData(new[] { "config", "get", "tenant" }, "'tenant' is not a profile setting")]
    [InlineData(new[] { "config", "set", "accessKeySecret", "-" }, "The value - reads standard input, but there is none.")]
    public async Task Bad_config_commands_exit_2_naming_the_rule_and_write_nothing(string[] args, string expected)
    {
        using var home = new CliHome();

        var run = await home.RunAsync(args);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains(expected, run.Stderr);
        Assert.DoesNotContain("Parameter", run.Stderr);
        Assert.False(File.Exists(home.ProfileFile));
    }

    [Fact]
    public async Task Profiles_are_added_with_profile_current_is_switched_and_an_unset_setting_exits_1()
    {
        using var home = new CliHome();

        await home.RunAsync("config", "set", "regionId", "cn-hangzhou");
        await home.RunAsync("config", "set", "regionId", "cn-beijing", "--profile", "other");
        var before = await home.RunAsync("config", "get", "regionId");
        var switched = await home.RunAsync("config", "set", "current", "other");
        var after = await home.RunAsync("config", "get", "regionId");
        var unset = await home.RunAsync("config", "get", "tenantId");
        var removed = await home.RunAsync("config", "set", "regionId", "");
        var list = await home.RunAsync("config", "list");

        Assert.Equal("cn-hangzhou", before.Stdout.Trim());
        Assert.Contains("Profile 'other' is current", switched.Stdout);
        Assert.Equal("cn-beijing", after.Stdout.Trim());
        Assert.Equal(1, unset.ExitCode);
        Assert.Contains("tenantId is not set in profile 'other'", unset.Stderr);
        Assert.Contains("Removed regionId from profile 'other'", removed.Stdout);
        Assert.Contains("2 profiles, current: other", list.Stdout);
        Assert.Contains("  default", list.Stdout);
        Assert.Contains("* other", list.Stdout);
    }

    [Fact]
    public async Task Config_list_without_a_file_says_how_to_create_one()
    {
        using var home = new CliHome();

        var run = await home.RunAsync("config", "list");

        Assert.Equal(0, run.ExitCode);
        Assert.Contains($"No profile file at {home.ProfileFile}. Create one with: dataphin config set endpoint <url>", run.Stdout);
    }

    [Fact]
    public async Task DATAPHIN_CONFIG_names_the_file_config_writes_and_commands_read()
    {
        await using var emulator = await DataphinEmulator.StartAsync(new DataphinEmulatorOptions { Quotas = EmulatorQuotas.Disabled });
        using var home = new CliHome();
        home.Secret(emulator.AccessKeySecret);
        var elsewhere = home.PathOf("team/dataphin.json");
        home.Variables["DATAPHIN_CONFIG"] = elsewhere;
        await home.RunAsync("config", "set", "endpoint", emulator.Endpoint.ToString());
        await home.RunAsync("config", "set", "tenantId", emulator.DefaultTenantId.ToString(CultureInfo.InvariantCulture));
        await home.RunAsync("config", "set", "accessKeyId", emulator.AccessKeyId);
        await home.RunWithInputAsync(emulator.AccessKeySecret + "\n", "config", "set", "accessKeySecret", "-");

        var show = await home.RunAsync("lineage", "show", "--table", "odps.300001234.dw_project.dwd_trade_order_di");

        Assert.True(File.Exists(elsewhere));
        Assert.False(File.Exists(home.ProfileFile));
        Assert.Equal(0, show.ExitCode);
        Assert.Contains("0 table lineage(s)", show.Stdout);
    }
}
