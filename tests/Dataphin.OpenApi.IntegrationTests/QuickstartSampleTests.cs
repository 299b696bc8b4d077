using Dataphin.OpenApi.IntegrationTests.Support;
using Dataphin.OpenApi.Quickstart;

namespace Dataphin.OpenApi.IntegrationTests;

public sealed class QuickstartSampleTests
{
    [Fact]
    public async Task Without_configuration_the_quickstart_uses_the_emulator_prints_the_graph_and_shows_the_deleted_edge_gone()
    {
        using var output = new StringWriter();
        var graphs = Directory.CreateTempSubdirectory("dataphin-quickstart-").FullName;
        var path = Environment.GetEnvironmentVariable("PATH");

        var exitCode = await QuickstartApp.RunAsync(["--graph-dir", graphs], output, name => name == "PATH" ? path : null);

        var text = output.ToString();
        Assert.True(exitCode == 0, text);
        Assert.Contains("Using the embedded Dataphin emulator", text, StringComparison.Ordinal);

        // The graph as pictures, where it says: Mermaid and DOT always, SVG when Graphviz is on the PATH (CI installs it).
        var mermaid = Path.Combine(graphs, "lineage.mmd");
        Assert.Contains($"The graph as pictures: {mermaid} (Mermaid) and {Path.Combine(graphs, "lineage.dot")} (Graphviz).", text, StringComparison.Ordinal);
        Assert.StartsWith("flowchart LR\n", File.ReadAllText(mermaid), StringComparison.Ordinal);
        Assert.Contains("odps.300001234.ads_project.ads_sales_daily_report", File.ReadAllText(mermaid), StringComparison.Ordinal);
        Assert.Contains("odps.300001234.ads_project.ads_sales_daily_report", File.ReadAllText(Path.Combine(graphs, "lineage.dot")), StringComparison.Ordinal);
        var svg = Path.Combine(graphs, "lineage.svg");
        if ((path ?? string.Empty).Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries).Any(d => File.Exists(Path.Combine(d, "dot"))))
        {
            Assert.Contains($"Drawn by Graphviz: {svg}", text, StringComparison.Ordinal);
            Assert.Contains("odps.300001234.ads_project.ads_sales_daily_report", File.ReadAllText(svg), StringComparison.Ordinal);
        }
        else
        {
            Assert.False(RepositoryPaths.OnCi, "Graphviz 'dot' is not installed, and CI must check the quick start's lineage.svg (.ci/run installs it).");
            Assert.Contains("Graphviz 'dot' is not on the PATH, so no lineage.svg", text, StringComparison.Ordinal);
            Assert.False(File.Exists(svg));
        }

        Directory.Delete(graphs, recursive: true);
        Assert.Contains("ads_project.ads_sales_daily_report", text, StringComparison.Ordinal);
        Assert.Contains("<- dw_project.dwd_trade_order_di", text, StringComparison.Ordinal);
        Assert.Contains("<- mysql_oms.oms.orders", text, StringComparison.Ordinal);
        Assert.Contains(".order_amount -> .pay_amount_cny", text, StringComparison.Ordinal);
        Assert.Contains("dw_project.dim_customer_df -> ads_project.ads_sales_daily_report is gone.", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task With_an_endpoint_but_no_tenant_the_quickstart_says_what_is_missing()
    {
        using var output = new StringWriter();

        var exitCode = await QuickstartApp.RunAsync(["--endpoint", "https://dataphin-public.cn-hangzhou.aliyuncs.com"], output, _ => null);

        Assert.Equal(2, exitCode);
        Assert.Contains("DATAPHIN_TENANT_ID", output.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task With_an_endpoint_tenant_and_credentials_the_quickstart_says_it_uses_the_real_dataphin()
    {
        await using var stand_in = await Testing.DataphinEmulator.StartAsync(new Testing.DataphinEmulatorOptions { Quotas = Testing.EmulatorQuotas.Disabled });
        var environment = new Dictionary<string, string>
        {
            ["DATAPHIN_ENDPOINT"] = stand_in.Endpoint.ToString(),
            ["DATAPHIN_TENANT_ID"] = stand_in.DefaultTenantId.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["ALIBABA_CLOUD_ACCESS_KEY_ID"] = stand_in.AccessKeyId,
            ["ALIBABA_CLOUD_ACCESS_KEY_SECRET"] = stand_in.AccessKeySecret,
        };
        using var output = new StringWriter();

        var graphs = Directory.CreateTempSubdirectory("dataphin-quickstart-").FullName;

        var exitCode = await QuickstartApp.RunAsync(["--graph-dir", graphs], output, name => environment.GetValueOrDefault(name));
        Directory.Delete(graphs, recursive: true);

        var text = output.ToString();
        Assert.True(exitCode == 0, text);
        Assert.Contains($"Using the real Dataphin at {stand_in.Endpoint}", text, StringComparison.Ordinal);
        Assert.DoesNotContain(stand_in.AccessKeySecret, text, StringComparison.Ordinal);
        Assert.Empty(stand_in.GetLineage(stand_in.DefaultTenantId));
    }
}
