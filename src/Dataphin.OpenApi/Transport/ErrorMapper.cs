using System.Globalization;
using System.Net.Http.Headers;
using System.Text;

namespace Dataphin.OpenApi.Transport;

/// <summary>Turns a failed answer into the typed exception callers handle (protocol.md section 6).</summary>
internal static class ErrorMapper
{
    public const int SnippetLength = 300;

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

    public static DataphinRequestException Create(
        string operation,
        int status,
        ServiceAnswer? answer,
        byte[] body,
        HttpResponseHeaders? headers,
        ThrottlingLevel? level,
        IReadOnlyList<string?> secrets)
    {
        var details = new DataphinErrorDetails(operation, status)
        {
            ErrorCode = answer?.Code,
            ServiceMessage = Redact(answer?.Message, secrets),
            RequestId = answer?.RequestId ?? Header(headers, "x-acs-request-id"),
            HostId = answer?.HostId,
            Recommend = answer?.Recommend,
            AccessDeniedDetail = Redact(answer?.AccessDeniedDetail, secrets),
            RetryAfter = RetryAfter(headers),
        };
        if (answer is null)
        {
            details.ResponseSnippet = Snippet(body, secrets);
        }

        var code = details.ErrorCode ?? string.Empty;
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

    /// <summary>The first part of a body for a message, with control characters flattened and known secrets removed.</summary>
    public static string Snippet(byte[] body, IReadOnlyList<string?> secrets)
    {
        if (body.Length == 0)
        {
            return "(empty body)";
        }

        var text = Encoding.UTF8.GetString(body, 0, Math.Min(body.Length, SnippetLength * 4));
        var flat = new StringBuilder(Math.Min(text.Length, SnippetLength + 3));
        foreach (var c in text)
        {
            if (flat.Length >= SnippetLength)
            {
                flat.Append("...");
                break;
            }

            flat.Append(char.IsControl(c) ? ' ' : c);
        }

        return Redact(flat.ToString(), secrets)!;
    }

    /// <summary>Removes every known secret (and any <c>Signature=</c> value) from text that came back from the network.</summary>
    public static string? Redact(string? text, IReadOnlyList<string?> secrets)
    {
        if (string.IsNullOrEmpty(text))
        {
            return text;
        }

        var result = text!;
        foreach (var secret in secrets)
        {
            if (!string.IsNullOrEmpty(secret) && secret!.Length >= 4)
            {
                result = result.Replace(secret, "***");
            }
        }

        var index = result.IndexOf("Signature=", StringComparison.OrdinalIgnoreCase);
        while (index >= 0)
        {
            var start = index + "Signature=".Length;
            var end = start;
            while (end < result.Length && Uri.IsHexDigit(result[end]))
            {
                end++;
            }

            result = result.Substring(0, start) + "***" + result.Substring(end);
            index = result.IndexOf("Signature=", start + 3, StringComparison.OrdinalIgnoreCase);
        }

        return result;
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
