using Dataphin.OpenApi.Resilience;

namespace Dataphin.OpenApi.Tests.Throttling;

/// <summary>
/// What one throttling answer does to the adaptive bucket, by where the rate was on its curve: a deep cut on the
/// plateau, no compounding cut while it recovers, a small step back when a probe above W_max is throttled. Fake clock,
/// seeded random sources: every run is the same.
/// </summary>
public sealed class AdaptiveCurveTests
{
    private static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(100);

    private readonly ManualTimeProvider _clock = new();

    [Fact]
    public void Throttles_that_come_back_while_the_rate_recovers_after_a_cut_do_not_compound_the_cut()
    {
        var bucket = NewBucket(seed: 1);
        Answer10PerSecond(bucket, TimeSpan.FromSeconds(3));
        bucket.OnThrottled(Permit());
        var cut = bucket.CurrentRate;
        Assert.InRange(bucket.LastMaxRate, 8, 10);
        Assert.Equal(bucket.LastMaxRate * AdaptiveTokenBucket.Beta, cut, 6);

        // Three more throttled attempts, each sent after the previous throttle (retries, or another process's probe).
        for (var i = 0; i < 3; i++)
        {
            _clock.Advance(Tick);
            bucket.OnThrottled(Permit());
        }

        // Each one lowers W_max to a margin below the rate reached (0.9 of it at most), none cuts by Beta again:
        // compounding cuts would have left (0.9 * 0.7)^3 = 0.25 of the first cut.
        Assert.True(bucket.CurrentRate >= Math.Pow(AdaptiveTokenBucket.Settle, 3) * cut, $"{bucket.CurrentRate} after a cut to {cut}");
        Assert.Equal(bucket.LastMaxRate, bucket.CurrentRate, 6);
    }

    [Fact]
    public void A_throttled_probe_above_W_max_steps_back_just_below_W_max_and_keeps_it()
    {
        var bucket = NewBucket(seed: 1);
        Answer10PerSecond(bucket, TimeSpan.FromSeconds(3));
        bucket.OnThrottled(Permit());
        var wMax = bucket.LastMaxRate;

        // Recovery, plateau, then the probe above W_max.
        var waited = Answer10PerSecondUntil(bucket, () => bucket.CurrentRate > wMax + 0.5);
        Assert.True(waited < TimeSpan.FromSeconds(20), $"no probe after {waited}");
        Assert.Equal(wMax, bucket.LastMaxRate, 6);

        bucket.OnThrottled(Permit());

        Assert.True(bucket.LastMaxRate >= wMax, $"W_max fell from {wMax} to {bucket.LastMaxRate}");
        Assert.Equal(bucket.LastMaxRate * AdaptiveTokenBucket.ProbeBackoff, bucket.CurrentRate, 6);
        Assert.True(bucket.CurrentRate > wMax * AdaptiveTokenBucket.Beta, "a throttled probe cut as deep as a throttle on the plateau");
    }

    [Fact]
    public void Buckets_with_random_sources_of_their_own_probe_at_different_times_and_a_seed_repeats_its_run()
    {
        var first = ProbeStart(seed: 1);
        var second = ProbeStart(seed: 2);
        var again = ProbeStart(seed: 1);

        Assert.Equal(first, again);
        Assert.NotEqual(first, second);

        // The jitter only shortens the plateau, by at most PlateauJitter of it (the first plateau: 3 s).
        var earliest = AdaptiveTokenBucket.FirstPlateau * (1 - AdaptiveTokenBucket.PlateauJitter);
        Assert.All(new[] { first, second }, start => Assert.True(start >= earliest, $"probe started {start} after the recovery"));
    }

    private TimeSpan ProbeStart(int seed)
    {
        var clock = new ManualTimeProvider();
        var bucket = new AdaptiveTokenBucket(clock, ratePerSecond: 20, capacity: 1, adaptive: true, random: new Random(seed));
        for (var elapsed = TimeSpan.Zero; elapsed < TimeSpan.FromSeconds(3); elapsed += Tick)
        {
            clock.Advance(Tick);
            bucket.OnSucceeded(DataphinRatePermit.Grant(clock.GetTimestamp(), TimeSpan.Zero));
        }

        bucket.OnThrottled(DataphinRatePermit.Grant(clock.GetTimestamp(), TimeSpan.Zero));
        var wMax = bucket.LastMaxRate;

        // From the cut: first at W_max (recovered), then above it (probing).
        var step = TimeSpan.FromMilliseconds(10);
        var since = TimeSpan.Zero;
        while (bucket.CurrentRate < wMax - 1e-9)
        {
            clock.Advance(step);
            since += step;
        }

        var recovered = since;
        while (bucket.CurrentRate <= wMax + 1e-9 && since < TimeSpan.FromSeconds(60))
        {
            clock.Advance(step);
            since += step;
        }

        return since - recovered;
    }

    private AdaptiveTokenBucket NewBucket(int seed) => new(_clock, ratePerSecond: 20, capacity: 1, adaptive: true, random: new Random(seed));

    private DataphinRatePermit Permit() => DataphinRatePermit.Grant(_clock.GetTimestamp(), TimeSpan.Zero);

    private void Answer10PerSecond(AdaptiveTokenBucket bucket, TimeSpan duration)
    {
        for (var elapsed = TimeSpan.Zero; elapsed < duration; elapsed += Tick)
        {
            _clock.Advance(Tick);
            bucket.OnSucceeded(Permit());
        }
    }

    private TimeSpan Answer10PerSecondUntil(AdaptiveTokenBucket bucket, Func<bool> done)
    {
        var elapsed = TimeSpan.Zero;
        while (!done() && elapsed < TimeSpan.FromSeconds(30))
        {
            _clock.Advance(Tick);
            bucket.OnSucceeded(Permit());
            elapsed += Tick;
        }

        return elapsed;
    }
}
