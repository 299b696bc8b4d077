using Dataphin.OpenApi.Transport;
using Polly;

namespace Dataphin.OpenApi.Resilience;

/// <summary>
/// One logical call as the Polly strategies of its pipeline see it. Polly hands strategies nothing but the
/// <see cref="ResilienceContext"/>, so this is the one object in it (<see cref="Key"/>), and the only state shared
/// between the stages of a call. Everything else is passed as values.
/// </summary>
/// <remarks>
/// Each mutable part has one writer:
/// <list type="table">
///   <listheader><term>state</term><description>written by / read by</description></listheader>
///   <item><term><see cref="RetryAttempt"/>, <see cref="RetryDelay"/></term><description>the retry's <c>OnRetry</c> (<see cref="StartRetry"/>) / the attempt, for the <c>x-acs-retry-*</c> headers, and the call's log line and span</description></item>
///   <item><term><see cref="PlannedRetryDelay"/></term><description>the retry's <c>ShouldHandle</c> (<see cref="RetryDecision"/>, <see cref="PlanRetry"/>) / the same retry's <c>DelayGenerator</c></description></item>
///   <item><term><see cref="TotalTimeoutExpired"/></term><description>the total timeout's <c>OnTimeout</c> / the call, to tell a total from an attempt timeout</description></item>
///   <item><term>the attempt's credential</term><description><see cref="GetAttemptCredentialAsync"/> and <see cref="EndAttempt"/> only: the first stage of an attempt that needs the credential fetches it, the later stages of the same attempt get the same one</description></item>
/// </list>
/// A pipeline from <see cref="DataphinClientOptions.PipelineFactory"/> without the built-in retry leaves the retry state at its start values.
/// </remarks>
internal sealed class DataphinCall(DataphinOperationInfo operation, RpcRequest request, DataphinCredentialProvider credentials, long startedAt, TimeSpan totalTimeout)
{
    public static readonly ResiliencePropertyKey<DataphinCall> Key = new("Dataphin.OpenApi.Call");

    private DataphinCredential? _attemptCredential;

    public DataphinOperationInfo Operation { get; } = operation;

    public RpcRequest Request { get; } = request;

    public long OpTenantId => Request.OpTenantId;

    public long StartedAt { get; } = startedAt;

    public TimeSpan TotalTimeout { get; } = totalTimeout;

    /// <summary>0 for the first attempt; the retry number (sent as <c>x-acs-retry-attempts</c>) after.</summary>
    public int RetryAttempt { get; private set; }

    /// <summary>The wait before the current retry (sent as <c>x-acs-retry-delay</c>).</summary>
    public TimeSpan RetryDelay { get; private set; }

    /// <summary>The delay the retry decision chose for the next retry; the retry's delay generator returns it.</summary>
    public TimeSpan PlannedRetryDelay { get; private set; }

    /// <summary>Whether the total timeout ended the call (rather than an attempt timeout).</summary>
    public bool TotalTimeoutExpired { get; private set; }

    public static DataphinCall? From(ResilienceContext context)
        => context.Properties.TryGetValue(Key, out var call) ? call : null;

    /// <summary>The retry decision chose to retry after <paramref name="delay"/>.</summary>
    public void PlanRetry(TimeSpan delay) => PlannedRetryDelay = delay;

    /// <summary>The retry starts attempt <paramref name="retryAttempt"/> after waiting <paramref name="delay"/>.</summary>
    public void StartRetry(int retryAttempt, TimeSpan delay)
    {
        RetryAttempt = retryAttempt;
        RetryDelay = delay;
    }

    public void MarkTotalTimeoutExpired() => TotalTimeoutExpired = true;

    /// <summary>
    /// The credential of the attempt now running, asked of the provider once per attempt. The first stage of the
    /// attempt to call this fetches it: the client-side rate limiter (which keys its bucket by the AccessKey id) when
    /// the pipeline has one, otherwise the attempt itself. Later stages of the same attempt get the same credential,
    /// until <see cref="EndAttempt"/>; so a rotated key or a refreshed STS token is picked up by the next attempt.
    /// </summary>
    public ValueTask<DataphinCredential> GetAttemptCredentialAsync(CancellationToken cancellationToken)
    {
        if (_attemptCredential is { } started)
        {
            return new(started);
        }

        var fetching = credentials.GetCredentialAsync(cancellationToken);
        if (fetching.IsCompletedSuccessfully)
        {
            // A fixed credential answers at once: no state machine on the hot path.
            return new(_attemptCredential = fetching.Result);
        }

        return KeepAsync(fetching);
    }

    /// <summary>The attempt is over (sent, refused or failed): the next one asks the provider again.</summary>
    public void EndAttempt() => _attemptCredential = null;

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

    private async ValueTask<DataphinCredential> KeepAsync(ValueTask<DataphinCredential> fetching)
        => _attemptCredential = await fetching.ConfigureAwait(false);
}
