namespace Dataphin.OpenApi.Resilience;

/// <summary>What <see cref="ClientRateLimiter.AcquireAsync"/> gives the attempt: a permit taken from a limiter, or the client-side refusal.</summary>
internal readonly struct ClientPermit
{
    private readonly DataphinRateLimiter? _limiter;
    private readonly DataphinRatePermit _permit;

    private ClientPermit(DataphinRateLimiter? limiter, DataphinRatePermit permit, DataphinThrottledException? refusal)
    {
        _limiter = limiter;
        _permit = permit;
        Refusal = refusal;
    }

    /// <summary>The client-side refusal, or <see langword="null"/> when the permit was taken.</summary>
    public DataphinThrottledException? Refusal { get; }

    public static ClientPermit Granted(DataphinRateLimiter limiter, DataphinRatePermit permit) => new(limiter, permit, null);

    public static ClientPermit Refused(DataphinThrottledException refusal) => new(null, default, refusal);

    /// <summary>The attempt sent with this permit ended: the limiter learns from a throttling answer and from a success.</summary>
    public void OnAttemptEnded(Exception? exception)
    {
        if (_limiter is null)
        {
            return;
        }

        if (exception is null)
        {
            _limiter.OnSucceeded(_permit);
        }
        else if (exception is DataphinThrottledException { IsClientSide: false })
        {
            _limiter.OnThrottled(_permit);
        }
    }
}
