using System.Runtime.InteropServices;
using Dataphin.OpenApi.Testing;

EmulatorCommandLine commandLine;
try
{
    commandLine = EmulatorCommandLine.Parse(args);
}
catch (EmulatorCommandLineException e)
{
    Console.Error.WriteLine(e.Message);
    Console.Error.WriteLine("Usage: dataphin-emulator [options]");
    Console.Error.WriteLine(EmulatorCommandLine.Usage);
    return 2;
}

if (commandLine.ShowHelp)
{
    Console.WriteLine("Usage: dataphin-emulator [options]");
    Console.WriteLine(EmulatorCommandLine.Usage);
    return 0;
}

using var stop = new CancellationTokenSource();
void Stop(PosixSignalContext context)
{
    context.Cancel = true;
    stop.Cancel();
}

using var onInterrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
using var onTerminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);

DataphinEmulator emulator;
try
{
    emulator = await commandLine.StartAsync(stop.Token);
}
catch (IOException e)
{
    Console.Error.WriteLine($"The emulator cannot listen on port {commandLine.EmulatorOptions.Port}: {e.Message}");
    return 2;
}

await using (emulator)
{
    foreach (var line in commandLine.DescribeRunning(emulator))
    {
        Console.WriteLine(line);
    }

    Console.WriteLine(EmulatorCommandLine.ReadyLine);
    try
    {
#pragma warning disable RS0030 // Banned API: an infinite wait that only Ctrl+C or SIGTERM ends; no clock is read or waited on.
        await Task.Delay(Timeout.Infinite, stop.Token);
#pragma warning restore RS0030
    }
    catch (OperationCanceledException)
    {
    }

    Console.WriteLine(EmulatorCommandLine.DescribeStopping(emulator));
}

return 0;
