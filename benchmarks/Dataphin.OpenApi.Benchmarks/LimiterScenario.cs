using System.Diagnostics;
using System.Globalization;
using System.Text;
using Dataphin.OpenApi.Testing;

namespace Dataphin.OpenApi.Benchmarks;

/// <summary>
/// Item 8: the adaptive limiter against a real quota lower than the configured one. The client is configured for the
/// Basic edition's Level 2 quota (20 QPS); the emulator enforces 25%, 50% or 100% of it. 8 callers register lineage
/// one call after another for the whole run, over loopback on the real clock. Per 5-second window: attempts, the
/// emulator's throttling answers, accepted calls per second. One run has two clients with separate buckets (as two
/// processes on one AccessKey would) against the full quota; a last one starts at 25% and raises the quota to the full
/// 20 QPS half-way through, and measures how long after the rise the emulator first accepts 90% of it in a second.
/// </summary>
internal static class LimiterScenario
{
    public const double Configured = 20;
    public const int Callers = 8;

    public static async Task<IReadOnlyList<LimiterResult>> RunAllAsync(TimeSpan duration, TextWriter log)
    {
        var results = new List<LimiterResult>();
        foreach (var share in new[] { 0.25, 0.5, 1.0 })
        {
            results.Add(await RunAsync(share, processes: 1, duration, log).ConfigureAwait(false));
        }

        results.Add(await RunAsync(1.0, processes: 2, duration, log).ConfigureAwait(false));
        results.Add(await RunAsync(0.25, processes: 1, duration, log, riseAt: duration / 2).ConfigureAwait(false));
        return results;
    }

    private static async Task<LimiterResult> RunAsync(double share, int processes, TimeSpan duration, TextWriter log, TimeSpan? riseAt = null)
    {
        var quota = Configured * share;
        log.WriteLine(string.Create(CultureInfo.InvariantCulture, $"[limiter] real quota {quota} QPS ({share:P0} of {Configured}){(riseAt is { } r ? $", rising to {Configured} at {r.TotalSeconds:0} s" : string.Empty)}, {processes} client(s), {duration.TotalSeconds:0} s ..."));
        var quotas = EmulatorQuotas.ForEdition(EmulatorEdition.Basic);
        quotas.Level2Qps = quota;
        var options = BenchmarkEmulator.Options(quotas);
        options.MaxRecordedRequests = 200_000;
        await using var emulator = await DataphinEmulator.StartAsync(options).ConfigureAwait(false);

        // A client on a clock of its own never shares a bucket with the others: the second "process".
        var clients = Enumerable.Range(0, processes).Select(i => new DataphinClient(new DataphinClientOptions
        {
            Endpoint = emulator.Endpoint,
            Credential = new DataphinCredential(emulator.AccessKeyId, emulator.AccessKeySecret),
            Edition = DataphinEdition.Basic,
            TimeProvider = i == 0 ? TimeProvider.System : new SeparateProcessClock(),
        })).ToList();
        var errors = 0;
        var started = DateTimeOffset.UtcNow;
        using var stop = new CancellationTokenSource(duration);

        async Task CallerAsync(DataphinClient client)
        {
            await Task.Yield();
            var command = Commands.Add(3);
            while (!stop.IsCancellationRequested)
            {
                try
                {
                    await client.AddRegisterLineageAsync(emulator.DefaultTenantId, command).ConfigureAwait(false);
                }
                catch (DataphinException)
                {
                    Interlocked.Increment(ref errors);
                }
            }
        }

        async Task RaiseAsync()
        {
            if (riseAt is { } at)
            {
                await Task.Delay(at, TimeProvider.System, stop.Token).ConfigureAwait(false);
                var raised = quotas.Clone();
                raised.Level2Qps = Configured;
                emulator.Quotas = raised;
            }
        }

        var clock = Stopwatch.StartNew();
        var raise = RaiseAsync();
        await Task.WhenAll(clients.SelectMany(c => Enumerable.Range(0, Callers).Select(_ => CallerAsync(c)))).ConfigureAwait(false);
        await raise.ConfigureAwait(false);
        clock.Stop();
        foreach (var client in clients)
        {
            client.Dispose();
        }

        var attempts = emulator.Requests.Where(r => r.Action == "AddRegisterLineage").ToList();
        var windows = new List<LimiterWindow>();
        for (var from = TimeSpan.Zero; from < duration; from += TimeSpan.FromSeconds(5))
        {
            var to = from + TimeSpan.FromSeconds(5);
            var inWindow = attempts.Where(r => r.ReceivedAt - started >= from && r.ReceivedAt - started < to).ToList();
            windows.Add(new LimiterWindow(from, inWindow.Count, inWindow.Count(r => r.Code == "Throttling.User"), inWindow.Count(r => r.Status == 200) / 5.0));
        }

        // After a rise: the first whole second after it in which the emulator accepted at least 90% of the new quota.
        TimeSpan? regained = null;
        if (riseAt is { } rise)
        {
            for (var second = rise; second < duration; second += TimeSpan.FromSeconds(1))
            {
                var from = second;
                var accepted = attempts.Count(r => r.Status == 200 && r.ReceivedAt - started >= from && r.ReceivedAt - started < from + TimeSpan.FromSeconds(1));
                if (accepted >= 0.9 * Configured)
                {
                    regained = second + TimeSpan.FromSeconds(1) - rise;
                    break;
                }
            }
        }

        var result = new LimiterResult(share, quota, processes, windows, errors, duration, riseAt, regained);
        log.WriteLine(result.Summary());
        return result;
    }

    /// <summary>The system clock, but another instance: buckets are keyed by clock, so a client on it has buckets of its own.</summary>
    private sealed class SeparateProcessClock : TimeProvider
    {
    }
}

/// <summary>One 5-second window of a limiter run.</summary>
internal sealed record LimiterWindow(TimeSpan From, int Attempts, int Throttled, double AcceptedPerSecond);

/// <summary>The figures of one limiter run.</summary>
internal sealed record LimiterResult(double Share, double Quota, int Processes, IReadOnlyList<LimiterWindow> Windows, int ErrorsSurfaced, TimeSpan Duration, TimeSpan? RiseAt = null, TimeSpan? Regained = null)
{
    public (int Attempts, int Throttled, double Rate) After(TimeSpan from)
    {
        var windows = Windows.Where(w => w.From >= from).ToList();
        return (windows.Sum(w => w.Attempts), windows.Sum(w => w.Throttled), windows.Count == 0 ? 0 : windows.Average(w => w.AcceptedPerSecond));
    }

    public string Summary() => "[limiter]   " + Headline();

    private static double Percent(int part, int whole) => whole == 0 ? 0 : 100.0 * part / whole;

    private string Headline()
    {
        var (all, allThrottled, _) = After(TimeSpan.Zero);
        var whole = string.Create(CultureInfo.InvariantCulture, $"whole run {allThrottled} of {all} throttled ({Percent(allThrottled, all):F2}%)");
        if (RiseAt is { } rise)
        {
            var (before, beforeThrottled, beforeRate) = Between(TimeSpan.FromSeconds(10), rise);
            var (after, afterThrottled, _) = After(rise);
            var (_, _, lastRate) = After(Duration - TimeSpan.FromSeconds(10));
            return string.Create(CultureInfo.InvariantCulture, $"from 10 s to the rise {beforeThrottled} of {before} attempts throttled ({Percent(beforeThrottled, before):F2}%), {beforeRate:F2} accepted/s ({beforeRate / Quota:F3} of {Quota:0.#}); after the rise {afterThrottled} of {after} throttled ({Percent(afterThrottled, after):F2}%), 90% of {LimiterScenario.Configured} QPS accepted in a second {(Regained is { } g ? $"{g.TotalSeconds:0} s after it" : "never")}, {lastRate:F2} accepted/s over the last 10 s; {whole}; {ErrorsSurfaced} errors surfaced");
        }

        var (attempts, throttled, rate) = After(TimeSpan.FromSeconds(10));
        return string.Create(CultureInfo.InvariantCulture, $"after 10 s {throttled} of {attempts} attempts throttled ({Percent(throttled, attempts):F2}%), {rate:F2} accepted/s ({rate / Quota:F3} of the quota); {whole}; {ErrorsSurfaced} errors surfaced");
    }

    private (int Attempts, int Throttled, double Rate) Between(TimeSpan from, TimeSpan to)
    {
        var windows = Windows.Where(w => w.From >= from && w.From < to).ToList();
        return (windows.Sum(w => w.Attempts), windows.Sum(w => w.Throttled), windows.Count == 0 ? 0 : windows.Average(w => w.AcceptedPerSecond));
    }

    public string ToMarkdown()
    {
        var text = new StringBuilder();
        text.AppendLine(string.Create(CultureInfo.InvariantCulture, $"Real quota {Quota:0.#} QPS ({Share:P0} of the configured {LimiterScenario.Configured}){(RiseAt is { } r ? $", raised to {LimiterScenario.Configured} at {r.TotalSeconds:0} s" : string.Empty)}, {Processes} client(s) with {LimiterScenario.Callers} callers each, {Duration.TotalSeconds:0} s: {Headline()}."));
        text.AppendLine();
        text.AppendLine("| window | attempts | throttled | accepted/s |");
        text.AppendLine("|---|---|---|---|");
        foreach (var w in Windows)
        {
            text.AppendLine(string.Create(CultureInfo.InvariantCulture, $"| {w.From.TotalSeconds:0}-{w.From.TotalSeconds + 5:0} s | {w.Attempts} | {w.Throttled} | {w.AcceptedPerSecond:F2} |"));
        }

        return text.ToString();
    }
}
