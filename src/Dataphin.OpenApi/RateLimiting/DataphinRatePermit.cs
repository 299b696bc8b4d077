namespace Dataphin.OpenApi;

/// <summary>
/// The answer of <see cref="DataphinRateLimiter.AcquireAsync"/>: a permit taken (when, and after how long a wait), or
/// a refusal with the estimated wait. The client gives a granted permit back to the limiter's
/// <see cref="DataphinRateLimiter.OnSucceeded"/> or <see cref="DataphinRateLimiter.OnThrottled"/> when the attempt ends.
/// </summary>
public readonly struct DataphinRatePermit
{
    private DataphinRatePermit(bool granted, long grantedAt, TimeSpan waited, TimeSpan estimatedWait)
    {
        IsGranted = granted;
        GrantedAt = grantedAt;
        Waited = waited;
        EstimatedWait = estimatedWait;
    }

    /// <summary>Whether the permit was taken (the attempt may be sent).</summary>
    public bool IsGranted { get; }

    /// <summary>For a granted permit: the <see cref="TimeProvider.GetTimestamp"/> of the limiter's clock at which it was taken (just before sending).</summary>
    public long GrantedAt { get; }

    /// <summary>For a granted permit: how long the caller waited for it.</summary>
    public TimeSpan Waited { get; }

    /// <summary>For a refusal: how long the caller would have had to wait.</summary>
    public TimeSpan EstimatedWait { get; }

    /// <summary>A permit taken at <paramref name="grantedAt"/> after waiting <paramref name="waited"/>.</summary>
    /// <param name="grantedAt">The limiter clock's timestamp at which it was taken.</param>
    /// <param name="waited">How long the caller waited.</param>
    /// <returns>The permit.</returns>
    public static DataphinRatePermit Grant(long grantedAt, TimeSpan waited) => new(true, grantedAt, waited, TimeSpan.Zero);

    /// <summary>A refusal: no permit within the caller's wait budget.</summary>
    /// <param name="estimatedWait">How long the caller would have had to wait.</param>
    /// <returns>The refusal.</returns>
    public static DataphinRatePermit Refuse(TimeSpan estimatedWait) => new(false, 0, TimeSpan.Zero, estimatedWait);
}
