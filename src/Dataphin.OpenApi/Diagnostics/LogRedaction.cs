using System.Text;
using Dataphin.OpenApi.Authentication;

namespace Dataphin.OpenApi.Diagnostics;

/// <summary>
/// The allow-lists of what may be logged of a request: header and query values not listed are written as
/// <c>***</c>. The AccessKey secret, the security token and the signature are never on a list.
/// </summary>
internal static class LogRedaction
{
    public const string Redacted = "***";

    /// <summary>Headers whose values may be logged.</summary>
    public static readonly HashSet<string> LoggableHeaders = new(StringComparer.OrdinalIgnoreCase)
    {
        "host", "content-type", "content-length", "accept", "user-agent", "x-acs-action", "x-acs-version", "x-acs-date",
        "x-acs-signature-nonce", "x-acs-content-sha256", "x-acs-credentials-provider", "x-acs-retry-attempts", "x-acs-retry-delay",
    };

    /// <summary>Query parameters whose values may be logged.</summary>
    public static readonly HashSet<string> LoggableQuery = new(StringComparer.Ordinal) { "OpTenantId", "OpUserId" };

    public static string Headers(HttpRequestMessage message)
    {
        var text = new StringBuilder(256);
        Append(text, message.Headers);
        if (message.Content is not null)
        {
            Append(text, message.Content.Headers);
        }

        return text.ToString();
    }

    public static string Query(IReadOnlyList<KeyValuePair<string, string>> query)
    {
        var text = new StringBuilder("/?");
        for (var i = 0; i < query.Count; i++)
        {
            if (i > 0)
            {
                text.Append('&');
            }

            text.Append(Rfc3986.Encode(query[i].Key)).Append('=')
                .Append(LoggableQuery.Contains(query[i].Key) ? Rfc3986.Encode(query[i].Value ?? string.Empty) : Redacted);
        }

        return query.Count == 0 ? "/" : text.ToString();
    }

    private static void Append(StringBuilder text, System.Net.Http.Headers.HttpHeaders headers)
    {
        foreach (var header in headers)
        {
            if (text.Length > 0)
            {
                text.Append("; ");
            }

            text.Append(header.Key).Append(": ").Append(LoggableHeaders.Contains(header.Key) ? string.Join(",", header.Value) : Redacted);
        }
    }
}
