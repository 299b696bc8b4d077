namespace Dataphin.OpenApi.Resilience;

/// <summary>What <see cref="ClientRateLimiter.AcquireAsync"/> gives the attempt: a permit taken from a bucket at a time, or the client-side refusal.</summary>
internal readonly struct ClientPermit
{
    private readonly AdaptiveTokenBucket? _bucket;
    private readonly long _takenAt;

    private ClientPermit(AdaptiveTokenBucket? bucket, long takenAt, DataphinThrottledException? refusal)
    {
        _bucket = bucket;
        _takenAt = takenAt;
        Refusal = refusal;
    }

    /// <summary>The client-side refusal, or <see langword="null"/> when the permit was taken.</summary>
    public DataphinThrottledException? Refusal { get; }

    public static ClientPermit Granted(AdaptiveTokenBucket bucket, long takenAt) => new(bucket, takenAt, null);

    public static ClientPermit Refused(DataphinThrottledException refusal) => new(null, 0, refusal);

    /// <summary>The attempt sent with this permit ended: a server-side throttling answer slows the bucket down.</summary>
    public void OnAttemptEnded(Exception? exception)
    {
        if (exception is DataphinThrottledException { IsClientSide: false })
        {
            _bucket?.OnThrottled(_takenAt);
        }
    }
}
