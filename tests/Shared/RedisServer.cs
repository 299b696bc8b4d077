using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Dataphin.OpenApi.TestSupport;

/// <summary>
/// A real redis-server of the test's own, on a free loopback port, without persistence; killed (and restarted on the
/// same port) by fault tests, stopped at the end. Start-up is awaited by reading its log for "Ready to accept
/// connections", never by sleeping. When redis-server is missing the test fails on CI (CI set) and passes with a note
/// elsewhere (<see cref="StartAsync"/> returns <see langword="null"/>).
/// </summary>
internal sealed class RedisServer : IAsyncDisposable
{
    private static readonly TimeSpan StartLimit = TimeSpan.FromSeconds(20);
    private readonly string _executable;
    private Process? _process;

    private RedisServer(string executable, int port)
    {
        _executable = executable;
        Port = port;
    }

    public int Port { get; }

    /// <summary>The StackExchange.Redis connection string of the server.</summary>
    public string ConnectionString => "127.0.0.1:" + Port.ToString(CultureInfo.InvariantCulture);

    public bool IsRunning => _process is { HasExited: false };

    public static string? FindExecutable()
    {
        foreach (var folder in (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator))
        {
            var candidate = Path.Combine(folder, "redis-server");
            if (folder.Length > 0 && File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }

    /// <summary>Starts a server, or returns <see langword="null"/> when redis-server is not installed (and fails on CI).</summary>
    public static async Task<RedisServer?> StartAsync()
    {
        var executable = FindExecutable();
        if (executable is null)
        {
            Assert.True(string.IsNullOrEmpty(Environment.GetEnvironmentVariable("CI")), "redis-server is not installed, and CI must run the Redis tests (.ci/run installs the Debian package redis-server).");
            return null;
        }

        var server = new RedisServer(executable, FreePort());
        await server.RestartAsync();
        return server;
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Starts the server (again) on its port, and waits until it accepts connections.</summary>
    public async Task RestartAsync()
    {
        if (IsRunning)
        {
            throw new InvalidOperationException("The server is running.");
        }

        _process?.Dispose();
        var start = new ProcessStartInfo(_executable)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { "--port", Port.ToString(CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--save", string.Empty, "--appendonly", "no", "--protected-mode", "no" })
        {
            start.ArgumentList.Add(arg);
        }

        var ready = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var log = new System.Text.StringBuilder();
        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null)
            {
                ready.TrySetException(new InvalidOperationException("redis-server ended before it was ready: " + log));
                return;
            }

            lock (log)
            {
                log.AppendLine(e.Data);
            }

            if (e.Data.Contains("Ready to accept connections", StringComparison.Ordinal))
            {
                ready.TrySetResult();
            }
        };
        process.ErrorDataReceived += (_, _) => { };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _process = process;
        await ready.Task.WaitAsync(StartLimit);
    }

    /// <summary>Kills the server (SIGKILL: no chance to say goodbye to its clients).</summary>
    public async Task KillAsync()
    {
        if (_process is { HasExited: false } process)
        {
            process.Kill();
            await process.WaitForExitAsync();
        }
    }

    /// <summary>Stops (SIGSTOP) or resumes (SIGCONT) the server: a server that is there but does not answer.</summary>
    public async Task SignalAsync(string signal)
    {
        using var kill = Process.Start("kill", [signal, _process!.Id.ToString(CultureInfo.InvariantCulture)]);
        await kill.WaitForExitAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (_process is not null)
        {
            if (!_process.HasExited)
            {
                await SignalAsync("-CONT");
            }

            await KillAsync();
            _process.Dispose();
        }
    }
}
