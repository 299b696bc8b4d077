using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Dataphin.OpenApi.Testing;
using Dataphin.OpenApi.TestSupport;
using Xunit.Abstractions;

namespace Dataphin.OpenApi.Cli.Tests;

/// <summary>
/// Issue 14, as a fleet lives it: four real `dataphin lineage add` processes sharing one AccessKey and tenant against
/// the emulator enforcing the Level 2 quota (20 per second), sharing the quota through a real redis-server (--redis),
/// 1,200 registrations in all; then the same with Redis killed for 5 s in the middle of the run and restarted.
/// These runs are the real thing on the real clock (about a minute each at the quota).
/// </summary>
public sealed class FleetQuotaProofTests(ITestOutputHelper output) : IDisposable
{
    private const int Processes = 4;
    private const int PairsPerProcess = 300;
    private const double Quota = 20;
    private static readonly TimeSpan Deadline = TimeSpan.FromMinutes(4);
    private readonly string _folder = Directory.CreateTempSubdirectory("dataphin-fleet-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public async Task Four_processes_sharing_one_AccessKey_through_Redis_reach_the_quota_without_being_throttled()
    {
        await using var redis = await RedisServer.StartAsync();
        if (redis is null)
        {
            return; // redis-server is not installed (outside CI).
        }

        await using var emulator = await DataphinEmulator.StartAsync(new DataphinEmulatorOptions { Quotas = EmulatorQuotas.ForEdition(EmulatorEdition.Basic) });
        using var guard = new CancellationTokenSource(Deadline);

        var runs = await RunFleetAsync(emulator, redis, duringRun: null, guard.Token);

        var (attempts, accepted, throttled, rate) = Measure(emulator, DateTimeOffset.MinValue, DateTimeOffset.MaxValue);
        output.WriteLine(Invariant($"{Processes} processes, {accepted} registrations: {rate:F2} per second ({rate / Quota:P1} of the quota); {throttled} of {attempts} attempts throttled by the emulator ({Share(throttled, attempts):P2})"));
        AssertEveryPairStoredOnce(emulator, runs);
        Assert.True(rate >= 0.95 * Quota, Invariant($"achieved {rate:F2} per second, below 95% of {Quota}"));
        Assert.True(throttled < 0.01 * attempts, Invariant($"{throttled} of {attempts} attempts were throttled"));
    }

    [Fact]
    public async Task With_Redis_killed_for_5_seconds_in_the_middle_the_fleet_goes_on_alone_and_loses_nothing()
    {
        await using var redis = await RedisServer.StartAsync();
        if (redis is null)
        {
            return;
        }

        await using var emulator = await DataphinEmulator.StartAsync(new DataphinEmulatorOptions { Quotas = EmulatorQuotas.ForEdition(EmulatorEdition.Basic) });
        using var guard = new CancellationTokenSource(Deadline);
        var outage = (Start: DateTimeOffset.MinValue, End: DateTimeOffset.MinValue);

        async Task KillInTheMiddleAsync()
        {
            // Real processes on the real clock: wait for a third of the run, then take Redis away for 5 s.
            while (emulator.GetStatistics().Requests.GetValueOrDefault("AddRegisterLineage")?.Accepted is not >= Processes * PairsPerProcess / 3)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(100), guard.Token);
            }

            outage.Start = DateTimeOffset.UtcNow;
            await redis.KillAsync();
            await Task.Delay(TimeSpan.FromSeconds(5), guard.Token);
            await redis.RestartAsync();
            outage.End = DateTimeOffset.UtcNow;
        }

        var runs = await RunFleetAsync(emulator, redis, KillInTheMiddleAsync, guard.Token);

        var (attempts, accepted, throttled, rate) = Measure(emulator, DateTimeOffset.MinValue, DateTimeOffset.MaxValue);
        var during = Measure(emulator, outage.Start, outage.End);
        output.WriteLine(Invariant($"{Processes} processes, {accepted} registrations: {rate:F2} per second over the run; {throttled} of {attempts} attempts throttled ({Share(throttled, attempts):P2})"));
        output.WriteLine(Invariant($"Redis down {(outage.End - outage.Start).TotalSeconds:F1} s: {during.Accepted} registrations at {during.Accepted / (outage.End - outage.Start).TotalSeconds:F2} per second, {during.Throttled} of {during.Attempts} attempts throttled ({Share(during.Throttled, during.Attempts):P2})"));
        Assert.NotEqual(DateTimeOffset.MinValue, outage.End);
        Assert.True(during.Attempts > 0, "no call was made while Redis was down");
        AssertEveryPairStoredOnce(emulator, runs);
        Assert.All(runs, run => Assert.Contains("Warning: Redis (" + redis.ConnectionString + ") did not answer", run.Stderr, StringComparison.Ordinal));
        Assert.All(runs, run => Assert.Single(run.Stderr.Split('\n'), line => line.Contains("did not answer for the shared Dataphin quota", StringComparison.Ordinal)));
    }

    [Theory]
    [InlineData("--redis", "", "The Redis connection (--redis) cannot be used: The Redis connection string must not be empty")]
    [InlineData("--redis", "localhost:6379,password=Pw-9f2e,bogus=1", "The Redis connection (--redis) cannot be used: The Redis connection string is not valid")]
    [InlineData("DATAPHIN_REDIS", "abortConnect=false,password=Pw-9f2e", "The Redis connection ($DATAPHIN_REDIS) cannot be used: The Redis connection string names no server")]
    public async Task A_Redis_connection_that_cannot_work_is_a_usage_error_that_names_where_it_came_from_and_shows_no_password(string where, string value, string message)
    {
        var manifest = CliRun.Sample("manifests/lineage.json");
        var variables = CliRun.Variables();
        string[] args = ["lineage", "add", "--file", manifest];
        if (where == "--redis")
        {
            args = [.. args, "--redis", value];
        }
        else
        {
            variables[where] = value;
        }

        var run = await CliRun.RunAsync(null, variables, args);

        Assert.Equal(ExitCodes.UsageError, run.ExitCode);
        Assert.Contains(message, run.Stdout + run.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("Pw-9f2e", run.Stdout + run.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("Parameter", run.Stdout + run.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", run.Stdout + run.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_help_of_lineage_add_offers_redis_and_its_variable()
    {
        var run = await CliRun.RunAsync(null, "lineage", "add", "--help");

        Assert.Contains("--redis <connection>", run.Stdout, StringComparison.Ordinal);
        Assert.Contains("$DATAPHIN_REDIS", run.Stdout, StringComparison.Ordinal);
    }

    private static double Share(long part, long whole) => whole == 0 ? 0 : (double)part / whole;

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    private static (long Attempts, long Accepted, long Throttled, double Rate) Measure(DataphinEmulator emulator, DateTimeOffset from, DateTimeOffset to)
    {
        var attempts = emulator.Requests.Where(r => r.Action == "AddRegisterLineage" && r.ReceivedAt >= from && r.ReceivedAt <= to).ToList();
        var accepted = attempts.Where(r => r.Status == 200).ToList();
        var throttled = attempts.Count(r => r.Code == "Throttling.User");
        var span = accepted.Count < 2 ? 0 : (accepted.Max(r => r.ReceivedAt) - accepted.Min(r => r.ReceivedAt)).TotalSeconds;
        return (attempts.Count, accepted.Count, throttled, span > 0 ? (accepted.Count - 1) / span : 0);
    }

    private static void AssertEveryPairStoredOnce(DataphinEmulator emulator, IReadOnlyList<ToolRun> runs)
    {
        foreach (var run in runs)
        {
            Assert.True(run.ExitCode == 0, run.Stdout + run.Stderr);
            using var summary = JsonDocument.Parse(run.Stdout);
            Assert.Equal(PairsPerProcess, summary.RootElement.GetProperty("succeeded").GetInt64());
            Assert.Equal(0, summary.RootElement.GetProperty("failed").GetInt64());
            Assert.DoesNotContain("Exception", run.Stderr, StringComparison.Ordinal);
            Assert.DoesNotContain(emulator.AccessKeySecret, run.Stdout + run.Stderr, StringComparison.Ordinal);
        }

        var stored = emulator.GetLineage(emulator.DefaultTenantId);
        Assert.Equal(Processes * PairsPerProcess, stored.Count);
        Assert.Equal(Processes * PairsPerProcess, stored.Select(e => e.Target.EmulatorGuid).Distinct().Count());
        Assert.Equal(0, emulator.GetStatistics().RepeatedRegistrations);
    }

    private async Task<IReadOnlyList<ToolRun>> RunFleetAsync(DataphinEmulator emulator, RedisServer redis, Func<Task>? duringRun, CancellationToken cancellationToken)
    {
        var tools = new List<Process>();
        try
        {
            for (var p = 0; p < Processes; p++)
            {
                tools.Add(StartTool(emulator, redis, "lineage", "add", "--file", WriteManifest(p), "--edition", "Basic", "--concurrency", "8", "--json"));
            }

            var outputs = tools.Select(t => (Stdout: t.StandardOutput.ReadToEndAsync(cancellationToken), Stderr: t.StandardError.ReadToEndAsync(cancellationToken))).ToList();
            if (duringRun is not null)
            {
                await duringRun();
            }

            var runs = new List<ToolRun>();
            for (var p = 0; p < Processes; p++)
            {
                await tools[p].WaitForExitAsync(cancellationToken);
                runs.Add(new ToolRun(tools[p].ExitCode, await outputs[p].Stdout, await outputs[p].Stderr));
            }

            return runs;
        }
        finally
        {
            foreach (var tool in tools)
            {
                if (!tool.HasExited)
                {
                    tool.Kill(entireProcessTree: true);
                }

                tool.Dispose();
            }
        }
    }

    private string WriteManifest(int process)
    {
        var path = Path.Combine(_folder, $"lineage-{process}.jsonl");
        var text = new StringBuilder();
        for (var i = 0; i < PairsPerProcess; i++)
        {
            text.Append(CultureInfo.InvariantCulture, $$$"""{"Id":"p{{{process}}}-{{{i}}}","Source":{"ReferenceType":"BY_GUID","MetadataType":"TABLE","Guid":"odps.300001234.ods.src_{{{process}}}_{{{i}}}"},"Target":{"ReferenceType":"BY_GUID","MetadataType":"TABLE","Guid":"odps.300001234.dw.dst_{{{process}}}_{{{i}}}"}}""").Append('\n');
        }

        File.WriteAllText(path, text.ToString());
        return path;
    }

    private Process StartTool(DataphinEmulator emulator, RedisServer redis, params string[] args)
    {
        var start = ChildTool.StartInfo(emulator, args);
        start.Environment["DATAPHIN_REDIS"] = redis.ConnectionString; // The environment variable, as a scheduler would set it.
        start.Environment["XDG_STATE_HOME"] = Path.Combine(_folder, "state");
        return Process.Start(start) ?? throw new InvalidOperationException("The tool did not start.");
    }

    private sealed record ToolRun(int ExitCode, string Stdout, string Stderr);
}
