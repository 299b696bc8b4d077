namespace Dataphin.OpenApi.Resilience;

/// <summary>
/// The hook point for logging and metrics of the request path. Every method is called on the calling path, so an
/// implementation must be fast and must not throw. No secrets are passed.
/// </summary>
internal interface IResilienceObserver
{
    /// <summary>One attempt ended: <paramref name="status"/> is the HTTP status (0 when no answer arrived), <paramref name="errorCode"/> the service's code on failure.</summary>
    void OnAttempt(string operation, ThrottlingLevel level, int attempt, int status, string? errorCode, TimeSpan duration);

    /// <summary>A failed attempt will be retried as attempt <paramref name="retryAttempt"/> after <paramref name="delay"/>.</summary>
    void OnRetry(string operation, ThrottlingLevel level, int retryAttempt, TimeSpan delay, Exception cause);

    /// <summary>The call waited <paramref name="waited"/> for a client-side rate-limit permit.</summary>
    void OnThrottleWait(string operation, ThrottlingLevel level, TimeSpan waited);

    /// <summary>The client-side rate limiter refused the call: the estimated wait was longer than the budget.</summary>
    void OnClientSideRejection(string operation, ThrottlingLevel level, TimeSpan estimatedWait);

    /// <summary>The calls sent today reached the warning threshold of the edition's daily quota.</summary>
    void OnDailyQuotaWarning(DataphinDailyQuotaWarning warning);
}
