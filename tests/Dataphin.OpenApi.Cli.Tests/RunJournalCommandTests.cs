using System.Globalization;
using System.Net;
using System.Text.Json;
using Dataphin.OpenApi.Bulk;
using Dataphin.OpenApi.Testing;

namespace Dataphin.OpenApi.Cli.Tests;

/// <summary>The journal, resume, empty input, exit codes and the quota flags, through the tool in process.</summary>
public sealed class RunJournalCommandTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("dataphin-cli-journal-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public async Task The_same_command_with_the_same_state_sends_only_the_items_not_done()
    {
        var state = Path.Combine(_folder, "run.jsonl");
        var first = CliRun.FailingFor("dim_user", HttpStatusCode.BadRequest, "InvalidParameter.AssetNotFound");
        var run = await CliRun.RunAsync(first, "lineage", "add", "--file", CliRun.Sample("manifests/lineage.csv"), "--state", state);

        var second = new FakeDataphinTransport();
        var rerun = await CliRun.RunAsync(second, "lineage", "add", "--file", CliRun.Sample("manifests/lineage.csv"), "--state", state, "--json");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains($"Journal: {state} (if the run is interrupted, run the same command again to go on)", run.Stderr);
        Assert.Contains($"Journal: {state}. Running the same command again sends the 1 item not done and skips the 2 done.", run.Stdout);
        Assert.Equal(0, rerun.ExitCode);
        var request = Assert.Single(second.Requests);
        Assert.Contains("dim_user", CliRun.Command(request));
        using var json = JsonDocument.Parse(rerun.Stdout);
        Assert.Equal(3, json.RootElement.GetProperty("total").GetInt32());
        Assert.Equal(1, json.RootElement.GetProperty("succeeded").GetInt32());
        Assert.Equal(2, json.RootElement.GetProperty("skippedAlreadyDone").GetInt32());
        Assert.Equal(1, json.RootElement.GetProperty("callsSent").GetInt32());
        Assert.True(json.RootElement.GetProperty("resumed").GetBoolean());
    }

    [Fact]
    public async Task Without_state_the_journal_goes_to_the_users_state_folder_and_a_rerun_resumes_unless_fresh()
    {
        var variables = CliRun.Variables();
        variables["XDG_STATE_HOME"] = _folder;
        var first = new FakeDataphinTransport();
        var again = new FakeDataphinTransport();
        var fresh = new FakeDataphinTransport();

        var run = await CliRun.RunAsync(first, variables, "lineage", "add", "--file", CliRun.Sample("manifests/lineage.jsonl"));
        var rerun = await CliRun.RunAsync(again, variables, "lineage", "add", "--file", CliRun.Sample("manifests/lineage.jsonl"));
        var rerunFresh = await CliRun.RunAsync(fresh, variables, "lineage", "add", "--file", CliRun.Sample("manifests/lineage.jsonl"), "--fresh");

        var journal = Assert.Single(Directory.GetFiles(Path.Combine(_folder, "dataphin", "runs"), "*.jsonl"));
        Assert.Matches("lineage-add-[0-9a-f]{16}\\.jsonl$", journal);
        Assert.Contains("Journal: " + journal, run.Stderr);
        Assert.Equal(3, first.Requests.Count);
        Assert.Equal(0, rerun.ExitCode);
        Assert.Empty(again.Requests);
        Assert.Contains("3 items: 0 succeeded, 0 failed, 0 invalid, 0 not attempted, 3 already done earlier; 0 requests sent.", rerun.Stdout);
        Assert.Contains("Every item is done; running the same command again sends nothing (add --fresh to send everything again).", rerun.Stdout);
        Assert.Equal(3, fresh.Requests.Count);
        Assert.Equal(0, rerunFresh.ExitCode);
        Assert.Equal(3, BulkRunJournal.Read(journal).SucceededCount);
    }

    [Fact]
    public async Task A_journal_written_for_another_manifest_is_refused_and_nothing_is_sent()
    {
        var state = Path.Combine(_folder, "run.jsonl");
        await CliRun.RunAsync(new FakeDataphinTransport(), "lineage", "add", "--file", CliRun.Sample("manifests/lineage.csv"), "--state", state);
        var handler = new FakeDataphinTransport();

        var other = await CliRun.RunAsync(handler, "lineage", "add", "--file", CliRun.Sample("manifests/lineage.jsonl"), "--state", state, "--json");
        var delete = await CliRun.RunAsync(handler, "lineage", "delete", "--file", CliRun.Sample("manifests/lineage.csv"), "--state", state);

        Assert.Equal(ExitCodes.UsageError, other.ExitCode);
        Assert.Contains($"The run journal '{state}' was written for another run: it is for another manifest (3 items, SHA-256 ", other.Stderr);
        Assert.Contains("Pass another --state file for this run, or --fresh", other.Stderr);
        using var json = JsonDocument.Parse(other.Stdout);
        Assert.Equal(ExitCodes.UsageError, json.RootElement.GetProperty("exitCode").GetInt32());
        Assert.Equal(ExitCodes.UsageError, delete.ExitCode);
        Assert.Contains("it is for another operation ('lineage add', not 'lineage delete')", delete.Stderr);
        Assert.Empty(handler.Requests);
    }

    [Theory]
    [InlineData("empty.jsonl", "", "(the file is empty)")]
    [InlineData("empty.json", "", "(the file is empty)")]
    [InlineData("header-only.csv", "source_table,source_field,target_table,target_field\n", "has no items.")]
    [InlineData("no-items.json", "{\"items\":[]}", "has no items.")]
    public async Task Empty_input_is_an_error_unless_allowed(string name, string content, string expected)
    {
        var manifest = Path.Combine(_folder, name);
        await File.WriteAllTextAsync(manifest, content);
        var handler = new FakeDataphinTransport();

        var run = await CliRun.RunAsync(handler, "lineage", "add", "--file", manifest);
        var json = await CliRun.RunAsync(handler, "lineage", "add", "--file", manifest, "--json");
        var allowed = await CliRun.RunAsync(handler, "lineage", "add", "--file", manifest, "--allow-empty");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains(expected, run.Stderr);
        Assert.Contains("Pass --allow-empty if that is expected.", run.Stderr);
        Assert.Equal(1, json.ExitCode);
        using (var document = JsonDocument.Parse(json.Stdout))
        {
            Assert.Equal(1, document.RootElement.GetProperty("exitCode").GetInt32());
        }

        Assert.Equal(0, allowed.ExitCode);
        Assert.Contains("0 items", allowed.Stdout);
        Assert.Empty(handler.Requests);
    }

    [Fact]
    public async Task The_json_exit_code_of_an_import_is_the_process_exit_code()
    {
        var run = await CliRun.RunAsync(new FakeDataphinTransport(), "openlineage", "import", CliRun.Sample("openlineage/spark-events.jsonl"), "--mapping", CliRun.Sample("openlineage/openlineage-rules.json"), "--json");

        Assert.Equal(1, run.ExitCode);
        using var json = JsonDocument.Parse(run.Stdout);
        Assert.Equal(1, json.RootElement.GetProperty("exitCode").GetInt32());
        Assert.Equal(2, json.RootElement.GetProperty("succeeded").GetInt32());
        Assert.EndsWith(".jsonl", json.RootElement.GetProperty("journal").GetString());
    }

    [Fact]
    public async Task A_usage_error_with_json_still_prints_json_with_the_exit_code()
    {
        var variables = CliRun.Variables();
        variables.Remove("DATAPHIN_TENANT_ID");

        var run = await CliRun.RunAsync(new FakeDataphinTransport(), variables, "lineage", "add", "--file", CliRun.Sample("manifests/lineage.csv"), "--json");
        var parseError = await CliRun.RunAsync(new FakeDataphinTransport(), "lineage", "add", "--file", CliRun.Sample("manifests/lineage.csv"), "--json", "--bogus");

        Assert.Equal(2, run.ExitCode);
        using var json = JsonDocument.Parse(run.Stdout);
        Assert.Equal(2, json.RootElement.GetProperty("exitCode").GetInt32());
        Assert.Equal("lineage add", json.RootElement.GetProperty("operation").GetString());
        Assert.Contains("No tenant", json.RootElement.GetProperty("error").GetString());
        Assert.Equal(2, parseError.ExitCode);
        using var parsed = JsonDocument.Parse(parseError.Stdout);
        Assert.Equal(2, parsed.RootElement.GetProperty("exitCode").GetInt32());
    }

    [Theory]
    [InlineData(new[] { "--edition", "Agile", "--level2-qps", "10" }, "The Agile edition has one quota for all levels: use --shared-qps")]
    [InlineData(new[] { "--edition", "Enterprise" }, "--edition 'Enterprise' is not one of Personal, Agile, Basic, Intelligent.")]
    [InlineData(new[] { "--shared-qps", "3" }, "--shared-qps is the quota Personal and Agile share")]
    [InlineData(new[] { "--level2-qps", "0" }, "--level2-qps must be a positive number")]
    [InlineData(new[] { "--max-pause", "soon" }, "--max-pause 'soon' is not a duration such as 90s, 5m, 1h30m or 500ms.")]
    [InlineData(new[] { "--endpoint", "http://dataphin.example.com" }, "Use https; plain http is allowed only to this machine (127.0.0.1 or localhost), e.g. the emulator.")]
    [InlineData(new[] { "--endpoint", "https://dataphin.example.com/api?x=1" }, "The endpoint 'https://dataphin.example.com/api?x=1' (--endpoint) must be a scheme and host (and port) only, such as https://dataphin-public.cn-hangzhou.aliyuncs.com; remove '/api?x=1'.")]
    [InlineData(new[] { "--endpoint", "ftp://dataphin.example.com" }, "The endpoint 'ftp://dataphin.example.com' (--endpoint) is not an absolute URL such as https://")]
    [InlineData(new[] { "--region", "CN_Hangzhou" }, "The region 'CN_Hangzhou' (--region) is not a region id such as cn-hangzhou (lower-case letters, digits and hyphens).")]
    public async Task Quota_pause_and_endpoint_mistakes_are_usage_errors_in_words_for_people(string[] extra, string expected)
    {
        var handler = new FakeDataphinTransport();

        var run = await CliRun.RunAsync(handler, ["lineage", "add", "--file", CliRun.Sample("manifests/lineage.csv"), .. extra]);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains(expected, run.Stderr);
        Assert.DoesNotContain("(Parameter", run.Stderr);
        Assert.DoesNotContain("AllowInsecureHttp", run.Stderr);
        Assert.DoesNotContain("DataphinClientOptions", run.Stderr);
        Assert.DoesNotContain("Exception", run.Stderr);
        Assert.Empty(handler.Requests);
    }

    [Fact]
    public async Task An_agile_user_who_says_so_is_paced_to_the_agile_quota_and_never_throttled()
    {
        await using var emulator = await DataphinEmulator.StartAsync(new DataphinEmulatorOptions { Quotas = EmulatorQuotas.ForEdition(EmulatorEdition.Agile) });
        var manifest = Path.Combine(_folder, "twelve.jsonl");
        await File.WriteAllLinesAsync(manifest, Enumerable.Range(0, 12).Select(i => $$$"""{"Source":{"ReferenceType":"BY_GUID","MetadataType":"TABLE","Guid":"odps.1.a.s{{{i}}}"},"Target":{"ReferenceType":"BY_GUID","MetadataType":"TABLE","Guid":"odps.1.a.t{{{i}}}"}}"""));
        var variables = new Dictionary<string, string>
        {
            ["ALIBABA_CLOUD_ACCESS_KEY_ID"] = emulator.AccessKeyId,
            ["ALIBABA_CLOUD_ACCESS_KEY_SECRET"] = emulator.AccessKeySecret,
            ["DATAPHIN_ENDPOINT"] = emulator.Endpoint.ToString(),
            ["DATAPHIN_TENANT_ID"] = emulator.DefaultTenantId.ToString(CultureInfo.InvariantCulture),
        };

        var agile = await CliRun.RunAsync(null, variables, "lineage", "add", "--file", manifest, "--edition", "Agile", "--json");

        Assert.Equal(0, agile.ExitCode);
        using var json = JsonDocument.Parse(agile.Stdout);
        Assert.Equal(12, json.RootElement.GetProperty("succeeded").GetInt32());
        Assert.Equal(0, json.RootElement.GetProperty("throttledAnswers").GetInt32());
        Assert.Equal(12, json.RootElement.GetProperty("callsSent").GetInt32());
        Assert.Equal(0, emulator.GetStatistics().ThrottledAnswers);
    }

    [Fact]
    public async Task Without_the_edition_the_same_user_is_paced_as_basic_and_the_throttling_answers_are_counted()
    {
        await using var emulator = await DataphinEmulator.StartAsync(new DataphinEmulatorOptions { Quotas = EmulatorQuotas.ForEdition(EmulatorEdition.Agile) });
        var manifest = Path.Combine(_folder, "twelve.jsonl");
        await File.WriteAllLinesAsync(manifest, Enumerable.Range(0, 12).Select(i => $$$"""{"Source":{"ReferenceType":"BY_GUID","MetadataType":"TABLE","Guid":"odps.1.a.s{{{i}}}"},"Target":{"ReferenceType":"BY_GUID","MetadataType":"TABLE","Guid":"odps.1.a.t{{{i}}}"}}"""));
        var variables = new Dictionary<string, string>
        {
            ["ALIBABA_CLOUD_ACCESS_KEY_ID"] = emulator.AccessKeyId,
            ["ALIBABA_CLOUD_ACCESS_KEY_SECRET"] = emulator.AccessKeySecret,
            ["DATAPHIN_ENDPOINT"] = emulator.Endpoint.ToString(),
            ["DATAPHIN_TENANT_ID"] = emulator.DefaultTenantId.ToString(CultureInfo.InvariantCulture),
        };

        var basic = await CliRun.RunAsync(null, variables, "lineage", "add", "--file", manifest, "--json");

        using var json = JsonDocument.Parse(basic.Stdout);
        var throttled = json.RootElement.GetProperty("throttledAnswers").GetInt32();
        Assert.True(throttled > 0, "the emulator's Agile quota should have throttled a client paced as Basic");
        Assert.Equal(emulator.GetStatistics().ThrottledAnswers, throttled);
        Assert.Equal(12 + throttled, json.RootElement.GetProperty("callsSent").GetInt32());
    }
}
