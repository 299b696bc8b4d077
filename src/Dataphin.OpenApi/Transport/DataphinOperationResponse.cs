using System.Text.Json;

namespace Dataphin.OpenApi;

/// <summary>The answer to a call made through <see cref="DataphinClient.SendAsync"/>: the common fields and the whole JSON body.</summary>
public sealed class DataphinOperationResponse : DataphinResponse
{
    /// <summary>Creates a response.</summary>
    /// <param name="status">The HTTP status.</param>
    /// <param name="requestId">The request id.</param>
    /// <param name="code">The service's code.</param>
    /// <param name="message">The service's message.</param>
    /// <param name="httpStatusCode">The <c>HttpStatusCode</c> field of the body, if present.</param>
    /// <param name="content">The whole JSON body.</param>
    public DataphinOperationResponse(int status, string? requestId, string? code, string? message, int? httpStatusCode, JsonElement content)
        : base(status, requestId, code, message, httpStatusCode)
    {
        Content = content;
    }

    /// <summary>The whole JSON body of the answer (a detached copy, safe to keep).</summary>
    public JsonElement Content { get; }
}
