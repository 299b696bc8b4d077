using System.CommandLine;
using Dataphin.OpenApi.Testing;

namespace Dataphin.OpenApi.Cli;

/// <summary><c>dataphin emulator</c>: runs the local Dataphin emulator until Ctrl+C.</summary>
internal static class EmulatorCommand
{
    public const string ReadyLine = "Press Ctrl+C to stop.";

    public static Command Build(TextWriter stdout)
    {
        var command = new Command("emulator", "Run the local Dataphin OpenAPI emulator on 127.0.0.1 until Ctrl+C: it verifies signatures, stores registered lineage and answers GetTableLineages. Point --endpoint at it.");
        var port = new Option<int>("--port") { Description = "The TCP port on 127.0.0.1; 0 picks a free port.", DefaultValueFactory = _ => 0, HelpName = "n" };
        var tenant = new Option<long>("--tenant") { Description = "The tenant id the emulator knows.", DefaultValueFactory = _ => DataphinEmulatorOptions.DefaultTenant, HelpName = "id" };
        var noQuotas = new Option<bool>("--no-quotas") { Description = "Switch the emulator's per-level QPS quotas off (on by default, as in the Basic edition)." };
        command.Options.Add(port);
        command.Options.Add(tenant);
        command.Options.Add(noQuotas);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var portValue = parse.GetValue(port);
            if (portValue is < 0 or > 65535)
            {
                throw new CliUsageException($"--port must be between 0 and 65535; it was {portValue}.");
            }

            var options = new DataphinEmulatorOptions { Port = portValue, DefaultTenantId = parse.GetValue(tenant) };
            if (parse.GetValue(noQuotas))
            {
                options.Quotas = EmulatorQuotas.Disabled;
            }

            DataphinEmulator emulator;
            try
            {
                emulator = await DataphinEmulator.StartAsync(options, cancellationToken).ConfigureAwait(false);
            }
            catch (IOException error)
            {
                throw new CliUsageException($"The emulator cannot listen on port {portValue}: {error.Message}", error);
            }

            await using (emulator.ConfigureAwait(false))
            {
                await stdout.WriteLineAsync("Dataphin OpenAPI emulator").ConfigureAwait(false);
                await stdout.WriteLineAsync($"  endpoint:        {emulator.Endpoint}").ConfigureAwait(false);
                await stdout.WriteLineAsync($"  tenant:          {emulator.DefaultTenantId}").ConfigureAwait(false);
                await stdout.WriteLineAsync($"  AccessKey id:    {emulator.AccessKeyId} (the emulator's fixed test key; its secret is {DataphinEmulatorOptions.DefaultAccessKeySecret})").ConfigureAwait(false);
                await stdout.WriteLineAsync($"  try:             ALIBABA_CLOUD_ACCESS_KEY_ID={emulator.AccessKeyId} ALIBABA_CLOUD_ACCESS_KEY_SECRET=... dataphin lineage add --file lineage.csv --endpoint {emulator.Endpoint} --tenant {emulator.DefaultTenantId}").ConfigureAwait(false);
                await stdout.WriteLineAsync($"  then:            dataphin lineage show --table dataphin.dw_project.dwd_trade_order_di --endpoint {emulator.Endpoint} --tenant {emulator.DefaultTenantId}").ConfigureAwait(false);
                await stdout.WriteLineAsync("                   (the emulator names a table given by its properties catalog.schema.name; one given by GUID, by its GUID)").ConfigureAwait(false);
                await stdout.WriteLineAsync(ReadyLine).ConfigureAwait(false);
                await stdout.FlushAsync(CancellationToken.None).ConfigureAwait(false);
                try
                {
#pragma warning disable RS0030 // Banned API: an infinite wait that only cancellation ends; no clock is read or waited on.
                    await Task.Delay(Timeout.Infinite, cancellationToken).ConfigureAwait(false);
#pragma warning restore RS0030
                }
                catch (OperationCanceledException)
                {
                }

                await stdout.WriteLineAsync($"Stopping; {emulator.RequestsReceived} requests were received.").ConfigureAwait(false);
            }

            return ExitCodes.Success;
        });
        return command;
    }
}
