using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Dataphin.OpenApi.Bulk;
using Dataphin.OpenApi.Testing;

namespace Dataphin.OpenApi.Cli.Tests;

/// <summary>
/// Issue 12, as users live it: a long `lineage add` against the emulator over loopback, killed or interrupted in the
/// middle, re-run with the same command; a service failing a third of the time; a wrong secret; undoing an add.
/// The killed and interrupted tool is a real child process. The emulator answers a request only when the test moves
/// its clock, so the test decides exactly when the run is "in the middle": nothing depends on timing.
/// </summary>
public sealed class DurableRunProofTests : IDisposable
{
    private const int Pairs = 2000;
    private const int Concurrency = 4;
    private static readonly TimeSpan Deadline = TimeSpan.FromMinutes(4);
    private readonly string _folder = Directory.CreateTempSubdirectory("dataphin-proof-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public async Task A_run_killed_with_SIGKILL_is_finished_by_the_same_command_without_sending_what_was_done_again()
    {
        if (OperatingSystem.IsWindows())
        {
            return; // No SIGKILL to send on Windows.
        }

        var clock = new SteppingClock();
        await using var emulator = await DataphinEmulator.StartAsync(new DataphinEmulatorOptions { Quotas = EmulatorQuotas.Disabled, TimeProvider = clock, MaxRecordedRequests = 0 });
        emulator.SetFault("*", new EmulatorFault { Latency = SteppingClock.Step });
        var manifest = WriteManifest(Pairs);
        var state = Path.Combine(_folder, "run.journal.jsonl");
        using var guard = new CancellationTokenSource(Deadline);

        int doneAtKill;
        using (var first = StartTool(emulator, "lineage", "add", "--file", manifest, "--state", state, "--concurrency", "4", "--level2-qps", "5000", "--json"))
        {
            try
            {
                doneAtKill = await AnswerUntilJournalShowsAsync(clock, state, atLeast: 300, first, guard.Token);
                first.Process.Kill(); // SIGKILL: no chance to clean up.
                await first.Process.WaitForExitAsync(guard.Token);
            }
            finally
            {
                first.KillIfRunning();
            }

            Assert.NotEqual(0, first.Process.ExitCode);
        }

        Assert.InRange(doneAtKill, 300, Pairs - 1);
        var recorded = BulkRunJournal.Read(state).SucceededCount;
        Assert.InRange(recorded, 300, Pairs - 1);
        emulator.SetFault("*", null);

        var second = await RunToolAsync(emulator, guard.Token, "lineage", "add", "--file", manifest, "--state", state, "--concurrency", "4", "--level2-qps", "5000", "--json");

        Assert.Equal(0, second.ExitCode);
        using var summary = JsonDocument.Parse(second.Stdout);
        var root = summary.RootElement;
        Assert.Equal(0, root.GetProperty("exitCode").GetInt32());
        Assert.Equal(Pairs, root.GetProperty("total").GetInt64());
        Assert.Equal(recorded, root.GetProperty("skippedAlreadyDone").GetInt64());
        Assert.Equal(Pairs - recorded, root.GetProperty("succeeded").GetInt64());
        Assert.Equal(Path.GetFullPath(state), root.GetProperty("journal").GetString());
        Assert.True(root.GetProperty("resumed").GetBoolean());
        Assert.Contains("going on from an earlier run", second.Stderr);

        var stored = emulator.GetLineage(emulator.DefaultTenantId);
        Assert.Equal(Pairs, stored.Count);
        Assert.Equal(Pairs, stored.Select(e => e.Target.EmulatorGuid).Distinct().Count());
        var received = emulator.GetStatistics().Requests["AddRegisterLineage"].Received;
        Assert.InRange(received, Pairs, Pairs + Concurrency);
        Assert.Equal(Pairs, BulkRunJournal.Read(state).SucceededCount);
    }

    [Fact]
    public async Task A_lineage_apply_killed_with_SIGKILL_is_finished_by_the_same_command_and_only_then_the_state_records_it()
    {
        if (OperatingSystem.IsWindows())
        {
            return; // No SIGKILL to send on Windows.
        }

        const int pairs = 60;
        var clock = new SteppingClock();
        await using var emulator = await DataphinEmulator.StartAsync(new DataphinEmulatorOptions { Quotas = EmulatorQuotas.Disabled, TimeProvider = clock, MaxRecordedRequests = 0 });
        emulator.SetFault("AddRegisterLineage", new EmulatorFault { Latency = SteppingClock.Step }); // The reads of the plan are answered at once.
        var manifest = WriteManifest(pairs);
        var statePath = Path.Combine(_folder, "lineage.state.json");
        var journal = Path.Combine(_folder, "apply.journal.jsonl");
        string[] apply = ["lineage", "apply", "--file", manifest, "--state", statePath, "--journal", journal, "--auto-approve", "--concurrency", "4", "--level2-qps", "5000", "--level3-qps", "5000", "--json"];
        using var guard = new CancellationTokenSource(Deadline);

        using (var first = StartTool(emulator, apply))
        {
            try
            {
                await AnswerUntilJournalShowsAsync(clock, journal, atLeast: 20, first, guard.Token);
                first.Process.Kill();
                await first.Process.WaitForExitAsync(guard.Token);
            }
            finally
            {
                first.KillIfRunning();
            }
        }

        Assert.False(File.Exists(statePath)); // Killed before the run ended: the state is written only after it.
        var recorded = BulkRunJournal.Read(journal).SucceededCount;
        Assert.InRange(recorded, 20, pairs - 1);
        emulator.SetFault("AddRegisterLineage", null);

        var second = await RunToolAsync(emulator, guard.Token, apply);

        Assert.True(second.ExitCode == 0, second.Stdout + second.Stderr);
        Assert.Contains("going on from an earlier apply", second.Stderr);
        using (var summary = JsonDocument.Parse(second.Stdout))
        {
            Assert.Equal(pairs, summary.RootElement.GetProperty("applied").GetInt32());
            Assert.Equal(pairs - recorded, summary.RootElement.GetProperty("callsSent").GetInt64());
        }

        Assert.Equal(pairs, emulator.GetLineage(emulator.DefaultTenantId).Count);
        Assert.InRange(emulator.GetStatistics().Requests["AddRegisterLineage"].Received, pairs, pairs + Concurrency);
        Assert.Equal(pairs, LineageState.Load(statePath).Entries.Count);
        var plan = await RunToolAsync(emulator, guard.Token, "lineage", "plan", "--file", manifest, "--state", statePath, "--level3-qps", "5000");
        Assert.Equal(0, plan.ExitCode);
    }

    [Fact]
    public async Task A_run_interrupted_with_SIGINT_accounts_for_every_item_and_the_same_command_finishes_it()
    {
        if (OperatingSystem.IsWindows())
        {
            return; // No SIGINT to send to another process on Windows.
        }

        var clock = new SteppingClock();
        await using var emulator = await DataphinEmulator.StartAsync(new DataphinEmulatorOptions { Quotas = EmulatorQuotas.Disabled, TimeProvider = clock, MaxRecordedRequests = 0 });
        emulator.SetFault("*", new EmulatorFault { Latency = SteppingClock.Step });
        var manifest = WriteManifest(Pairs);
        var state = Path.Combine(_folder, "run.journal.jsonl");
        using var guard = new CancellationTokenSource(Deadline);

        ToolRun interrupted;
        using (var first = StartTool(emulator, "lineage", "add", "--file", manifest, "--state", state, "--concurrency", "4", "--level2-qps", "5000", "--json"))
        {
            try
            {
                await AnswerUntilJournalShowsAsync(clock, state, atLeast: 300, first, guard.Token);
                await SignalAsync("-INT", first.Process, guard.Token);

                // Answer what is on the wire until the tool has stopped: it sends nothing new, so this ends.
                while (!first.Process.HasExited)
                {
                    clock.Advance(SteppingClock.Step);
                    await Task.WhenAny(first.Process.WaitForExitAsync(guard.Token), clock.TimerCreated.WaitAsync(guard.Token));
                    guard.Token.ThrowIfCancellationRequested();
                }

                interrupted = await first.CompleteAsync(guard.Token);
            }
            finally
            {
                first.KillIfRunning();
            }
        }

        Assert.Equal(130, interrupted.ExitCode);
        using (var summary = JsonDocument.Parse(interrupted.Stdout))
        {
            var root = summary.RootElement;
            Assert.Equal(130, root.GetProperty("exitCode").GetInt32());
            Assert.Equal("interrupted", root.GetProperty("stopReason").GetString());
            var total = root.GetProperty("total").GetInt64();
            var succeeded = root.GetProperty("succeeded").GetInt64();
            var notAttempted = root.GetProperty("notAttempted").GetInt64();
            Assert.Equal(Pairs, total);
            Assert.Equal(total, succeeded + root.GetProperty("failed").GetInt64() + root.GetProperty("invalid").GetInt64() + notAttempted + root.GetProperty("skippedAlreadyDone").GetInt64());
            Assert.InRange(succeeded, 300, Pairs - 1);
            Assert.Equal(Pairs - succeeded, notAttempted);
            Assert.Equal(succeeded, BulkRunJournal.Read(state).SucceededCount);
            Assert.Equal(succeeded, emulator.GetLineage(emulator.DefaultTenantId).Count);
            Assert.Contains("interrupted", root.GetProperty("message").GetString());
        }

        emulator.SetFault("*", null);
        var second = await RunToolAsync(emulator, guard.Token, "lineage", "add", "--file", manifest, "--state", state, "--concurrency", "4", "--level2-qps", "5000");

        Assert.Equal(0, second.ExitCode);
        Assert.Matches(@"lineage add: 2000 items: \d+ succeeded, 0 failed, 0 invalid, 0 not attempted, \d+ already done earlier", second.Stdout);
        Assert.Equal(Pairs, emulator.GetLineage(emulator.DefaultTenantId).Count);
        Assert.Equal(0, emulator.GetStatistics().RepeatedRegistrations);
    }

    [Fact]
    public async Task With_35_percent_faults_at_least_99_percent_of_2000_pairs_are_registered_in_one_run_without_duplicates()
    {
        await using var emulator = await DataphinEmulator.StartAsync(new DataphinEmulatorOptions { Quotas = EmulatorQuotas.Disabled, FaultSeed = 12, MaxRecordedRequests = 0 });
        emulator.SetFault("*", new EmulatorFault { ServerErrorRate = 0.30, DroppedConnectionRate = 0.05 });
        var manifest = WriteManifest(Pairs);

        var run = await CliRun.RunAsync(null, Variables(emulator), "lineage", "add", "--file", manifest, "--level2-qps", "5000", "--concurrency", "32", "--json");

        using var summary = JsonDocument.Parse(run.Stdout);
        var root = summary.RootElement;
        var succeeded = root.GetProperty("succeeded").GetInt64();
        Assert.InRange(succeeded, 1980, Pairs);
        Assert.Equal(root.GetProperty("exitCode").GetInt32(), run.ExitCode);
        var statistics = emulator.GetStatistics();
        Assert.Equal(succeeded, statistics.TableLineages);
        Assert.Equal(0, statistics.RepeatedRegistrations);
        var requests = statistics.Requests["AddRegisterLineage"];
        Assert.True(requests.Faulted > 500, $"only {requests.Faulted} faults were injected");
        Assert.InRange(root.GetProperty("callsSent").GetInt64(), requests.Received, requests.Received);
    }

    [Fact]
    public async Task A_wrong_secret_stops_the_run_after_the_calls_in_flight_and_names_the_credential()
    {
        await using var emulator = await DataphinEmulator.StartAsync(new DataphinEmulatorOptions { Quotas = EmulatorQuotas.Disabled });
        var manifest = WriteManifest(600);
        var variables = Variables(emulator);
        variables["ALIBABA_CLOUD_ACCESS_KEY_SECRET"] = "not-the-secret-7f3a";

        var json = await CliRun.RunAsync(null, variables, "lineage", "add", "--file", manifest, "--concurrency", "8", "--json");
        var human = await CliRun.RunAsync(null, variables, "lineage", "add", "--file", manifest, "--concurrency", "8");

        Assert.Equal(ExitCodes.Stopped, json.ExitCode);
        using var summary = JsonDocument.Parse(json.Stdout);
        var root = summary.RootElement;
        Assert.Equal(ExitCodes.Stopped, root.GetProperty("exitCode").GetInt32());
        Assert.Equal("accountError", root.GetProperty("stopReason").GetString());
        Assert.InRange(root.GetProperty("callsSent").GetInt64(), 1, 8);
        Assert.Equal(600, root.GetProperty("total").GetInt64());
        Assert.Equal(600, root.GetProperty("failed").GetInt64() + root.GetProperty("notAttempted").GetInt64());
        Assert.Contains("ALIBABA_CLOUD_ACCESS_KEY_SECRET", root.GetProperty("message").GetString());
        Assert.Contains("SignatureDoesNotMatch", root.GetProperty("message").GetString());
        Assert.InRange(emulator.GetStatistics().Requests["AddRegisterLineage"].Received, 2, 16);
        Assert.Equal(ExitCodes.Stopped, human.ExitCode);
        Assert.Contains("The service did not accept the credential (SignatureDoesNotMatch): check the AccessKey secret (from environment variables ALIBABA_CLOUD_ACCESS_KEY_ID and ALIBABA_CLOUD_ACCESS_KEY_SECRET)", human.Stdout);
        Assert.Matches(@"FAILED (\d+ items \(pair-\d+|pair-\d+)", human.Stdout);
        Assert.Single(human.Stdout.Split('\n'), line => line.StartsWith("FAILED", StringComparison.Ordinal));
        Assert.DoesNotContain("not-the-secret-7f3a", json.Stdout + json.Stderr + human.Stdout + human.Stderr);
        Assert.DoesNotContain("Exception", human.Stdout + human.Stderr);
    }

    [Fact]
    public async Task Delete_with_the_manifest_of_the_add_removes_what_the_add_registered()
    {
        await using var emulator = await DataphinEmulator.StartAsync(new DataphinEmulatorOptions { Quotas = EmulatorQuotas.Disabled });
        var variables = Variables(emulator);
        var manifest = CliRun.Sample("manifests/lineage.json");

        var add = await CliRun.RunAsync(null, variables, "lineage", "add", "--file", manifest);
        var registered = emulator.GetLineage(emulator.DefaultTenantId);
        var delete = await CliRun.RunAsync(null, variables, "lineage", "delete", "--file", manifest);

        Assert.Equal(0, add.ExitCode);
        Assert.Equal(2, registered.Count);
        Assert.Contains(registered, e => e.RelationPropertiesJson is not null);
        Assert.Equal(0, delete.ExitCode);
        Assert.Empty(emulator.GetLineage(emulator.DefaultTenantId));
        Assert.Equal(0, emulator.GetStatistics().FieldLineages);
        Assert.Contains("lineage delete: 2 items: 2 succeeded, 0 failed, 0 invalid, 0 not attempted", delete.Stdout);
        var note = Assert.Single(delete.Stdout.Split('\n'), line => line.StartsWith("Note:", StringComparison.Ordinal));
        Assert.Contains("CheckAssetExist (on 1 item) and RelationProperties (on 1 item)", note);
    }

    private static Dictionary<string, string> Variables(DataphinEmulator emulator) => ChildTool.Variables(emulator);

    /// <summary>Answers requests one step of the clock at a time until the journal records enough items as done; returns how many.</summary>
    private static async Task<int> AnswerUntilJournalShowsAsync(SteppingClock clock, string journal, int atLeast, ToolProcess tool, CancellationToken cancellationToken)
    {
        while (true)
        {
            var done = Done(journal);
            if (done >= atLeast)
            {
                return done;
            }

            // A request is waiting for its answer: let every waiting request through.
            var waiting = clock.TimerCreated.WaitAsync(cancellationToken);
            var exited = tool.Process.WaitForExitAsync(cancellationToken);
            if (await Task.WhenAny(waiting, exited) == exited)
            {
                var run = await tool.CompleteAsync(cancellationToken);
                throw new InvalidOperationException($"The tool ended early with exit code {run.ExitCode}: {run.Stderr} {run.Stdout}");
            }

            clock.Advance(SteppingClock.Step);
        }
    }

    private static int Done(string journal)
    {
        try
        {
            return (int)BulkRunJournal.Read(journal).SucceededCount;
        }
        catch (Exception error) when (error is IOException or BulkRunJournalException)
        {
            return 0; // Not written yet.
        }
    }

    private string WriteManifest(int pairs)
    {
        var path = Path.Combine(_folder, $"lineage-{pairs}.jsonl");
        var text = new StringBuilder();
        for (var i = 0; i < pairs; i++)
        {
            text.Append(CultureInfo.InvariantCulture, $$$"""{"Id":"pair-{{{i}}}","Source":{"ReferenceType":"BY_GUID","MetadataType":"TABLE","Guid":"odps.300001234.ods.src_{{{i}}}"},"Target":{"ReferenceType":"BY_GUID","MetadataType":"TABLE","Guid":"odps.300001234.dw.dst_{{{i}}}"}}""").Append('\n');
        }

        File.WriteAllText(path, text.ToString());
        return path;
    }

    private ToolProcess StartTool(DataphinEmulator emulator, params string[] args)
    {
        var start = ChildTool.StartInfo(emulator, args);
        start.Environment["XDG_STATE_HOME"] = Path.Combine(_folder, "state");
        return new ToolProcess(Process.Start(start) ?? throw new InvalidOperationException("The tool did not start."));
    }

    private async Task<ToolRun> RunToolAsync(DataphinEmulator emulator, CancellationToken cancellationToken, params string[] args)
    {
        using var tool = StartTool(emulator, args);
        try
        {
            return await tool.CompleteAsync(cancellationToken);
        }
        finally
        {
            tool.KillIfRunning();
        }
    }

    private static async Task SignalAsync(string signal, Process process, CancellationToken cancellationToken)
    {
        using var kill = Process.Start("kill", [signal, process.Id.ToString(CultureInfo.InvariantCulture)]);
        await kill.WaitForExitAsync(cancellationToken);
        Assert.Equal(0, kill.ExitCode);
    }

    private sealed record ToolRun(int ExitCode, string Stdout, string Stderr);

    /// <summary>The tool as a child process, its output read as it comes.</summary>
    private sealed class ToolProcess(Process process) : IDisposable
    {
        private readonly Task<string> _stdout = process.StandardOutput.ReadToEndAsync();
        private readonly Task<string> _stderr = process.StandardError.ReadToEndAsync();

        public Process Process { get; } = process;

        public async Task<ToolRun> CompleteAsync(CancellationToken cancellationToken)
        {
            await Process.WaitForExitAsync(cancellationToken);
            return new ToolRun(Process.ExitCode, await _stdout.WaitAsync(cancellationToken), await _stderr.WaitAsync(cancellationToken));
        }

        public void KillIfRunning()
        {
            if (!Process.HasExited)
            {
                Process.Kill(entireProcessTree: true);
            }
        }

        public void Dispose() => Process.Dispose();
    }
}
