using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Dataphin.OpenApi.Testing;

namespace Dataphin.OpenApi.Cli.Tests;

/// <summary>
/// Issue 17, as users live it: `dataphin serve` as a real child process accepts 500 OpenLineage events, is killed with
/// SIGKILL while forwarding them, and forwards the rest after a restart on the same queue. The emulator answers a call
/// only when the test moves its clock, so the test decides exactly when the server is "in the middle".
/// </summary>
public sealed partial class ServeProofTests : IDisposable
{
    private const int Events = 500;
    private const int Concurrency = 4;
    private const string Key = "serve-proof-key-0123456789abcdef";
    private static readonly TimeSpan Deadline = TimeSpan.FromMinutes(4);
    private readonly string _folder = Directory.CreateTempSubdirectory("dataphin-serve-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public async Task A_server_killed_with_SIGKILL_after_accepting_500_events_forwards_all_of_them_after_a_restart_each_pair_once()
    {
        if (OperatingSystem.IsWindows())
        {
            return; // No SIGKILL to send on Windows.
        }

        var clock = new SteppingClock();
        await using var emulator = await DataphinEmulator.StartAsync(new DataphinEmulatorOptions { Quotas = EmulatorQuotas.Disabled, TimeProvider = clock, MaxRecordedRequests = 0 });
        emulator.SetFault("AddRegisterLineage", new EmulatorFault { Latency = SteppingClock.Step });
        var rules = Path.Combine(_folder, "rules.json");
        File.WriteAllText(rules, """{ "rules": [ { "namespace": "hive://warehouse", "name": "{schema}.{table}", "guid": "odps.300001234.{schema}.{table}" } ] }""");
        var state = Path.Combine(_folder, "queue");
        string[] serve = ["serve", "--port", "0", "--rules", rules, "--state", state, "--concurrency", Concurrency.ToString(CultureInfo.InvariantCulture), "--level2-qps", "5000"];
        using var guard = new CancellationTokenSource(Deadline);

        int storedAtKill;
        using (var first = await ServerProcess.StartAsync(emulator, serve, guard.Token))
        {
            try
            {
                using var http = first.Client();
                for (var i = 0; i < Events; i++)
                {
                    using var answer = await http.PostAsync("/api/v1/lineage", new StringContent(Event(i), Encoding.UTF8, "application/json"), guard.Token);
                    Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
                }

                // Let calls through one clock step at a time until a fifth of the pairs are stored, then kill.
                while (emulator.GetLineage(emulator.DefaultTenantId).Count < Events / 5)
                {
                    await clock.TimerCreated.WaitAsync(guard.Token);
                    clock.Advance(SteppingClock.Step);
                }

                first.Process.Kill(); // SIGKILL: no chance to clean up.
                await first.Process.WaitForExitAsync(guard.Token);
                storedAtKill = emulator.GetLineage(emulator.DefaultTenantId).Count;
            }
            finally
            {
                first.KillIfRunning();
            }
        }

        Assert.InRange(storedAtKill, Events / 5, Events - 1);
        emulator.SetFault("AddRegisterLineage", null);

        using (var second = await ServerProcess.StartAsync(emulator, serve, guard.Token))
        {
            try
            {
                var replayed = int.Parse(QueueLine().Match(second.Stdout).Groups[1].Value, CultureInfo.InvariantCulture);
                Assert.InRange(replayed, Events - storedAtKill, Events - storedAtKill + Concurrency);
                await second.WaitForLogAsync("Every accepted OpenLineage event is forwarded", guard.Token);
                using var http = second.Client();
                using var status = JsonDocument.Parse(await http.GetStringAsync("/api/v1/lineage/status", guard.Token));
                Assert.Equal(0, status.RootElement.GetProperty("queued").GetInt32());
            }
            finally
            {
                second.KillIfRunning();
            }
        }

        var stored = emulator.GetLineage(emulator.DefaultTenantId);
        Assert.Equal(Events, stored.Count);
        Assert.Equal(Events, stored.Select(e => e.Target.EmulatorGuid).Distinct().Count());
        Assert.All(stored, e => Assert.Single(e.FieldLineages));
        var received = emulator.GetStatistics().Requests["AddRegisterLineage"].Received;
        Assert.InRange(received, Events, Events + Concurrency);
    }

    [Fact]
    public async Task Serve_refuses_to_start_without_an_api_key_and_anonymous_access_off_loopback_with_messages_for_people()
    {
        var rules = Path.Combine(_folder, "rules.json");
        File.WriteAllText(rules, """{ "rules": [ { "namespacePrefix": "hive://", "name": "{schema}.{table}", "guid": "odps.{schema}.{table}" } ] }""");
        var variables = CliRun.Variables();

        var noKey = await CliRun.RunAsync(null, variables, "serve", "--rules", rules, "--state", _folder);
        var anonymous = await CliRun.RunAsync(null, variables, "serve", "--rules", rules, "--state", _folder, "--allow-anonymous", "--host", "0.0.0.0");
        var shortKey = await CliRun.RunAsync(null, variables, "serve", "--rules", rules, "--state", _folder, "--api-key", "short-key");
        variables["DATAPHIN_SERVE_API_KEYS"] = "tiny";
        var shortFromVariable = await CliRun.RunAsync(null, variables, "serve", "--rules", rules, "--state", _folder);

        Assert.Equal(ExitCodes.UsageError, noKey.ExitCode);
        Assert.Contains("No API key: pass --api-key <key> (repeatable) or set $DATAPHIN_SERVE_API_KEYS", noKey.Stderr);
        Assert.Equal(ExitCodes.UsageError, anonymous.ExitCode);
        Assert.Contains("--allow-anonymous accepts events without a key only from this machine", anonymous.Stderr);
        Assert.Equal(ExitCodes.UsageError, shortKey.ExitCode);
        Assert.Contains("API key number 1 is shorter than 16 characters", shortKey.Stderr);
        Assert.DoesNotContain("short-key", shortKey.Stderr + shortKey.Stdout);
        Assert.Equal(ExitCodes.UsageError, shortFromVariable.ExitCode);
        Assert.DoesNotContain("tiny", shortFromVariable.Stderr + shortFromVariable.Stdout);
        foreach (var run in new[] { noKey, anonymous, shortKey, shortFromVariable })
        {
            Assert.DoesNotContain("Exception", run.Stderr);
        }
    }

    [Fact]
    public async Task Serve_help_names_every_setting_and_how_to_give_keys()
    {
        var help = await CliRun.RunAsync(null, "serve", "--help");

        Assert.Equal(0, help.ExitCode);
        foreach (var option in new[] { "--port", "--host", "--api-key", "DATAPHIN_SERVE_API_KEYS", "--allow-anonymous", "--rules", "--state", "--queue-capacity", "--concurrency", "--endpoint", "--tenant", "--edition", "--level2-qps" })
        {
            Assert.Contains(option, help.Stdout);
        }
    }

    private static string Event(int i)
        => """{"eventType":"COMPLETE","eventTime":"2025-01-01T02:00:00.000Z","producer":"https://github.com/OpenLineage/OpenLineage/tree/1.23.0/integration/spark","schemaURL":"https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/RunEvent","run":{"runId":"run-#I#"},"job":{"namespace":"spark_etl","name":"job_#I#"},"inputs":[{"namespace":"hive://warehouse","name":"ods.src_#I#"}],"outputs":[{"namespace":"hive://warehouse","name":"dw.dst_#I#","facets":{"columnLineage":{"fields":{"id":{"inputFields":[{"namespace":"hive://warehouse","name":"ods.src_#I#","field":"id","transformations":[{"type":"DIRECT","subtype":"IDENTITY"}]}]}}}}}]}""".Replace("#I#", i.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal);

    [GeneratedRegex(@"queue: +\S+ \((\d+) events from before")]
    private static partial Regex QueueLine();

    [GeneratedRegex(@"listening on (http://\S+?)/api/v1/lineage")]
    private static partial Regex ListeningLine();

    /// <summary>`dataphin serve` as a child process; its output read line by line as it comes.</summary>
    private sealed class ServerProcess : IDisposable
    {
        private readonly ConcurrentQueue<string> _stdout = new();
        private readonly ConcurrentQueue<string> _stderr = new();
        private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly List<(string Text, TaskCompletionSource Seen)> _waits = [];

        private ServerProcess(Process process) => Process = process;

        public Process Process { get; }

        public string Stdout => string.Join('\n', _stdout);

        public Uri BaseAddress { get; private set; } = null!;

        public static async Task<ServerProcess> StartAsync(DataphinEmulator emulator, string[] args, CancellationToken cancellationToken)
        {
            var start = ChildTool.StartInfo(emulator, args);
            start.Environment["DATAPHIN_SERVE_API_KEYS"] = Key;
            var process = new Process { StartInfo = start };
            var server = new ServerProcess(process);
            process.OutputDataReceived += (_, e) => server.Line(e.Data, stdout: true);
            process.ErrorDataReceived += (_, e) => server.Line(e.Data, stdout: false);
            process.Start();
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            var exited = process.WaitForExitAsync(cancellationToken);
            if (await Task.WhenAny(server._ready.Task, exited) == exited)
            {
                throw new InvalidOperationException($"dataphin serve ended with {process.ExitCode}: {server.Stdout} {string.Join('\n', server._stderr)}");
            }

            server.BaseAddress = new Uri(ListeningLine().Match(server.Stdout).Groups[1].Value);
            return server;
        }

        public HttpClient Client()
        {
            var http = new HttpClient { BaseAddress = BaseAddress };
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Key);
            return http;
        }

        public Task WaitForLogAsync(string text, CancellationToken cancellationToken)
        {
            var seen = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            lock (_waits)
            {
                if (_stderr.Any(l => l.Contains(text, StringComparison.Ordinal)))
                {
                    return Task.CompletedTask;
                }

                _waits.Add((text, seen));
            }

            return seen.Task.WaitAsync(cancellationToken);
        }

        public void KillIfRunning()
        {
            if (!Process.HasExited)
            {
                Process.Kill(entireProcessTree: true);
            }
        }

        public void Dispose() => Process.Dispose();

        private void Line(string? line, bool stdout)
        {
            if (line is null)
            {
                return;
            }

            Assert.DoesNotContain(Key, line);
            if (stdout)
            {
                _stdout.Enqueue(line);
                if (line == ServeCommand.ReadyLine)
                {
                    _ready.TrySetResult();
                }

                return;
            }

            lock (_waits)
            {
                _stderr.Enqueue(line);
                foreach (var (text, seen) in _waits.Where(w => line.Contains(w.Text, StringComparison.Ordinal)))
                {
                    seen.TrySetResult();
                }
            }
        }
    }
}
