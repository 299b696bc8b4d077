namespace Dataphin.OpenApi.Resilience;

/// <summary>The answer of <see cref="AdaptiveTokenBucket.AcquireAsync"/>: a permit taken (and when), or a refusal with the estimated wait.</summary>
internal readonly struct BucketPermit
{
    private BucketPermit(bool granted, long grantedAt, TimeSpan waited, TimeSpan estimatedWait)
    {
        IsGranted = granted;
        GrantedAt = grantedAt;
        Waited = waited;
        EstimatedWait = estimatedWait;
    }

    public bool IsGranted { get; }

    /// <summary>The <see cref="TimeProvider.GetTimestamp"/> at which the permit was taken (just before sending).</summary>
    public long GrantedAt { get; }

    /// <summary>How long the caller waited for the permit.</summary>
    public TimeSpan Waited { get; }

    /// <summary>For a refusal: how long the caller would have had to wait.</summary>
    public TimeSpan EstimatedWait { get; }

    public static BucketPermit Grant(long at, TimeSpan waited) => new(true, at, waited, TimeSpan.Zero);

    public static BucketPermit Refuse(TimeSpan estimatedWait) => new(false, 0, TimeSpan.Zero, estimatedWait);
}
