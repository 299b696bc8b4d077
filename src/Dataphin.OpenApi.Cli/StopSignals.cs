using System.Runtime.InteropServices;

namespace Dataphin.OpenApi.Cli;

/// <summary>
/// Turns Ctrl+C (SIGINT) and SIGTERM (<c>kill</c>, <c>docker stop</c>, a CI job ending) into a clean stop: the first
/// signal cancels the run, which then reports what it did (and <c>dataphin emulator</c> shuts down); a second one
/// ends the process. Without this, SIGTERM would be swallowed by the emulator's web host and the command would
/// never return.
/// </summary>
internal static class StopSignals
{
    public static IDisposable Register(CancellationTokenSource stop)
    {
        void Handle(PosixSignalContext context)
        {
            if (!stop.IsCancellationRequested)
            {
                context.Cancel = true;
                stop.Cancel();
            }
        }

        return new Registrations(
            PosixSignalRegistration.Create(PosixSignal.SIGINT, Handle),
            PosixSignalRegistration.Create(PosixSignal.SIGTERM, Handle));
    }

    private sealed class Registrations(params PosixSignalRegistration[] registrations) : IDisposable
    {
        public void Dispose()
        {
            foreach (var registration in registrations)
            {
                registration.Dispose();
            }
        }
    }
}
