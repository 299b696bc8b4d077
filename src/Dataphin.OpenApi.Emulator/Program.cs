using System.Runtime.InteropServices;
using Dataphin.OpenApi.Emulator;
using Dataphin.OpenApi.Testing;

EmulatorArguments arguments;
try
{
    arguments = EmulatorArguments.Parse(args);
}
catch (FormatException e)
{
    Console.Error.WriteLine(e.Message);
    Console.Error.WriteLine(EmulatorArguments.Usage);
    return 2;
}

if (arguments.ShowHelp)
{
    Console.WriteLine(EmulatorArguments.Usage);
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

await using var emulator = await DataphinEmulator.StartAsync(arguments.Options);
var quotas = emulator.Quotas;
Console.WriteLine("Dataphin OpenAPI emulator (dataphin-public 2023-06-30)");
Console.WriteLine($"  endpoint:          {emulator.Endpoint}");
Console.WriteLine($"  tenant (OpTenantId): {emulator.DefaultTenantId}");
Console.WriteLine($"  AccessKey id:      {emulator.AccessKeyId}");
Console.WriteLine($"  AccessKey secret:  {emulator.AccessKeySecret}");
if (emulator.SecurityToken is not null)
{
    Console.WriteLine("  security token:    required (the value given with --security-token)");
}

Console.WriteLine($"  quotas:            {(quotas.Enabled ? quotas.SharedQps is { } shared ? $"{shared} QPS shared by all levels" : $"Level 1 {quotas.Level1Qps} / Level 2 {quotas.Level2Qps} / Level 3 {quotas.Level3Qps} QPS" : "off")}");
Console.WriteLine("Press Ctrl+C to stop.");
try
{
#pragma warning disable RS0030 // Banned API: an infinite wait that only Ctrl+C or SIGTERM ends; no clock is read or waited on.
    await Task.Delay(Timeout.Infinite, stop.Token);
#pragma warning restore RS0030
}
catch (OperationCanceledException)
{
}

Console.WriteLine($"Stopping; {emulator.RequestsReceived} requests were received.");
return 0;
