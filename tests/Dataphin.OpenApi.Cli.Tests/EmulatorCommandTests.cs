using System.Text;
using Dataphin.OpenApi.Testing;

namespace Dataphin.OpenApi.Cli.Tests;

public class EmulatorCommandTests
{
    [Fact]
    public async Task Lineage_added_with_the_cli_is_shown_by_lineage_show_from_the_emulator()
    {
        await using var emulator = await DataphinEmulator.StartAsync(new DataphinEmulatorOptions { Quotas = EmulatorQuotas.Disabled });
        var variables = new Dictionary<string, string>
        {
            ["ALIBABA_CLOUD_ACCESS_KEY_ID"] = emulator.AccessKeyId,
            ["ALIBABA_CLOUD_ACCESS_KEY_SECRET"] = emulator.AccessKeySecret,
            ["DATAPHIN_ENDPOINT"] = emulator.Endpoint.ToString(),
            ["DATAPHIN_TENANT_ID"] = emulator.DefaultTenantId.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };

        var add = await CliRun.RunAsync(null, variables, "lineage", "add", "--file", CliRun.Sample("manifests/lineage.jsonl"));
        var show = await CliRun.RunAsync(null, variables, "lineage", "show", "--table", "odps.300001234.dw_project.dwd_trade_order_di");
        var downstream = await CliRun.RunAsync(null, variables, "lineage", "show", "-t", "odps.300001234.dw_project.dwd_trade_order_di", "--direction", "downstream");

        Assert.Equal(0, add.ExitCode);
        Assert.Equal(3, emulator.GetLineage(emulator.DefaultTenantId).Count);
        Assert.Equal(0, show.ExitCode);
        Assert.Contains("2 table lineage(s) for odps.300001234.dw_project.dwd_trade_order_di.", show.Stdout);
        Assert.Contains("odps.300001234.dw_project.dwd_trade_order_di -> odps.300001234.ads_project.ads_gmv_daily", show.Stdout);
        Assert.Contains("1 table lineage(s)", downstream.Stdout);
        Assert.DoesNotContain(emulator.AccessKeySecret, add.Stdout + show.Stdout);
    }

    [Fact]
    public async Task The_emulator_command_serves_until_cancelled()
    {
        using var stop = new CancellationTokenSource();
        var stdout = new ReadySignallingWriter();
        var run = CliApp.RunAsync(["emulator", "--port", "0", "--no-quotas"], stdout, new StringWriter(), new CliEnvironment(), stop.Token);

        var endpoint = new Uri(await stdout.Endpoint.Task);
        using (var client = new DataphinClient(endpoint, new DataphinCredential(DataphinEmulatorOptions.DefaultAccessKeyId, DataphinEmulatorOptions.DefaultAccessKeySecret)))
        {
            await client.AddRegisterLineageAsync(DataphinEmulatorOptions.DefaultTenant, new AddRegisterLineageCommand(AssetReference.ByGuid("odps.1.a.b"), AssetReference.ByGuid("odps.1.a.c")));
        }

        await stop.CancelAsync();
        var code = await run;

        Assert.Equal(0, code);
        Assert.Contains("Stopping; 1 requests were received.", stdout.ToString());
    }

    /// <summary>Completes <see cref="Endpoint"/> once the emulator command says it is ready.</summary>
    private sealed class ReadySignallingWriter : StringWriter
    {
        public TaskCompletionSource<string> Endpoint { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public override Encoding Encoding => Encoding.UTF8;

        public override Task WriteLineAsync(string? value)
        {
            base.WriteLine(value);
            if (value is not null && value.Contains("endpoint:", StringComparison.Ordinal))
            {
                _endpoint = value.Split("endpoint:")[1].Trim();
            }

            if (value == EmulatorCommand.ReadyLine)
            {
                Endpoint.TrySetResult(_endpoint!);
            }

            return Task.CompletedTask;
        }

        private string? _endpoint;
    }
}
