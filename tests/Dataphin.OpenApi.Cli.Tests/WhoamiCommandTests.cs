using System.Globalization;
using System.Text.Json;
using Dataphin.OpenApi.Testing;

namespace Dataphin.OpenApi.Cli.Tests;

public sealed class WhoamiCommandTests
{
    private static string Tenant(DataphinEmulator emulator) => emulator.DefaultTenantId.ToString(CultureInfo.InvariantCulture);

    [Fact]
    public async Task A_profile_made_with_config_set_is_shown_with_its_reasons_and_the_key_is_proved_against_the_emulator()
    {
        await using var emulator = await DataphinEmulator.StartAsync(new DataphinEmulatorOptions { Quotas = EmulatorQuotas.Disabled });
        using var home = new CliHome();
        home.Secret(emulator.AccessKeySecret);
        var credentials = home.Write(".alibabacloud/credentials", $"[dp]\ntype = access_key\naccess_key_id = {emulator.AccessKeyId}\naccess_key_secret = {emulator.AccessKeySecret}\n");
        foreach (var (setting, value) in new[] { ("endpoint", emulator.Endpoint.ToString()), ("tenantId", Tenant(emulator)), ("edition", "Basic"), ("credentialProfile", "dp") })
        {
            Assert.Equal(0, (await home.RunAsync("config", "set", setting, value, "--profile", "emu")).ExitCode);
        }

        var run = await home.RunAsync("whoami");

        Assert.Equal(0, run.ExitCode);
        Assert.Contains($"Profile:     emu in {home.ProfileFile} (the file's current profile)", run.Stdout);
        Assert.Contains($"Endpoint:    {emulator.Endpoint.GetLeftPart(UriPartial.Authority)} (from profile 'emu')", run.Stdout);
        Assert.Contains("Tenant:      300001234 (from profile 'emu')", run.Stdout);
        Assert.Contains("Edition:     Basic (from profile 'emu')", run.Stdout);
        Assert.Contains($"Credential:  credentials file {credentials}, section [dp] (asked for) (type access_key)", run.Stdout);
        Assert.Contains("chosen because profile 'emu' names credentialProfile [dp]", run.Stdout);
        Assert.Contains("AccessKey:   test****eyId", run.Stdout);
        Assert.Contains("GetMyTenants succeeded: the AccessKey works for tenant 300001234; its tenants: 300001234 (tenant 300001234).", run.Stdout);
        var call = Assert.Single(emulator.Requests);
        Assert.Equal("GetMyTenants", call.Action);
        Assert.Equal(200, call.Status);
        Assert.Equal("profile/static_ak", call.Headers["x-acs-credentials-provider"]);
    }

    [Fact]
    public async Task A_wrong_secret_is_reported_as_an_authentication_failure_with_exit_code_1()
    {
        await using var emulator = await DataphinEmulator.StartAsync();
        using var home = new CliHome();
        home.Variables["ALIBABA_CLOUD_ACCESS_KEY_ID"] = emulator.AccessKeyId;
        home.Variables["ALIBABA_CLOUD_ACCESS_KEY_SECRET"] = "wrong-secret-never-shown";
        home.Variables["DATAPHIN_ENDPOINT"] = emulator.Endpoint.ToString();
        home.Variables["DATAPHIN_TENANT_ID"] = Tenant(emulator);
        home.Secret("wrong-secret-never-shown", emulator.AccessKeySecret);

        var run = await home.RunAsync("whoami");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("Profile:     none (no profile file at", run.Stdout);
        Assert.Contains("Endpoint:    " + emulator.Endpoint.GetLeftPart(UriPartial.Authority) + " (from $DATAPHIN_ENDPOINT)", run.Stdout);
        Assert.Contains("Credential:  environment variables ALIBABA_CLOUD_ACCESS_KEY_ID and ALIBABA_CLOUD_ACCESS_KEY_SECRET", run.Stdout);
        Assert.Contains("chosen because no Dataphin profile names one, so the default chain", run.Stdout);
        Assert.Contains("GetMyTenants failed (authentication)", run.Stdout);
        Assert.Contains("The AccessKey was not accepted", run.Stdout);
        Assert.Equal("default/env", Assert.Single(emulator.Requests).Headers["x-acs-credentials-provider"]);
    }

    [Fact]
    public async Task An_endpoint_that_refuses_connections_is_reported_as_a_network_failure_in_plain_words()
    {
        // A port that was bound and then closed: nothing listens there, so the connection is refused.
        var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        using var home = new CliHome();
        home.Variables["ALIBABA_CLOUD_ACCESS_KEY_ID"] = "LTAI5tRefusedKeyId";
        home.Variables["ALIBABA_CLOUD_ACCESS_KEY_SECRET"] = "refused-secret-never-shown";
        home.Variables["DATAPHIN_ENDPOINT"] = $"http://127.0.0.1:{port}";
        home.Variables["DATAPHIN_TENANT_ID"] = "300001234";
        home.Secret("refused-secret-never-shown");

        var run = await home.RunAsync("whoami");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains($"GetMyTenants failed (network): GetMyTenants failed at http://127.0.0.1:{port} after ", run.Stdout);
        Assert.Contains("the connection was refused", run.Stdout);
        Assert.Contains("Nothing reached the service.", run.Stdout);
        Assert.DoesNotContain("Exception", run.Stdout + run.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("System.", run.Stdout + run.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Json_output_names_every_choice_and_shows_an_STS_token_only_as_present()
    {
        const string token = "emulator-sts-token-never-shown";
        await using var emulator = await DataphinEmulator.StartAsync(new DataphinEmulatorOptions { SecurityToken = token });
        using var home = new CliHome();
        home.Secret(token, emulator.AccessKeySecret);
        home.Write(".aliyun/config.json", $"{{\"current\":\"tmp\",\"profiles\":[{{\"name\":\"tmp\",\"mode\":\"StsToken\",\"access_key_id\":\"{emulator.AccessKeyId}\",\"access_key_secret\":\"{emulator.AccessKeySecret}\",\"sts_token\":\"{token}\"}}]}}");

        var run = await home.RunAsync("whoami", "--json", "--endpoint", emulator.Endpoint.ToString(), "--tenant", Tenant(emulator));

        Assert.Equal(0, run.ExitCode);
        using var answer = JsonDocument.Parse(run.Stdout);
        var root = answer.RootElement;
        Assert.Equal(JsonValueKind.Null, root.GetProperty("profile").GetProperty("name").ValueKind);
        Assert.Equal("--endpoint", root.GetProperty("endpoint").GetProperty("from").GetString());
        Assert.Equal(300001234, root.GetProperty("tenant").GetProperty("value").GetInt64());
        Assert.Equal("--tenant", root.GetProperty("tenant").GetProperty("from").GetString());
        var credential = root.GetProperty("credential");
        Assert.StartsWith("aliyun CLI profile 'tmp'", credential.GetProperty("source").GetString(), StringComparison.Ordinal);
        Assert.True(credential.GetProperty("securityToken").GetBoolean());
        Assert.Equal("test****eyId", credential.GetProperty("accessKeyId").GetString());
        Assert.Equal(2, credential.GetProperty("passedOver").GetArrayLength());
        Assert.True(root.GetProperty("check").GetProperty("succeeded").GetBoolean());
        Assert.Equal("300001234 (tenant 300001234)", Assert.Single(root.GetProperty("check").GetProperty("tenants").EnumerateArray()).GetString());
        Assert.Equal("default/cli_profile/static_sts", Assert.Single(emulator.Requests).Headers["x-acs-credentials-provider"]);
    }

    [Fact]
    public async Task A_RAM_role_profile_is_refused_before_any_request()
    {
        await using var emulator = await DataphinEmulator.StartAsync();
        using var home = new CliHome();
        home.Write(".alibabacloud/credentials", "[etl-role]\ntype = ram_role_arn\naccess_key_id = LTAI5tBase\naccess_key_secret = role-base-secret\nrole_arn = acs:ram::1:role/etl\n");
        home.Write(".dataphin/config.json", $"{{\"current\":\"p\",\"profiles\":{{\"p\":{{\"endpoint\":\"{emulator.Endpoint}\",\"tenantId\":{Tenant(emulator)},\"credentialProfile\":\"etl-role\"}}}}}}");
        home.Secret("role-base-secret");

        var whoami = await home.RunAsync("whoami");
        var add = await home.RunAsync("lineage", "add", "--file", CliRun.Sample("manifests/lineage.csv"));

        Assert.Equal(2, whoami.ExitCode);
        Assert.Contains("No usable credential: profile 'p' names credentialProfile [etl-role], but credentials file", whoami.Stdout);
        Assert.Contains("it is set up for a RAM role (ram_role_arn), and the Dataphin OpenAPI does not accept RAM roles", whoami.Stdout);
        Assert.Equal(2, add.ExitCode);
        Assert.Contains("does not accept RAM roles", add.Stderr);
        Assert.Empty(emulator.Requests);
    }

    [Fact]
    public async Task With_nothing_configured_every_missing_setting_and_every_source_tried_is_listed()
    {
        using var home = new CliHome();

        var run = await home.RunAsync("whoami");

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("Problem:     No endpoint", run.Stdout);
        Assert.Contains("Problem:     No tenant", run.Stdout);
        Assert.Contains("1. environment variables: ALIBABA_CLOUD_ACCESS_KEY_ID and ALIBABA_CLOUD_ACCESS_KEY_SECRET are not set.", run.Stdout);
        Assert.Contains($"2. credentials file {home.PathOf(".alibabacloud/credentials")}: the file does not exist.", run.Stdout);
        Assert.Contains($"3. aliyun CLI configuration {home.PathOf(".aliyun/config.json")}: the file does not exist.", run.Stdout);
        Assert.DoesNotContain("Check:", run.Stdout);
    }

    [Fact]
    public async Task The_command_line_wins_over_variables_which_win_over_the_profile()
    {
        using var home = new CliHome();
        home.Write(".dataphin/config.json", "{\"current\":\"p\",\"profiles\":{\"p\":{\"endpoint\":\"https://from-profile.example\",\"tenantId\":3,\"edition\":\"Agile\",\"accessKeyId\":\"LTAI5tProfileKey\",\"accessKeySecret\":\"profile-secret\"}}}");
        home.Variables["DATAPHIN_ENDPOINT"] = "https://from-variable.example";
        home.Variables["DATAPHIN_TENANT_ID"] = "2";
        home.Variables["ALIBABA_CLOUD_ACCESS_KEY_ID"] = "LTAI5tEnvironmentKey";
        home.Variables["ALIBABA_CLOUD_ACCESS_KEY_SECRET"] = "environment-secret";
        home.Secret("profile-secret", "environment-secret");

        var variables = await home.RunAsync("whoami", "--no-call");
        var commandLine = await home.RunAsync("whoami", "--no-call", "--endpoint", "https://from-option.example", "--tenant", "1");
        home.Variables.Remove("DATAPHIN_ENDPOINT");
        home.Variables.Remove("DATAPHIN_TENANT_ID");
        var profile = await home.RunAsync("whoami", "--no-call");

        Assert.Contains("Endpoint:    https://from-variable.example (from $DATAPHIN_ENDPOINT)", variables.Stdout);
        Assert.Contains("Tenant:      2 (from $DATAPHIN_TENANT_ID)", variables.Stdout);
        Assert.Contains("Endpoint:    https://from-option.example (from --endpoint)", commandLine.Stdout);
        Assert.Contains("Tenant:      1 (from --tenant)", commandLine.Stdout);
        Assert.Contains("Endpoint:    https://from-profile.example (from profile 'p')", profile.Stdout);
        Assert.Contains("Tenant:      3 (from profile 'p')", profile.Stdout);
        Assert.Contains("Edition:     Agile (from profile 'p')", profile.Stdout);
        Assert.All(new[] { variables, commandLine, profile }, run =>
        {
            Assert.Equal(0, run.ExitCode);
            Assert.Contains("Credential:  the AccessKey of Dataphin profile 'p' in " + home.ProfileFile, run.Stdout);
            Assert.Contains("AccessKey:   LTAI****eKey", run.Stdout);
            Assert.DoesNotContain("Check:", run.Stdout);
        });
    }

    [Fact]
    public async Task The_edition_option_wins_over_the_profiles_and_a_wrong_one_is_a_problem_named_in_the_report()
    {
        using var home = new CliHome();
        home.Secret("profile-secret");
        home.Write(".dataphin/config.json", "{\"current\":\"p\",\"profiles\":{\"p\":{\"regionId\":\"cn-hangzhou\",\"tenantId\":3,\"edition\":\"Basic\",\"accessKeyId\":\"LTAI5tProfileKey\",\"accessKeySecret\":\"profile-secret\"}}}");

        var profile = await home.RunAsync("whoami", "--no-call");
        var option = await home.RunAsync("whoami", "--no-call", "--edition", "agile");
        var json = await home.RunAsync("whoami", "--no-call", "--edition", "Intelligent", "--json");
        var wrong = await home.RunAsync("whoami", "--no-call", "--edition", "Enterprise");

        Assert.Equal(0, profile.ExitCode);
        Assert.Contains("Edition:     Basic (from profile 'p')", profile.Stdout);
        Assert.Equal(0, option.ExitCode);
        Assert.Contains("Edition:     Agile (from --edition)", option.Stdout);
        using (var document = JsonDocument.Parse(json.Stdout))
        {
            Assert.Equal("Intelligent", document.RootElement.GetProperty("edition").GetProperty("value").GetString());
            Assert.Equal("--edition", document.RootElement.GetProperty("edition").GetProperty("from").GetString());
        }

        Assert.Equal(ExitCodes.UsageError, wrong.ExitCode);
        Assert.Contains("Problem:     --edition 'Enterprise' is not one of Personal, Agile, Basic, Intelligent.", wrong.Stdout);
        Assert.Single(wrong.Stdout.Split('\n'), line => line.StartsWith("Problem:", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Files_holding_secrets_that_others_can_read_are_warned_about()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        using var home = new CliHome();
        var credentials = home.Write(".alibabacloud/credentials", "[default]\ntype = access_key\naccess_key_id = LTAI5tShared\naccess_key_secret = shared-secret\n", UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.OtherRead);
        var profiles = home.Write(".dataphin/config.json", "{\"profiles\":{\"default\":{\"tenantId\":1,\"regionId\":\"cn-hangzhou\",\"redis\":\"r:6379,password=redis-pw\"}}}", UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead);
        home.Secret("shared-secret", "redis-pw");

        var whoami = await home.RunAsync("whoami", "--no-call");
        var dryRun = await home.RunAsync("lineage", "add", "--file", CliRun.Sample("manifests/lineage.csv"), "--dry-run");

        Assert.Contains($"Warning:     {profiles} holds a secret and group members can read it; make it private: chmod 600 '{profiles}'", whoami.Stdout);
        Assert.Contains($"Warning:     {credentials} holds AccessKey secrets and other users can read it", whoami.Stdout);
        Assert.Empty(whoami.Stderr);
        Assert.Contains($"Warning: {profiles} holds a secret and group members can read it", dryRun.Stderr);
    }
}
