namespace Dataphin.OpenApi.Bulk;

/// <summary>Why a bulk run ended before reading all of its input, if it did.</summary>
public enum BulkStopReason
{
    /// <summary>The run read every item (or the input itself broke off with an exception).</summary>
    None,

    /// <summary>The run's cancellation token was cancelled (for example Ctrl+C).</summary>
    Cancelled,

    /// <summary>
    /// An error that applies to every call, not to one item: the credential was not accepted
    /// (<see cref="DataphinAuthenticationException"/>), the caller may not call in this tenant
    /// (<see cref="DataphinForbiddenException"/>), or the edition does not offer the operation
    /// (<see cref="DataphinEditionException"/>). Sending more would only fail the same way.
    /// </summary>
    AccountError,

    /// <summary>The circuit breaker or the service's throttling asked for more waiting than <see cref="BulkOptions.MaxPause"/> allows.</summary>
    PauseBudgetExhausted,

    /// <summary>The run store (<see cref="BulkOptions.RunStore"/>) could not record an outcome, so the run could not be resumed safely.</summary>
    RunStoreFailed,
}
