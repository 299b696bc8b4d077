namespace Dataphin.OpenApi;

/// <summary>
/// A call was throttled: the service answered with a <c>Throttling*</c> code (the request was not executed, so
/// it is safe to send again), or the client-side rate limiter could not grant a permit within the wait budget
/// (<see cref="IsClientSide"/>; nothing was sent).
/// </summary>
public sealed class DataphinThrottledException : DataphinRequestException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="details">What the service answered, or what the client decided.</param>
    /// <param name="level">The throttling level of the operation, if known.</param>
    /// <param name="isClientSide">Whether the client refused the call before sending it.</param>
    /// <param name="innerException">The cause, if any.</param>
    public DataphinThrottledException(DataphinErrorDetails details, ThrottlingLevel? level, bool isClientSide, Exception? innerException = null)
        : base(details, innerException)
    {
        RetryAfter = details.RetryAfter;
        Level = level;
        IsClientSide = isClientSide;
    }

    /// <summary>How long the service (header <c>x-acs-retry-after</c>) or the rate limiter asked to wait, if it said.</summary>
    public TimeSpan? RetryAfter { get; }

    /// <summary>The throttling level of the operation, if known.</summary>
    public ThrottlingLevel? Level { get; }

    /// <summary><see langword="true"/> when the client refused the call before sending it (no permit within the wait budget).</summary>
    public bool IsClientSide { get; }
}
