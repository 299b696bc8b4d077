namespace Dataphin.OpenApi;

/// <summary>
/// A call ran out of time: one attempt exceeded <see cref="DataphinTimeoutOptions.AttemptTimeout"/> (and was not
/// retried), or the whole call exceeded <see cref="DataphinTimeoutOptions.TotalTimeout"/>. For a write that is not
/// retry-safe the service may or may not have applied it.
/// </summary>
public sealed class DataphinTimeoutException : DataphinException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="operation">The operation called.</param>
    /// <param name="kind">Which timeout expired.</param>
    /// <param name="timeout">Its value.</param>
    /// <param name="innerException">The cause, if any.</param>
    public DataphinTimeoutException(string operation, DataphinTimeoutKind kind, TimeSpan timeout, Exception? innerException = null)
        : base(BuildMessage(operation, kind, timeout), innerException)
    {
        Operation = operation;
        Kind = kind;
        Timeout = timeout;
    }

    /// <summary>The operation called.</summary>
    public string Operation { get; }

    /// <summary>Which timeout expired.</summary>
    public DataphinTimeoutKind Kind { get; }

    /// <summary>The value of the timeout that expired.</summary>
    public TimeSpan Timeout { get; }

    private static string BuildMessage(string operation, DataphinTimeoutKind kind, TimeSpan timeout)
        => kind == DataphinTimeoutKind.Attempt
            ? $"{operation} timed out: an attempt took longer than the attempt timeout of {timeout.TotalSeconds:0.###} s (DataphinClientOptions.Timeouts.AttemptTimeout). The service may or may not have applied it."
            : $"{operation} timed out: the call, with its retries and waits, took longer than the total timeout of {timeout.TotalSeconds:0.###} s (DataphinClientOptions.Timeouts.TotalTimeout). The service may or may not have applied it.";
}
