using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace Dataphin.OpenApi.Testing.Protocol;

/// <summary>
/// Verifies ACS3-HMAC-SHA256 the way the service does (protocol.md sections 4 and 11), written independently of the
/// SDK's signer: recomputes the canonical request over whatever <c>SignedHeaders</c> lists, hashes the body bytes
/// received, requires the mandatory headers to be present and signed, checks the date window and the nonce.
/// </summary>
/// <remarks>
/// It duplicates the SDK's signer (src/Dataphin.OpenApi/Authentication/Acs3Signer.cs) on purpose: the emulator is the
/// independent oracle the SDK is tested against, so it must not share the SDK's code. Do not merge the two.
/// </remarks>
internal sealed class Acs3SignatureVerifier(TimeProvider time, TimeSpan tolerance, NonceMemory nonces)
{
    public const string Algorithm = "ACS3-HMAC-SHA256";

    private static readonly string[] MandatorySignedHeaders =
        ["host", "x-acs-action", "x-acs-version", "x-acs-date", "x-acs-signature-nonce", "x-acs-content-sha256"];

    private static readonly string[] DateFormats =
        ["yyyy-MM-dd'T'HH:mm:ss'Z'", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'"];

    /// <summary>Checks the shape of the Authorization header and that the mandatory headers are present and signed.</summary>
    public static ServiceError? Parse(HttpRequest request, int bodyLength, out ParsedAuthorization? authorization)
    {
        authorization = null;
        var header = request.Headers.Authorization.ToString();
        if (string.IsNullOrWhiteSpace(header))
        {
            return request.Query.ContainsKey("Signature")
                ? ServiceError.IncompleteSignature("V2 (HMAC-SHA1 query parameter) signatures are not emulated; sign with ACS3-HMAC-SHA256.")
                : ServiceError.IncompleteSignature("The Authorization header is missing.");
        }

        var space = header.IndexOf(' ', StringComparison.Ordinal);
        var algorithm = space < 0 ? header : header[..space];
        if (!string.Equals(algorithm, Algorithm, StringComparison.Ordinal))
        {
            return ServiceError.IncompleteSignature($"The Authorization header must use {Algorithm} (got '{algorithm}').");
        }

        string? credential = null, signedHeaders = null, signature = null;
        foreach (var part in header[(space + 1)..].Split(','))
        {
            var eq = part.IndexOf('=', StringComparison.Ordinal);
            if (eq < 0)
            {
                continue;
            }

            var name = part[..eq].Trim();
            var value = part[(eq + 1)..].Trim();
            switch (name)
            {
                case "Credential": credential = value; break;
                case "SignedHeaders": signedHeaders = value; break;
                case "Signature": signature = value; break;
            }
        }

        if (string.IsNullOrEmpty(credential) || signedHeaders is null || string.IsNullOrEmpty(signature))
        {
            return ServiceError.IncompleteSignature("The Authorization header needs Credential=, SignedHeaders= and Signature=.");
        }

        var names = signedHeaders.Split(';', StringSplitOptions.RemoveEmptyEntries).Select(n => n.Trim().ToLowerInvariant()).ToList();
        var required = new List<string>(MandatorySignedHeaders);
        if (bodyLength > 0)
        {
            required.Add("content-type");
        }

        if (request.Headers.ContainsKey("x-acs-security-token"))
        {
            required.Add("x-acs-security-token");
        }

        foreach (var name in required)
        {
            if (string.IsNullOrWhiteSpace(request.Headers[name].ToString()))
            {
                return ServiceError.IncompleteSignature($"The mandatory header '{name}' is missing.");
            }

            if (!names.Contains(name, StringComparer.Ordinal))
            {
                return ServiceError.IncompleteSignature($"The header '{name}' must be signed (listed in SignedHeaders).");
            }
        }

        foreach (var name in names)
        {
            if (!request.Headers.ContainsKey(name))
            {
                return ServiceError.IncompleteSignature($"SignedHeaders lists '{name}' but the request has no such header.");
            }
        }

        authorization = new ParsedAuthorization(credential, names, signedHeaders, signature.ToLowerInvariant());
        return null;
    }

    /// <summary>Authenticates a parsed request signed with <paramref name="key"/>; consumes its nonce when it is accepted.</summary>
    public ServiceError? Authenticate(HttpRequest request, byte[] body, ParsedAuthorization authorization, EmulatorAccessKey key)
    {
        var now = time.GetUtcNow();
        var dateText = request.Headers["x-acs-date"].ToString();
        if (!DateTimeOffset.TryParseExact(dateText, DateFormats, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var date))
        {
            return ServiceError.TimeStampFormat(dateText);
        }

        if ((date - now).Duration() > tolerance)
        {
            return ServiceError.TimeStampExpired(
                $"x-acs-date {dateText} is more than {tolerance.TotalMinutes:0.#} minutes from the server time {now.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture)}.");
        }

        var bodyHash = Convert.ToHexString(SHA256.HashData(body)).ToLowerInvariant();
        var claimedHash = request.Headers["x-acs-content-sha256"].ToString().Trim();
        if (!string.Equals(bodyHash, claimedHash, StringComparison.OrdinalIgnoreCase))
        {
            return ServiceError.SignatureDoesNotMatch($"x-acs-content-sha256 is '{claimedHash}' but the {body.Length} body bytes received hash to '{bodyHash}'.");
        }

        var rawTarget = request.HttpContext.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpRequestFeature>()?.RawTarget ?? (request.Path + request.QueryString.ToString());
        var question = rawTarget.IndexOf('?', StringComparison.Ordinal);
        var path = question < 0 ? rawTarget : rawTarget[..question];
        var query = question < 0 ? string.Empty : rawTarget[(question + 1)..];
        if (path.Length == 0)
        {
            path = "/";
        }

        var headers = CanonicalHeaders(request, authorization.SignedHeaders);
        string? firstStringToSign = null;
        foreach (var canonicalQuery in CanonicalQueries(query))
        {
            var canonical = string.Join('\n', request.Method.ToUpperInvariant(), path, canonicalQuery, headers, authorization.SignedHeadersText, claimedHash);
            var stringToSign = Algorithm + "\n" + Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(canonical))).ToLowerInvariant();
            firstStringToSign ??= stringToSign;
            var expected = HMACSHA256.HashData(Encoding.UTF8.GetBytes(key.AccessKeySecret), Encoding.UTF8.GetBytes(stringToSign));
            if (authorization.Signature.Length == 64
                && CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(Convert.ToHexString(expected).ToLowerInvariant()), Encoding.ASCII.GetBytes(authorization.Signature)))
            {
                return CheckTokenAndNonce(request, authorization, key, now);
            }
        }

        return ServiceError.SignatureDoesNotMatch("server string to sign is:" + firstStringToSign);
    }

    private ServiceError? CheckTokenAndNonce(HttpRequest request, ParsedAuthorization authorization, EmulatorAccessKey key, DateTimeOffset now)
    {
        var token = request.Headers["x-acs-security-token"].ToString();
        if (key.SecurityToken is { } expectedToken)
        {
            if (token.Length == 0)
            {
                return ServiceError.MissingSecurityToken();
            }

            if (!CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(token), Encoding.UTF8.GetBytes(expectedToken)))
            {
                return ServiceError.SecurityTokenMismatch();
            }
        }
        else if (token.Length > 0)
        {
            return ServiceError.SecurityTokenMismatch();
        }

        var nonce = request.Headers["x-acs-signature-nonce"].ToString();
        return nonces.TryUse(authorization.AccessKeyId, nonce, now) ? null : ServiceError.NonceUsed();
    }

    /// <summary><c>name:value\n</c> for each signed header in the order listed; repeated headers' values sorted and joined with a comma.</summary>
    private static string CanonicalHeaders(HttpRequest request, IReadOnlyList<string> names)
    {
        var text = new StringBuilder();
        foreach (var name in names)
        {
            var values = request.Headers[name].Select(v => (v ?? string.Empty).Trim()).OrderBy(v => v, StringComparer.Ordinal);
            text.Append(name).Append(':').Append(string.Join(',', values)).Append('\n');
        }

        return text.ToString();
    }

    /// <summary>
    /// The canonical query: pairs decoded, sorted by name, values RFC 3986-encoded. The official clients leave the
    /// names as they are, the documentation encodes them too; both forms are accepted (they differ only for unusual names).
    /// </summary>
    private static IEnumerable<string> CanonicalQueries(string rawQuery)
    {
        var pairs = Rfc3986.ParsePairs(rawQuery)
            .OrderBy(p => p.Key, StringComparer.Ordinal)
            .ThenBy(p => p.Value, StringComparer.Ordinal)
            .ToList();
        var raw = string.Join('&', pairs.Select(p => p.Key + "=" + Rfc3986.Encode(p.Value)));
        yield return raw;
        var encoded = string.Join('&', pairs.Select(p => Rfc3986.Encode(p.Key) + "=" + Rfc3986.Encode(p.Value)));
        if (!string.Equals(raw, encoded, StringComparison.Ordinal))
        {
            yield return encoded;
        }
    }
}
