namespace Dataphin.OpenApi;

/// <summary>
/// How long a call may take. A timeout surfaces as <see cref="DataphinTimeoutException"/>; the caller's own
/// <see cref="CancellationToken"/> surfaces as <see cref="OperationCanceledException"/>.
/// Set a value to <see cref="Timeout.InfiniteTimeSpan"/> to turn that timeout off.
/// </summary>
public sealed class DataphinTimeoutOptions
{
    /// <summary>
    /// The longest one attempt (sending the request and reading the answer) may take; the wait for a rate-limit permit
    /// is not part of it. A timed-out attempt is retried only for retry-safe operations. Default: 30 s.
    /// </summary>
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The longest a whole call may take: all attempts, backoff delays and rate-limit waits. Default: 2 min.</summary>
    public TimeSpan TotalTimeout { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>Returns a copy of these settings.</summary>
    /// <returns>The copy.</returns>
    public DataphinTimeoutOptions Clone() => (DataphinTimeoutOptions)MemberwiseClone();
}
