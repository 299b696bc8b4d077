namespace Dataphin.OpenApi;

/// <summary>What the service answered to a failed call; the input of <see cref="DataphinRequestException"/> and its subclasses.</summary>
public sealed class DataphinErrorDetails
{
    /// <summary>Creates the details.</summary>
    /// <param name="operation">The operation called.</param>
    /// <param name="status">The HTTP status, or 0 when no answer was received.</param>
    public DataphinErrorDetails(string operation, int status)
    {
        Operation = operation ?? throw new ArgumentNullException(nameof(operation));
        Status = status;
    }

    /// <summary>The operation called.</summary>
    public string Operation { get; }

    /// <summary>The HTTP status, or 0 when no answer was received.</summary>
    public int Status { get; }

    /// <summary>The service's error code.</summary>
    public string? ErrorCode { get; set; }

    /// <summary>The service's message.</summary>
    public string? ServiceMessage { get; set; }

    /// <summary>The request id.</summary>
    public string? RequestId { get; set; }

    /// <summary>The host id.</summary>
    public string? HostId { get; set; }

    /// <summary>The troubleshooting link.</summary>
    public string? Recommend { get; set; }

    /// <summary>The raw JSON of <c>AccessDeniedDetail</c>.</summary>
    public string? AccessDeniedDetail { get; set; }

    /// <summary>The first part of a body that was not JSON.</summary>
    public string? ResponseSnippet { get; set; }

    /// <summary>The delay the service asked for before a retry (<c>x-acs-retry-after</c>).</summary>
    public TimeSpan? RetryAfter { get; set; }

    /// <summary>A hint of this package's for what to do, added to the message.</summary>
    public string? Hint { get; set; }
}
