namespace Dataphin.OpenApi;

/// <summary>
/// The client-side rate limiter: a token bucket per endpoint, tenant, AccessKey and throttling level, shared by every
/// <see cref="DataphinClient"/> in the process with the same key and the same quota settings (rate, <see cref="Burst"/>,
/// <see cref="Adaptive"/>; a client with other settings gets its own bucket), sized from <see cref="DataphinClientOptions.Edition"/>'s
/// quota (Personal and Agile R&amp;D: one 5 QPS budget for all levels; Basic and Intelligent R&amp;D, or no edition set:
/// 50 / 20 / 5 QPS for Level 1 / 2 / 3). Only attempts actually sent take a permit.
/// </summary>
public sealed class DataphinRateLimitOptions
{
    /// <summary>Whether calls are paced on the client. Default: <see langword="true"/>.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Level 1 QPS on editions with per-level quotas; <see langword="null"/> uses the edition's quota (50).</summary>
    public double? Level1Qps { get; set; }

    /// <summary>Level 2 QPS on editions with per-level quotas; <see langword="null"/> uses the edition's quota (20).</summary>
    public double? Level2Qps { get; set; }

    /// <summary>Level 3 QPS on editions with per-level quotas; <see langword="null"/> uses the edition's quota (5).</summary>
    public double? Level3Qps { get; set; }

    /// <summary>The QPS of the one budget all levels share on Personal and Agile R&amp;D; <see langword="null"/> uses the edition's quota (5).</summary>
    public double? SharedQps { get; set; }

    /// <summary>
    /// How many permits the bucket holds, i.e. how many calls may start at once after a quiet spell. Default: 1, so
    /// calls are spread evenly and never exceed the quota in any one-second window by more than one call.
    /// </summary>
    public int Burst { get; set; } = 1;

    /// <summary>
    /// Whether the bucket slows down when the service still throttles (the real quota is lower than configured, or
    /// other processes share it): it estimates the real quota from the rates sent and accepted when throttled, cuts to
    /// 70 % of that, recovers to the estimate and stays there, and only then probes gently back towards the configured
    /// quota (as the AWS SDK's adaptive mode and TCP CUBIC do). Default: <see langword="true"/>.
    /// </summary>
    public bool Adaptive { get; set; } = true;

    /// <summary>
    /// The longest a call waits for a permit (never beyond what is left of the total timeout). A call whose estimated
    /// wait is longer fails at once with a <see cref="DataphinThrottledException"/> whose
    /// <see cref="DataphinThrottledException.IsClientSide"/> is set and whose RetryAfter is the estimate. Default: 30 s.
    /// </summary>
    public TimeSpan MaxWait { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Whether calls sent are counted against the edition's daily cap, to raise <see cref="DailyQuotaWarning"/>. Default: <see langword="true"/>.</summary>
    public bool TrackDailyQuota { get; set; } = true;

    /// <summary>The share of a daily cap at which <see cref="DailyQuotaWarning"/> is raised (once per day and cap). Default: 0.9. Allowed: above 0, at most 1.</summary>
    public double DailyQuotaWarningThreshold { get; set; } = 0.9;

    /// <summary>
    /// Daily cap of Level 1 and 2 calls together on editions with per-level quotas; <see langword="null"/> uses the
    /// edition's (Basic R&amp;D or not set: 50,000; Intelligent R&amp;D: unlimited).
    /// </summary>
    public long? Level12DailyLimit { get; set; }

    /// <summary>Daily cap of Level 3 calls on editions with per-level quotas; <see langword="null"/> uses the edition's (10,000).</summary>
    public long? Level3DailyLimit { get; set; }

    /// <summary>Daily cap of all calls together on Personal (100) and Agile R&amp;D (1,000); <see langword="null"/> uses the edition's.</summary>
    public long? SharedDailyLimit { get; set; }

    /// <summary>
    /// The offset from UTC of the clock on which the daily count restarts at midnight. Default: +08:00 (China
    /// Standard Time; inferred, the quota page does not say).
    /// </summary>
    public TimeSpan DailyQuotaUtcOffset { get; set; } = TimeSpan.FromHours(8);

    /// <summary>
    /// Called (on the calling thread, so keep it short and do not throw) when the calls sent today reach
    /// <see cref="DailyQuotaWarningThreshold"/> of a daily cap. Calls are not stopped; the service enforces the cap.
    /// Default: <see langword="null"/>.
    /// </summary>
    public Action<DataphinDailyQuotaWarning>? DailyQuotaWarning { get; set; }

    /// <summary>
    /// Where the rate limiters come from: <see langword="null"/> (the default) uses
    /// <see cref="DataphinRateLimiterProvider.InProcess"/>, the adaptive buckets of this process; set another provider to
    /// share quotas between processes. The client still applies <see cref="MaxWait"/> and the daily count.
    /// </summary>
    public DataphinRateLimiterProvider? Provider { get; set; }

    /// <summary>Returns a copy of these settings.</summary>
    /// <returns>The copy.</returns>
    public DataphinRateLimitOptions Clone() => (DataphinRateLimitOptions)MemberwiseClone();
}
