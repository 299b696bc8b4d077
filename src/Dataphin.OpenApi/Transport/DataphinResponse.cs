namespace Dataphin.OpenApi;

/// <summary>The service's answer to a successful call: <c>Success: true</c> with its request id and code.</summary>
public class DataphinResponse
{
    /// <summary>Creates a response; also the way to build one in tests of code that uses the client.</summary>
    /// <param name="status">The HTTP status of the answer.</param>
    /// <param name="requestId">The request id.</param>
    /// <param name="code">The service's code, e.g. <c>OK</c>.</param>
    /// <param name="message">The service's message.</param>
    /// <param name="httpStatusCode">The <c>HttpStatusCode</c> field of the body, if present.</param>
    public DataphinResponse(int status, string? requestId, string? code, string? message, int? httpStatusCode)
    {
        Status = status;
        RequestId = requestId;
        Code = code;
        Message = message;
        HttpStatusCode = httpStatusCode;
    }

    /// <summary>The HTTP status of the answer.</summary>
    public int Status { get; }

    /// <summary>The request id, for Alibaba Cloud support.</summary>
    public string? RequestId { get; }

    /// <summary>The service's code, e.g. <c>OK</c>.</summary>
    public string? Code { get; }

    /// <summary>The service's message.</summary>
    public string? Message { get; }

    /// <summary>The <c>HttpStatusCode</c> field of the body, if present.</summary>
    public int? HttpStatusCode { get; }

    /// <inheritdoc />
    public override string ToString() => $"HTTP {Status} {Code} (RequestId: {RequestId})";
}
