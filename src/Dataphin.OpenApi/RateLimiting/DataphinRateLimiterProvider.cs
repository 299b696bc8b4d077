using Dataphin.OpenApi.Resilience;

namespace Dataphin.OpenApi;

/// <summary>
/// Where the client's rate limiters come from (<see cref="DataphinRateLimitOptions.Provider"/>). The default,
/// <see cref="InProcess"/>, keeps an adaptive token bucket per key and quota in this process; a provider can instead
/// share one budget between processes (for example through Redis). The client asks for the limiter on every attempt,
/// so a provider should answer from a cache.
/// </summary>
public abstract class DataphinRateLimiterProvider
{
    /// <summary>
    /// The in-process provider: one adaptive token bucket per key, quota and clock, shared by every client in the
    /// process with the same key and the same quota. A client that configures another quota for the same key gets its
    /// own bucket. A bucket unused for <see cref="IdleBucketTimeout"/> with no caller waiting is dropped, with its timer.
    /// </summary>
    public static DataphinRateLimiterProvider InProcess { get; } = new InProcessRateLimiterProvider();

    /// <summary>How long an in-process bucket may stay unused before it is dropped (5 minutes).</summary>
    public static TimeSpan IdleBucketTimeout => AdaptiveTokenBucket.IdleTimeout;

    /// <summary>Returns the limiter for <paramref name="key"/> with the quota the client configured for it.</summary>
    /// <param name="key">What the quota belongs to.</param>
    /// <param name="quota">The quota the asking client configured.</param>
    /// <param name="timeProvider">The client's clock; wait on it, so that tests can run on a fake clock.</param>
    /// <returns>The limiter.</returns>
    public abstract DataphinRateLimiter GetLimiter(DataphinRateLimitKey key, DataphinRateLimitQuota quota, TimeProvider timeProvider);
}
