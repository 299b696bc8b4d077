namespace Dataphin.OpenApi;

/// <summary>
/// When and how a failed attempt is sent again. Throttling answers are retried for every operation (the service
/// did not execute them); server errors (5xx), attempt timeouts and connection failures only for operations whose
/// <see cref="DataphinOperationInfo.IsRetrySafe"/> is set. Other 4xx answers and client-side throttling are never retried.
/// </summary>
public sealed class DataphinRetryOptions
{
    /// <summary>Total attempts of one call, the first included; 1 turns retries off. Default: 4. Allowed: 1 to 20.</summary>
    public int MaxAttempts { get; set; } = 4;

    /// <summary>The delay before the first retry; it doubles for each further retry. Default: 200 ms.</summary>
    public TimeSpan BaseDelay { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>The longest computed backoff delay. Default: 20 s.</summary>
    public TimeSpan MaxDelay { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>
    /// Whether backoff delays are randomised (equal jitter: between half and all of the exponential delay), so that
    /// many callers throttled together do not come back together. Default: <see langword="true"/>.
    /// </summary>
    public bool UseJitter { get; set; } = true;

    /// <summary>
    /// The longest wait honoured when the service asks for one (<c>x-acs-retry-after</c>). When the service asks for
    /// longer (for example hours, when a daily quota is used up), the call is not retried early: it fails at once with
    /// <see cref="DataphinThrottledException"/> whose <see cref="DataphinThrottledException.RetryAfter"/> says how long.
    /// A wait that would pass the total timeout is never made either: the call fails with the last error. Default: 30 s.
    /// </summary>
    public TimeSpan MaxRetryAfter { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Returns a copy of these settings.</summary>
    /// <returns>The copy.</returns>
    public DataphinRetryOptions Clone() => (DataphinRetryOptions)MemberwiseClone();
}
