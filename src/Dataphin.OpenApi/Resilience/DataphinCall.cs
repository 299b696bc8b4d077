using Dataphin.OpenApi.Throttling;
using Dataphin.OpenApi.Transport;
using Polly;

namespace Dataphin.OpenApi.Resilience;

/// <summary>
/// The state of one logical call as it moves through the pipeline: the operation, tenant and request bytes, when it
/// started, and what the strategies hand to the attempt (retry number and delay, the credential fetched for the
/// rate limiter's key, the bucket and the time its permit was taken).
/// </summary>
internal sealed class DataphinCall(DataphinOperationInfo operation, long opTenantId, RpcRequest request, long startedAt, TimeSpan totalTimeout)
{
    public static readonly ResiliencePropertyKey<DataphinCall> Key = new("Dataphin.OpenApi.Call");

    public DataphinOperationInfo Operation { get; } = operation;

    public long OpTenantId { get; } = opTenantId;

    public RpcRequest Request { get; } = request;

    public long StartedAt { get; } = startedAt;

    public TimeSpan TotalTimeout { get; } = totalTimeout;

    /// <summary>0 for the first attempt; the retry number (sent as <c>x-acs-retry-attempts</c>) after.</summary>
    public int RetryAttempt { get; set; }

    /// <summary>The wait before the current retry (sent as <c>x-acs-retry-delay</c>).</summary>
    public TimeSpan RetryDelay { get; set; }

    /// <summary>The delay the retry predicate chose for the next retry.</summary>
    public TimeSpan NextRetryDelay { get; set; }

    /// <summary>The credential the rate limiter fetched to find the bucket; the attempt signs with it.</summary>
    public DataphinCredential? Credential { get; set; }

    public AdaptiveTokenBucket? Bucket { get; set; }

    public long PermitTakenAt { get; set; }

    public bool TotalTimeoutExpired { get; set; }

    public static DataphinCall? From(ResilienceContext context)
        => context.Properties.TryGetValue(Key, out var call) ? call : null;

    /// <summary>What is left of the total timeout at <paramref name="now"/>; <see cref="TimeSpan.MaxValue"/> when there is none.</summary>
    public TimeSpan Remaining(TimeProvider time, long now)
    {
        if (TotalTimeout == Timeout.InfiniteTimeSpan)
        {
            return TimeSpan.MaxValue;
        }

        var left = TotalTimeout - time.GetElapsedTime(StartedAt, now);
        return left > TimeSpan.Zero ? left : TimeSpan.Zero;
    }
}
