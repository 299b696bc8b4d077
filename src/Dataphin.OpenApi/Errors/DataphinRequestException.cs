using System.Text;

namespace Dataphin.OpenApi;

/// <summary>
/// The service (or a gateway in front of it) answered a call with an error: an HTTP 4xx/5xx, or a 2xx whose body
/// says <c>Success: false</c>. Carries everything the service returned to diagnose it; the
/// <see cref="RequestId"/> is also in <see cref="Exception.Message"/>, so a logged message is enough for support.
/// </summary>
public class DataphinRequestException : DataphinException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="details">What the service answered.</param>
    /// <param name="innerException">The cause, if any.</param>
    public DataphinRequestException(DataphinErrorDetails details, Exception? innerException = null)
        : base(BuildMessage(details ?? throw new ArgumentNullException(nameof(details))), innerException)
    {
        Operation = details.Operation;
        Status = details.Status;
        ErrorCode = details.ErrorCode;
        ServiceMessage = details.ServiceMessage;
        RequestId = details.RequestId;
        HostId = details.HostId;
        Recommend = details.Recommend;
        AccessDeniedDetail = details.AccessDeniedDetail;
        ResponseSnippet = details.ResponseSnippet;
    }

    /// <summary>The operation called, e.g. <c>AddRegisterLineage</c>.</summary>
    public string Operation { get; }

    /// <summary>The HTTP status of the answer; 0 when the failure was decided on the client.</summary>
    public int Status { get; }

    /// <summary>The service's error code, e.g. <c>DataphinOpenApiForbidden</c>; <see langword="null"/> when the body had none.</summary>
    public string? ErrorCode { get; }

    /// <summary>The service's own message text.</summary>
    public string? ServiceMessage { get; }

    /// <summary>The id of the request, for Alibaba Cloud support.</summary>
    public string? RequestId { get; }

    /// <summary>The host that answered, as the service names it.</summary>
    public string? HostId { get; }

    /// <summary>The troubleshooting link the service recommends.</summary>
    public string? Recommend { get; }

    /// <summary>The raw JSON of <c>AccessDeniedDetail</c> on permission failures.</summary>
    public string? AccessDeniedDetail { get; }

    /// <summary>The first part of a body that was not the service's JSON (for example a proxy's HTML page); otherwise <see langword="null"/>.</summary>
    public string? ResponseSnippet { get; }

    private static string BuildMessage(DataphinErrorDetails d)
    {
        var text = new StringBuilder();
        text.Append(d.Operation).Append(" failed");
        if (d.Status > 0)
        {
            text.Append(": HTTP ").Append(d.Status);
        }

        if (d.ErrorCode is not null)
        {
            text.Append(' ').Append(d.ErrorCode);
        }

        if (!string.IsNullOrEmpty(d.ServiceMessage))
        {
            text.Append(": ").Append(d.ServiceMessage);
        }

        text.Append(" (RequestId: ").Append(d.RequestId ?? "none");
        if (d.HostId is not null)
        {
            text.Append(", HostId: ").Append(d.HostId);
        }

        text.Append(')');
        if (d.Hint is not null)
        {
            text.Append(". ").Append(d.Hint);
        }

        if (d.Recommend is not null)
        {
            text.Append(". Recommend: ").Append(d.Recommend);
        }

        if (d.ResponseSnippet is not null)
        {
            text.Append(". The response was not the service's JSON; it began with: ").Append(d.ResponseSnippet);
        }

        return text.ToString();
    }
}
