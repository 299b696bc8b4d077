using System.Diagnostics;

namespace Dataphin.OpenApi.Cli.Tests;

/// <summary>The real process: SIGTERM (kill, docker stop, a CI job ending) stops the tool cleanly instead of leaving it running.</summary>
public class StopSignalTests
{
    [Fact]
    public async Task Sigterm_stops_the_emulator_command_cleanly()
    {
        if (OperatingSystem.IsWindows())
        {
            return; // No SIGTERM to send on Windows.
        }

        var start = new ProcessStartInfo("dotnet")
        {
            ArgumentList = { Path.Combine(AppContext.BaseDirectory, "dataphin.dll"), "emulator", "--port", "0", "--no-quotas" },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();

        // A guard against a hang only; the test waits for events, never for time.
        using var guard = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        try
        {
            string? line;
            while ((line = await process.StandardOutput.ReadLineAsync(guard.Token)) != EmulatorCommand.ReadyLine)
            {
                Assert.NotNull(line);
            }

            using (var kill = Process.Start("kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
            {
                await kill.WaitForExitAsync(guard.Token);
                Assert.Equal(0, kill.ExitCode);
            }

            var rest = await process.StandardOutput.ReadToEndAsync(guard.Token);
            await process.WaitForExitAsync(guard.Token);

            Assert.Equal(0, process.ExitCode);
            Assert.Contains("Stopping; 0 requests were received.", rest);
            Assert.Equal(string.Empty, await stderr);
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }
    }
}
