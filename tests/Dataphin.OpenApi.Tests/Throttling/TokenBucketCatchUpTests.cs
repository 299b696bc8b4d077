using Dataphin.OpenApi.Resilience;

namespace Dataphin.OpenApi.Tests.Throttling;

/// <summary>
/// A busy bucket makes up for a timer that fired late (or a machine that stalled), so that a loaded machine still
/// reaches the quota; an idle bucket never holds more than its burst.
/// </summary>
public sealed class TokenBucketCatchUpTests
{
    private readonly ManualTimeProvider _clock = new();

    private static int Granted(List<Task<BucketPermit>> waiters) => waiters.Count(w => w.IsCompletedSuccessfully && w.Result.IsGranted);

    [Fact]
    public async Task A_late_timer_releases_every_permit_earned_while_callers_waited()
    {
        var bucket = new AdaptiveTokenBucket(_clock, ratePerSecond: 20, capacity: 1, adaptive: false);
        Assert.True((await bucket.AcquireAsync(TimeSpan.FromSeconds(30), default)).IsGranted);
        var waiters = Enumerable.Range(0, 10).Select(_ => bucket.AcquireAsync(TimeSpan.FromSeconds(30), default)).ToList();

        // The timer due after 50 ms fires only after 200 ms: four permits were earned meanwhile.
        JumpAndFireLate(TimeSpan.FromMilliseconds(200));

        Assert.Equal(4, Granted(waiters));
    }

    [Fact]
    public async Task The_catch_up_is_bounded_to_half_a_second_of_permits()
    {
        var bucket = new AdaptiveTokenBucket(_clock, ratePerSecond: 20, capacity: 1, adaptive: false);
        Assert.True((await bucket.AcquireAsync(TimeSpan.FromSeconds(60), default)).IsGranted);
        var waiters = Enumerable.Range(0, 40).Select(_ => bucket.AcquireAsync(TimeSpan.FromSeconds(60), default)).ToList();

        JumpAndFireLate(TimeSpan.FromSeconds(3));

        Assert.Equal(1 + (int)(20 * AdaptiveTokenBucket.CatchUp.TotalSeconds), Granted(waiters));
    }

    [Fact]
    public async Task An_idle_bucket_holds_no_more_than_its_burst()
    {
        var bucket = new AdaptiveTokenBucket(_clock, ratePerSecond: 20, capacity: 2, adaptive: false);
        JumpAndFireLate(TimeSpan.FromSeconds(10));

        var first = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => bucket.AcquireAsync(TimeSpan.Zero, default)));

        Assert.Equal([true, true, false], first.Select(p => p.IsGranted));
    }

    /// <summary>
    /// Moves the clock by <paramref name="delta"/> in one step: the fake clock sets the new time first and only then fires
    /// the timers that fell due on the way, so the bucket's timer fires late, as on a loaded machine.
    /// </summary>
    private void JumpAndFireLate(TimeSpan delta) => _clock.SetUtcNow(_clock.GetUtcNow() + delta);
}
