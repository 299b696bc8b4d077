using Dataphin.OpenApi.Cli;

using var cancellation = new CancellationTokenSource();

// The first Ctrl+C or SIGTERM stops the run cleanly (in-flight items are reported); a second one ends the process.
using var signals = StopSignals.Register(cancellation);

return await CliApp.RunAsync(args, Console.Out, Console.Error, CliEnvironment.FromProcess(), cancellation.Token).ConfigureAwait(false);
