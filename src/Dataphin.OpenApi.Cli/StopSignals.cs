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

    /// <summary>
    /// Prints <paramref name="readyLine"/> (what a script or a test waits for before it starts talking to the server)
    /// and waits until the command is cancelled by the first stop signal.
    /// </summary>
    public static async Task AnnounceReadyAndWaitAsync(TextWriter stdout, string readyLine, CancellationToken cancellationToken)
    {
        await stdout.WriteLineAsync(readyLine).ConfigureAwait(false);
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
