namespace Dataphin.OpenApi;

/// <summary>
/// Grants permits for one <see cref="DataphinRateLimitKey"/> and learns from the outcomes. The client takes one permit
/// before every attempt it sends (retries included) and reports each attempt's outcome: a throttling answer from the
/// service to <see cref="OnThrottled"/>, a successful answer to <see cref="OnSucceeded"/>. Implementations are
/// thread-safe; they are obtained from a <see cref="DataphinRateLimiterProvider"/>.
/// </summary>
public abstract class DataphinRateLimiter
{
    /// <summary>The rate at which permits are granted now, per second (below the configured quota after throttling).</summary>
    public abstract double CurrentRate { get; }

    /// <summary>
    /// Takes a permit now, or waits for one. Must not wait longer than <paramref name="maxWait"/>: a caller whose wait
    /// would be longer gets a refusal (<see cref="DataphinRatePermit.Refuse"/>) with the estimate, at once when it
    /// can be told up front. A refusal surfaces as a client-side <see cref="DataphinThrottledException"/>; nothing is sent.
    /// </summary>
    /// <param name="maxWait">The longest the caller may wait.</param>
    /// <param name="cancellationToken">Cancels the wait; a cancelled caller takes no permit.</param>
    /// <returns>The permit taken, or the refusal.</returns>
    public abstract ValueTask<DataphinRatePermit> AcquireAsync(TimeSpan maxWait, CancellationToken cancellationToken);

    /// <summary>The service answered the attempt sent with <paramref name="permit"/> with a throttling error.</summary>
    /// <param name="permit">The permit the attempt was sent with.</param>
    public abstract void OnThrottled(DataphinRatePermit permit);

    /// <summary>The service accepted the attempt sent with <paramref name="permit"/>.</summary>
    /// <param name="permit">The permit the attempt was sent with.</param>
    public abstract void OnSucceeded(DataphinRatePermit permit);
}
