using System.Collections.Concurrent;

namespace Dataphin.OpenApi.Resilience;

/// <summary>
/// The process-wide token buckets and daily counters, keyed by endpoint (host and port), tenant, AccessKey id and
/// budget (the level, or one key for all levels on Personal and Agile R&amp;D), so every client with the same key
/// shares them. The clock is part of the key: clients on different <see cref="TimeProvider"/>s never share a bucket.
/// </summary>
internal static class RateLimiterRegistry
{
    private static readonly ConcurrentDictionary<(string Endpoint, long Tenant, string AccessKeyId, int Budget, TimeProvider Time), AdaptiveTokenBucket> Buckets = new();

    private static readonly ConcurrentDictionary<(string Endpoint, long Tenant, string AccessKeyId, string Group, TimeProvider Time), DailyQuotaCounter> DailyCounters = new();

    /// <summary>
    /// Returns the shared bucket for the key, creating it with this client's settings. When clients sharing a key
    /// configure different quotas, the lowest wins; capacity and adaptivity come from the first client.
    /// </summary>
    public static AdaptiveTokenBucket GetBucket(string endpoint, long tenant, string accessKeyId, int budget, TimeProvider time, double ratePerSecond, int capacity, bool adaptive)
    {
        var bucket = Buckets.GetOrAdd((endpoint, tenant, accessKeyId, budget, time), _ => new AdaptiveTokenBucket(time, ratePerSecond, capacity, adaptive));
        bucket.LowerConfiguredRate(ratePerSecond);
        return bucket;
    }

    public static DailyQuotaCounter GetDailyCounter(string endpoint, long tenant, string accessKeyId, string group, TimeProvider time)
        => DailyCounters.GetOrAdd((endpoint, tenant, accessKeyId, group, time), _ => new DailyQuotaCounter());
}
