using System.CommandLine;
using Dataphin.OpenApi.Testing;

namespace Dataphin.OpenApi.Cli;

/// <summary>
/// <c>dataphin emulator</c>: runs the local Dataphin emulator until Ctrl+C. Its options are the standalone emulator's
/// (<see cref="EmulatorCommandLine"/>): they are declared here only for help and read by the shared parser.
/// </summary>
internal static class EmulatorCommand
{
    public const string ReadyLine = EmulatorCommandLine.ReadyLine;

    public static Command Build(TextWriter stdout)
    {
        var command = new Command("emulator", "Run the local Dataphin OpenAPI emulator on 127.0.0.1 until Ctrl+C: it verifies signatures, stores registered lineage, answers GetTableLineages, enforces an edition's quotas and can inject faults. Point --endpoint at it; GET <endpoint>/_emulator/state tells what it received and holds.");
        var options = new List<(EmulatorCommandLineOption Definition, Option Option)>();
        foreach (var definition in EmulatorCommandLine.Options)
        {
            Option option = definition.ValueName is null
                ? new Option<bool>(definition.Name) { Description = definition.Description }
                : new Option<string>(definition.Name) { Description = definition.Description, HelpName = definition.ValueName };
            command.Options.Add(option);
            options.Add((definition, option));
        }

        command.SetAction(async (parse, cancellationToken) =>
        {
            var args = new List<string>();
            foreach (var (definition, option) in options)
            {
                if (parse.GetResult(option) is null)
                {
                    continue;
                }

                if (definition.ValueName is null)
                {
                    if (parse.GetValue((Option<bool>)option))
                    {
                        args.Add(definition.Name);
                    }
                }
                else
                {
                    args.Add(definition.Name);
                    args.Add(parse.GetValue((Option<string>)option) ?? string.Empty);
                }
            }

            EmulatorCommandLine commandLine;
            try
            {
                commandLine = EmulatorCommandLine.Parse(args);
            }
            catch (EmulatorCommandLineException error)
            {
                throw new CliUsageException(error.Message, error);
            }

            DataphinEmulator emulator;
            try
            {
                emulator = await commandLine.StartAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (IOException error)
            {
                throw new CliUsageException($"The emulator cannot listen on port {commandLine.EmulatorOptions.Port}: {error.Message}", error);
            }

            await using (emulator.ConfigureAwait(false))
            {
                foreach (var line in commandLine.DescribeRunning(emulator))
                {
                    await stdout.WriteLineAsync(line).ConfigureAwait(false);
                }

                await stdout.WriteLineAsync($"  try:               ALIBABA_CLOUD_ACCESS_KEY_ID={emulator.AccessKeyId} ALIBABA_CLOUD_ACCESS_KEY_SECRET=... dataphin lineage add --file lineage.csv --endpoint {emulator.Endpoint} --tenant {emulator.DefaultTenantId}").ConfigureAwait(false);
                await stdout.WriteLineAsync($"  then:              dataphin lineage show --table dataphin.dw_project.dwd_trade_order_di --endpoint {emulator.Endpoint} --tenant {emulator.DefaultTenantId}").ConfigureAwait(false);
                await stdout.WriteLineAsync("                     (the emulator names a table given by its properties catalog.schema.name; one given by GUID, by its GUID)").ConfigureAwait(false);
                await StopSignals.AnnounceReadyAndWaitAsync(stdout, ReadyLine, cancellationToken).ConfigureAwait(false);

                await stdout.WriteLineAsync(EmulatorCommandLine.DescribeStopping(emulator)).ConfigureAwait(false);
            }

            return ExitCodes.Success;
        });
        return command;
    }
}
