using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using Dataphin.OpenApi.Diagnostics;

namespace Dataphin.OpenApi.Transport;

/// <summary>Turns a failed answer into the typed exception callers handle (protocol.md section 6).</summary>
internal static class ErrorMapper
{
    public const int SnippetLength = 300;

    /// <summary>How much of a body that is not JSON is decoded and redacted before its first <see cref="SnippetLength"/> characters are kept.</summary>
    public const int SnippetScanBytes = 16 * 1024;

    private static readonly string[] AuthenticationCodePrefixes =
    [
        "DataphinOpenAPIRamUnAuthorized",
        "InvalidAccessKeyId",
        "SignatureDoesNotMatch",
        "IncompleteSignature",
        "InvalidSecurityToken",
        "SignatureNonceUsed",
        "InvalidTimeStamp",
        "MissingSecurityToken",
        "InvalidAuthorization",
        "UnsupportedSignatureAlgorithm",
    ];

    public static bool IsThrottlingCode(string? code) => code is not null && code.IndexOf("Throttling", StringComparison.Ordinal) >= 0;

    /// <summary>
    /// Maps a failed answer to its exception. Every text taken from the answer (its fields, the <c>x-acs-request-id</c>
    /// header, the start of a body that is not JSON) goes through <paramref name="redactor"/> before it is used.
    /// </summary>
    public static DataphinRequestException Create(
        string operation,
        int status,
        ServiceAnswer? answer,
        byte[] body,
        HttpResponseHeaders? headers,
        ThrottlingLevel? level,
        SecretRedactor redactor)
    {
        var redacted = answer?.Redact(redactor);
        var details = new DataphinErrorDetails(operation, status)
        {
            ErrorCode = redacted?.Code,
            ServiceMessage = redacted?.Message,
            RequestId = redacted?.RequestId ?? redactor.Redact(Header(headers, "x-acs-request-id")),
            HostId = redacted?.HostId,
            Recommend = redacted?.Recommend,
            AccessDeniedDetail = redacted?.AccessDeniedDetail,
            RetryAfter = RetryAfter(headers),
        };
        if (answer is null)
        {
            details.ResponseSnippet = Snippet(body, redactor);
        }

        // The kind of error is decided on the code as it came: redaction changes what is shown, never which exception is raised.
        var code = answer?.Code ?? string.Empty;
        if (IsThrottlingCode(code) || (status == 429 && answer?.Code is null))
        {
            details.Hint = "The call was throttled and not executed; it is safe to send again after a pause";
            return new DataphinThrottledException(details, level, isClientSide: false);
        }

        if (status == 401 || StartsWithAny(code, AuthenticationCodePrefixes))
        {
            details.Hint = code.StartsWith("Signature", StringComparison.Ordinal) || code.StartsWith("InvalidTimeStamp", StringComparison.Ordinal)
                ? "Check the AccessKey secret, and that this machine's clock is within 15 minutes of the real time"
                : "Check that the AccessKey belongs to a RAM user or the account (RAM roles cannot call the Dataphin OpenAPI) and has the DataphinOpenAPIFullAccess permission";
            return new DataphinAuthenticationException(details);
        }

        if (status == 403 || code.StartsWith("DataphinOpenApiForbidden", StringComparison.Ordinal) || code.StartsWith("Forbidden", StringComparison.Ordinal))
        {
            details.Hint = "Check OpTenantId (the tenantId in the Dataphin URL), that the OpenAPI feature is purchased and enabled, and that the user has the needed Dataphin role";
            return new DataphinForbiddenException(details);
        }

        return new DataphinRequestException(details);
    }

    /// <summary>
    /// The first <see cref="SnippetLength"/> characters of a body for a message, with control characters flattened.
    /// The secrets are removed from the first <see cref="SnippetScanBytes"/> of the body before it is cut, so a secret
    /// crossing the cut is removed whole rather than cut in two and missed.
    /// </summary>
    public static string Snippet(byte[] body, SecretRedactor redactor)
    {
        if (body.Length == 0)
        {
            return "(empty body)";
        }

        var text = redactor.Redact(Encoding.UTF8.GetString(body, 0, Math.Min(body.Length, SnippetScanBytes)))!;
        var cut = text.Length > SnippetLength || body.Length > SnippetScanBytes;
        var flat = new StringBuilder(SnippetLength + 3);
        for (var i = 0; i < Math.Min(text.Length, SnippetLength); i++)
        {
            flat.Append(char.IsControl(text[i]) ? ' ' : text[i]);
        }

        return cut ? flat.Append("...").ToString() : flat.ToString();
    }

    public static TimeSpan? RetryAfter(HttpResponseHeaders? headers)
    {
        var acs = Header(headers, "x-acs-retry-after");
        if (acs is not null && long.TryParse(acs, NumberStyles.Integer, CultureInfo.InvariantCulture, out var ms) && ms >= 0)
        {
            return TimeSpan.FromMilliseconds(ms);
        }

        if (headers?.RetryAfter?.Delta is { } delta && delta >= TimeSpan.Zero)
        {
            return delta;
        }

        return null;
    }

    private static string? Header(HttpResponseHeaders? headers, string name)
        => headers is not null && headers.TryGetValues(name, out var values) ? values.FirstOrDefault() : null;

    private static bool StartsWithAny(string code, string[] prefixes)
    {
        foreach (var prefix in prefixes)
        {
            if (code.StartsWith(prefix, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }
}
