using Dataphin.OpenApi.Resilience;
using Xunit.Abstractions;

namespace Dataphin.OpenApi.Tests.Throttling;

/// <summary>
/// The adaptive bucket settles below a real quota lower than the configured one, on a fake clock: a simulated server
/// with the emulator's bucket (capacity one second of quota, answering with the wait until its next token) and callers
/// that retry a throttled attempt after that wait, up to 4 attempts, as the client does. Every figure is asserted.
/// </summary>
public sealed class AdaptiveSettlingTests(ITestOutputHelper output)
{
    private const double Configured = 20;

    [Theory]
    [InlineData(0.25)]
    [InlineData(0.5)]
    [InlineData(0.75)]
    [InlineData(1.0)]
    public void A_real_quota_between_a_quarter_of_and_the_configured_one_costs_under_1_percent_throttled_after_10_s(double share)
    {
        var quota = Configured * share;
        var run = Simulation.Run(Configured, [(TimeSpan.Zero, quota)], TimeSpan.FromSeconds(60), processes: 1);
        output.WriteLine(run.Report());

        var (attempts, throttled, accepted) = run.Totals(from: TimeSpan.FromSeconds(10));
        Assert.True(throttled < 0.01 * attempts, $"{throttled} of {attempts} attempts throttled after 10 s");
        Assert.Equal(0, run.Surfaced);
        Assert.True(accepted / 50.0 >= 0.9 * quota, $"achieved {accepted / 50.0:0.00} per second of a quota of {quota}");
    }

    [Theory]
    [InlineData(0.25)]
    [InlineData(0.5)]
    [InlineData(1.0)]
    public void A_cold_start_whose_first_attempts_reach_the_server_in_a_clump_still_settles_at_the_real_quota(double share)
    {
        // As the benchmark against the emulator saw: the first attempts of a new process take their permits at once
        // but reach the server together, up to two seconds later on a loaded machine (connections opened, code compiled), so the server's
        // full bucket accepts some of the clump and throttles the rest although nothing was sent faster than the quota.
        var quota = Configured * share;
        var run = Simulation.Run(Configured, [(TimeSpan.Zero, quota)], TimeSpan.FromSeconds(60), processes: 1, coldStart: TimeSpan.FromSeconds(2));
        output.WriteLine(run.Report());

        var (attempts, throttled, accepted) = run.Totals(from: TimeSpan.FromSeconds(10));
        Assert.True(throttled < 0.01 * attempts, $"{throttled} of {attempts} attempts throttled after 10 s");
        Assert.Equal(0, run.Surfaced);
        Assert.True(accepted / 50.0 >= 0.9 * quota, $"achieved {accepted / 50.0:0.00} per second of a quota of {quota}");
    }

    [Fact]
    public void A_quota_that_rises_mid_run_is_regained_within_30_s()
    {
        var rise = TimeSpan.FromSeconds(40);
        var run = Simulation.Run(Configured, [(TimeSpan.Zero, 5), (rise, Configured)], TimeSpan.FromSeconds(80), processes: 1);
        output.WriteLine(run.Report());

        var regained = run.FullSpeedSince(rise, Configured);
        Assert.True(regained is { } t && t <= TimeSpan.FromSeconds(30), $"full speed regained after {regained}");
        Assert.Equal(0, run.Surfaced);
        var (_, _, accepted) = run.Totals(from: rise + TimeSpan.FromSeconds(30));
        Assert.True(accepted / 10.0 >= 0.9 * Configured, $"achieved {accepted / 10.0:0.00} per second after the rise");
    }

    [Theory]
    [InlineData(20, 1)]
    [InlineData(20, 2)]
    [InlineData(20, 3)]
    [InlineData(10, 1)]
    [InlineData(10, 2)]
    [InlineData(10, 3)]
    public void Two_processes_on_one_AccessKey_each_with_its_own_bucket_stay_under_2_percent_throttled(double quota, int seed)
    {
        // Each process's bucket draws its plateau lengths from a random source of its own (seeded here, so the run is
        // the same every time): two processes do not probe above the quota in step.
        var run = Simulation.Run(Configured, [(TimeSpan.Zero, quota)], TimeSpan.FromSeconds(60), processes: 2, seed: seed);
        output.WriteLine(run.Report());

        var (attempts, throttled, accepted) = run.Totals(from: TimeSpan.FromSeconds(10));
        Assert.True(throttled < 0.02 * attempts, $"{throttled} of {attempts} attempts throttled after 10 s");
        Assert.Equal(0, run.Surfaced);
        Assert.True(accepted / 50.0 >= 0.9 * quota, $"achieved {accepted / 50.0:0.00} per second of a quota of {quota}");
    }

    [Fact]
    public void Without_adaptation_the_same_run_is_throttled_throughout_so_the_simulation_can_fail()
    {
        var run = Simulation.Run(Configured, [(TimeSpan.Zero, 5)], TimeSpan.FromSeconds(30), processes: 1, adaptive: false);
        output.WriteLine(run.Report());

        var (attempts, throttled, _) = run.Totals(from: TimeSpan.FromSeconds(10));
        Assert.True(throttled > 0.3 * attempts, $"{throttled} of {attempts} attempts throttled");
    }

    /// <summary>8 callers per process, each sending one call after another; the server answers after a 2 ms round trip.</summary>
    private sealed class Simulation
    {
        private const int CallersPerProcess = 8;
        private const int MaxAttempts = 4;
        private static readonly TimeSpan Step = TimeSpan.FromMilliseconds(1);
        private static readonly TimeSpan RoundTrip = TimeSpan.FromMilliseconds(2);

        private readonly List<(TimeSpan At, bool Throttled)> _attempts = [];
        private readonly List<(TimeSpan At, double Rate)> _rates = [];

        public int Surfaced { get; private set; }

        public static Simulation Run(double configured, (TimeSpan From, double Qps)[] quotas, TimeSpan duration, int processes, bool adaptive = true, TimeSpan coldStart = default, int seed = 1)
        {
            var sim = new Simulation();
            var clock = new ManualTimeProvider();
            var buckets = Enumerable.Range(0, processes).Select(p => new AdaptiveTokenBucket(clock, configured, 1, adaptive, random: new Random((seed * 100) + p))).ToArray();
            var callers = Enumerable.Range(0, processes * CallersPerProcess).Select(i => new Caller(buckets[i / CallersPerProcess])).ToArray();
            var server = new ServerBucket(quotas[0].Qps);
            var quotaIndex = 0;
            var lastSample = TimeSpan.FromSeconds(-1);
            foreach (var caller in callers)
            {
                caller.Acquire();
            }

            for (var now = TimeSpan.Zero; now < duration; now += Step)
            {
                if (quotaIndex + 1 < quotas.Length && now >= quotas[quotaIndex + 1].From)
                {
                    // As the emulator does when its quotas are replaced: a new, full bucket.
                    server = new ServerBucket(quotas[++quotaIndex].Qps);
                }

                server.Refill(Step.TotalSeconds);
                foreach (var caller in callers)
                {
                    sim.Drive(caller, server, now, coldStart);
                }

                if (now - lastSample >= TimeSpan.FromMilliseconds(100))
                {
                    sim._rates.Add((now, buckets[0].CurrentRate));
                    lastSample = now;
                }

                clock.Advance(Step);
            }

            return sim;
        }

        public (int Attempts, int Throttled, int Accepted) Totals(TimeSpan from)
        {
            var window = _attempts.Where(a => a.At >= from).ToList();
            var throttled = window.Count(a => a.Throttled);
            return (window.Count, throttled, window.Count - throttled);
        }

        /// <summary>How long after <paramref name="since"/> the first bucket's rate first reached <paramref name="configured"/>.</summary>
        public TimeSpan? FullSpeedSince(TimeSpan since, double configured)
            => _rates.FirstOrDefault(r => r.At >= since && r.Rate >= configured - 1e-9) is { Rate: > 0 } hit ? hit.At - since : null;

        public string Report()
        {
            var windows = _attempts.GroupBy(a => (int)(a.At.TotalSeconds / 5)).OrderBy(g => g.Key)
                .Select(g => $"{g.Key * 5,3}-{(g.Key * 5) + 5,3} s: {g.Count(),4} attempts, {g.Count(a => a.Throttled),3} throttled, {g.Count(a => !a.Throttled) / 5.0,6:0.00} accepted/s");
            return string.Join(Environment.NewLine, windows) + Environment.NewLine + $"surfaced: {Surfaced}";
        }

        private void Drive(Caller caller, ServerBucket server, TimeSpan now, TimeSpan coldStart)
        {
            switch (caller.State)
            {
                case CallerState.Waiting when caller.Pending.IsCompleted:
                    var permit = caller.Pending.Result;
                    Assert.True(permit.IsGranted, "a caller was refused a permit within 30 s");
                    caller.Permit = permit;
                    if (now < coldStart)
                    {
                        // Permit taken, but the attempt reaches the server only when the process is warm.
                        caller.State = CallerState.Cold;
                        break;
                    }

                    Send(caller, server, now);
                    break;
                case CallerState.Cold when now >= coldStart:
                    Send(caller, server, now);
                    break;
                case CallerState.InFlight when now >= caller.Until:
                    if (!caller.Throttled)
                    {
                        caller.Bucket.OnSucceeded(caller.Permit);
                        caller.Attempt = 0;
                        caller.Acquire();
                    }
                    else
                    {
                        caller.Bucket.OnThrottled(caller.Permit);
                        if (++caller.Attempt >= MaxAttempts)
                        {
                            Surfaced++;
                            caller.Attempt = 0;
                            caller.Acquire();
                        }
                        else
                        {
                            caller.State = CallerState.Backoff;
                            caller.Until = now + caller.RetryAfter;
                        }
                    }

                    break;
                case CallerState.Backoff when now >= caller.Until:
                    caller.Acquire();
                    break;
            }

            if (caller.State == CallerState.Waiting && caller.Pending.IsCompleted)
            {
                // Granted at once (no wait): send in this same step.
                Drive(caller, server, now, coldStart);
            }
        }

        private void Send(Caller caller, ServerBucket server, TimeSpan now)
        {
            caller.Throttled = !server.TryTake(out caller.RetryAfter);
            _attempts.Add((now, caller.Throttled));
            caller.State = CallerState.InFlight;
            caller.Until = now + RoundTrip;
        }
    }

    private enum CallerState
    {
        Waiting,
        Cold,
        InFlight,
        Backoff,
    }

    private sealed class Caller(DataphinRateLimiter bucket)
    {
        public TimeSpan RetryAfter;

        public DataphinRateLimiter Bucket { get; } = bucket;

        public CallerState State { get; set; }

        public Task<DataphinRatePermit> Pending { get; private set; } = Task.FromResult(default(DataphinRatePermit));

        public DataphinRatePermit Permit { get; set; }

        public bool Throttled { get; set; }

        public int Attempt { get; set; }

        public TimeSpan Until { get; set; }

        public void Acquire()
        {
            State = CallerState.Waiting;
            Pending = Bucket.AcquireAsync(TimeSpan.FromSeconds(30), CancellationToken.None).AsTask();
        }
    }

    /// <summary>The emulator's bucket: capacity one second of quota (at least 1), starting full; a throttled answer carries the wait until the next token.</summary>
    private sealed class ServerBucket(double qps)
    {
        private readonly double _capacity = Math.Max(1, qps);
        private double _tokens = Math.Max(1, qps);

        public void Refill(double seconds) => _tokens = Math.Min(_capacity, _tokens + (qps * seconds));

        public bool TryTake(out TimeSpan retryAfter)
        {
            if (_tokens >= 1)
            {
                _tokens -= 1;
                retryAfter = TimeSpan.Zero;
                return true;
            }

            retryAfter = TimeSpan.FromMilliseconds(Math.Max(1, Math.Ceiling((1 - _tokens) / qps * 1000)));
            return false;
        }
    }
}
