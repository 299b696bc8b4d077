using Dataphin.OpenApi.Transport;
using Polly;
using Polly.Timeout;

namespace Dataphin.OpenApi.Resilience;

/// <summary>
/// Whether a failed attempt is sent again, and after how long (protocol.md section 6, throttling.md): throttling
/// answers always (the service did not execute them); server errors, attempt timeouts and connection failures only
/// (<see cref="TransportFailure"/>: refused or broken connections, answers cut off, the HTTP client's own timeout)
/// for retry-safe operations; nothing else. The delay is the service's <c>x-acs-retry-after</c> when it is at most
/// <see cref="DataphinRetryOptions.MaxRetryAfter"/> (a longer one ends the retries), or exponential backoff with jitter; a delay that would pass the
/// total timeout ends the retries, so the caller gets the last error rather than a timeout.
/// </summary>
internal sealed class RetryDecision(DataphinRetryOptions options, TimeProvider time)
{
    [ThreadStatic]
    private static Random? _random;

    /// <summary>Decides for the attempt <paramref name="attemptNumber"/> (0-based) that failed with <paramref name="exception"/>.</summary>
    public bool ShouldRetry(ResilienceContext context, Exception? exception, int attemptNumber)
    {
        if (exception is null || context.CancellationToken.IsCancellationRequested || DataphinCall.From(context) is not { } call)
        {
            return false;
        }

        if (!IsRetryable(exception, call.Operation.IsRetrySafe, context.CancellationToken))
        {
            return false;
        }

        // A server-requested wait is honoured as asked, up to MaxRetryAfter. A longer one (a daily quota running out
        // asks for hours) ends the retries at once: retrying earlier than asked would only be throttled again.
        var serverAsked = (exception as DataphinThrottledException)?.RetryAfter;
        if (serverAsked > options.MaxRetryAfter)
        {
            return false;
        }

        var delay = serverAsked ?? Backoff(attemptNumber);
        if (delay >= call.Remaining(time, time.GetTimestamp()))
        {
            return false;
        }

        call.PlanRetry(delay);
        return true;
    }

    /// <summary>Whether the failure may be retried at all, before looking at delays.</summary>
    public static bool IsRetryable(Exception exception, bool isRetrySafe, CancellationToken cancellation) => exception switch
    {
        DataphinThrottledException throttled => !throttled.IsClientSide,
        DataphinRequestException request => request.Status >= 500 && isRetrySafe,
        TimeoutRejectedException => isRetrySafe,
        _ => isRetrySafe && TransportFailure.Is(exception, cancellation),
    };

    /// <summary>A failure that says the service or the network is unhealthy (what the circuit breaker counts).</summary>
    public static bool IsServiceFailure(Exception? exception, CancellationToken cancellation) => exception switch
    {
        DataphinThrottledException => false,
        DataphinRequestException request => request.Status >= 500,
        TimeoutRejectedException => true,
        null => false,
        _ => TransportFailure.Is(exception, cancellation),
    };

    /// <summary><see cref="DataphinRetryOptions.BaseDelay"/> doubled per retry, capped, with equal jitter (half fixed, half random).</summary>
    public TimeSpan Backoff(int attemptNumber)
    {
        var exponent = Math.Min(attemptNumber, 30);
        var ticks = Math.Min(options.BaseDelay.Ticks * Math.Pow(2, exponent), options.MaxDelay.Ticks);
        if (options.UseJitter)
        {
#pragma warning disable CA5394 // Jitter spreads retries; it needs no cryptographic randomness.
            ticks = (ticks / 2) + ((_random ??= new Random()).NextDouble() * ticks / 2);
#pragma warning restore CA5394
        }

        return TimeSpan.FromTicks((long)ticks);
    }
}
