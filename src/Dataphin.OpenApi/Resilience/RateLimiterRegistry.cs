using System.Collections.Concurrent;

namespace Dataphin.OpenApi.Resilience;

/// <summary>
/// The process-wide daily counters, keyed by endpoint (host and port), tenant, AccessKey id and cap group, so every
/// client with the same key shares them. The clock is part of the key: clients on different <see cref="TimeProvider"/>s never share one.
/// </summary>
internal static class RateLimiterRegistry
{
    private static readonly ConcurrentDictionary<(string Endpoint, long Tenant, string AccessKeyId, string Group, TimeProvider Time), DailyQuotaCounter> DailyCounters = new();

    public static DailyQuotaCounter GetDailyCounter(string endpoint, long tenant, string accessKeyId, string group, TimeProvider time)
        => DailyCounters.GetOrAdd((endpoint, tenant, accessKeyId, group, time), _ => new DailyQuotaCounter());
}

/// <summary>
/// <see cref="DataphinRateLimiterProvider.InProcess"/>: one <see cref="AdaptiveTokenBucket"/> per key, quota and clock.
/// Clients share a bucket only when all three are the same, so a client with other settings never slows another down.
/// An idle bucket retires itself (<see cref="AdaptiveTokenBucket.IdleTimeout"/>) and is removed here.
/// </summary>
internal sealed class InProcessRateLimiterProvider : DataphinRateLimiterProvider
{
    private readonly ConcurrentDictionary<(DataphinRateLimitKey Key, DataphinRateLimitQuota Quota, TimeProvider Time), AdaptiveTokenBucket> _buckets = new();

    /// <summary>How many buckets the provider holds now.</summary>
    public int Count => _buckets.Count;

    public override DataphinRateLimiter GetLimiter(DataphinRateLimitKey key, DataphinRateLimitQuota quota, TimeProvider timeProvider)
        => GetBucket(key, quota, timeProvider ?? throw new ArgumentNullException(nameof(timeProvider)));

    public AdaptiveTokenBucket GetBucket(DataphinRateLimitKey key, DataphinRateLimitQuota quota, TimeProvider time)
    {
        var id = (key, quota, time);
        while (true)
        {
            if (!_buckets.TryGetValue(id, out var bucket))
            {
                bucket = _buckets.GetOrAdd(id, k => new AdaptiveTokenBucket(k.Time, k.Quota.PermitsPerSecond, k.Quota.Burst, k.Quota.Adaptive, b => Forget(k, b)));
            }

            if (bucket.TryMarkUsed())
            {
                return bucket;
            }

            // It retired between the lookup and now: drop it (if still there) and make a new one.
            Forget(id, bucket);
        }
    }

    private void Forget((DataphinRateLimitKey Key, DataphinRateLimitQuota Quota, TimeProvider Time) id, AdaptiveTokenBucket bucket)
        => ((ICollection<KeyValuePair<(DataphinRateLimitKey, DataphinRateLimitQuota, TimeProvider), AdaptiveTokenBucket>>)_buckets).Remove(new(id, bucket));
}
