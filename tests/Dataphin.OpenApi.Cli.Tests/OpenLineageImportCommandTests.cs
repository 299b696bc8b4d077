using System.Text.Json;
using Dataphin.OpenApi.Testing;

namespace Dataphin.OpenApi.Cli.Tests;

public class OpenLineageImportCommandTests
{
    [Fact]
    public async Task Import_registers_the_mapped_pairs_and_reports_unmapped_datasets_with_exit_1()
    {
        var handler = new FakeDataphinTransport();

        var run = await CliRun.RunAsync(handler, "openlineage", "import", CliRun.Sample("openlineage/spark-events.jsonl"), "--mapping", CliRun.Sample("openlineage/openlineage-rules.json"));

        Assert.Equal(1, run.ExitCode);
        Assert.Equal(2, handler.Requests.Count);
        Assert.Contains(handler.Requests, r => CliRun.Command(r).Contains("odps.300001234.dw_project.dwd_trade_order_di.pay_amount_cny"));
        Assert.Contains("UNMAPPED s3a://raw-landing /events/2025/01/01: no rule applies to the namespace 's3a://raw-landing'", run.Stdout);
        Assert.Contains("2 items: 2 succeeded", run.Stdout);
    }

    [Fact]
    public async Task Import_dry_run_with_json_sends_nothing_and_lists_unmapped_and_unreadable()
    {
        var handler = new FakeDataphinTransport();

        var run = await CliRun.RunAsync(handler, new Dictionary<string, string>(), "openlineage", "import", CliRun.Sample("openlineage/dbt-events.jsonl"), "-m", CliRun.Sample("openlineage/openlineage-rules.json"), "--dry-run", "--json");

        Assert.Equal(1, run.ExitCode);
        Assert.Empty(handler.Requests);
        using var json = JsonDocument.Parse(run.Stdout);
        var openLineage = json.RootElement.GetProperty("openLineage");
        Assert.Equal(2, openLineage.GetProperty("tablePairs").GetInt32());
        Assert.Equal(2, openLineage.GetProperty("unmappedDatasets").GetArrayLength());
        Assert.Equal(4, openLineage.GetProperty("unreadableEvents")[0].GetProperty("line").GetInt32());
        Assert.Equal(2, json.RootElement.GetProperty("validated").GetInt32());
    }

    [Fact]
    public async Task Unusable_rules_exit_2()
    {
        var rules = Path.Combine(Path.GetTempPath(), $"rules-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(rules, """{"rules":[{"namespace":"hive://x","guid":"odps.{tenant}.{table}"}]}""");
        try
        {
            var run = await CliRun.RunAsync(new FakeDataphinTransport(), "openlineage", "import", CliRun.Sample("openlineage/spark-events.jsonl"), "--mapping", rules);

            Assert.Equal(2, run.ExitCode);
            Assert.Contains("'guid' uses {tenant}", run.Stderr);
        }
        finally
        {
            File.Delete(rules);
        }
    }
}
