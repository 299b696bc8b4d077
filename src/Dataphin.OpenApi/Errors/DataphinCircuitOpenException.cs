namespace Dataphin.OpenApi;

/// <summary>
/// Nothing was sent: recent attempts of this throttling level mostly failed with server errors, timeouts or
/// connection failures, so the client stops calling for a while (<see cref="DataphinCircuitBreakerOptions"/>).
/// Try again after <see cref="RetryAfter"/>.
/// </summary>
public sealed class DataphinCircuitOpenException : DataphinException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="operation">The operation called.</param>
    /// <param name="level">The throttling level whose circuit is open.</param>
    /// <param name="retryAfter">How long the circuit stays open, if known.</param>
    /// <param name="innerException">The cause, if any.</param>
    public DataphinCircuitOpenException(string operation, ThrottlingLevel level, TimeSpan? retryAfter, Exception? innerException = null)
        : base(
            $"{operation} was not sent: the circuit for {level} calls is open after repeated server errors, timeouts or connection failures"
            + (retryAfter is { } wait ? $"; it closes for a trial call in {wait.TotalSeconds:0.###} s." : "."),
            innerException)
    {
        Operation = operation;
        Level = level;
        RetryAfter = retryAfter;
    }

    /// <summary>The operation called.</summary>
    public string Operation { get; }

    /// <summary>The throttling level whose circuit is open.</summary>
    public ThrottlingLevel Level { get; }

    /// <summary>How long the circuit stays open, if known.</summary>
    public TimeSpan? RetryAfter { get; }
}
