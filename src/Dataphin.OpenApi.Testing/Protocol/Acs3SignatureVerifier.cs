using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace Dataphin.OpenApi.Testing.Protocol;

/// <summary>
/// Verifies ACS3-HMAC-SHA256 the way the service does (protocol.md sections 4 and 11), written independently of the
/// SDK's signer: recomputes the canonical request over whatever <c>SignedHeaders</c> lists, hashes the body bytes
/// received, requires the mandatory headers to be present and signed, checks the date window and the nonce.
/// Everything but the body hash is checked from the headers alone (the signature covers the claimed hash, not the
/// body), so a request that fails them is answered before its body is read.
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

    /// <summary>
    /// Checks the shape of the Authorization header and that the mandatory headers are present and signed (all but
    /// <c>content-type</c>, which only a request with a body needs: see <see cref="RequireSignedContentType"/>).
    /// Reads no body.
    /// </summary>
    public static ServiceError? Parse(HttpRequest request, out ParsedAuthorization? authorization)
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
        if (request.Headers.ContainsKey("x-acs-security-token"))
        {
            required.Add("x-acs-security-token");
        }

        foreach (var name in required)
        {
            if (Missing(request, name, names) is { } error)
            {
                return error;
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

    /// <summary>A request with a body must send and sign <c>content-type</c>.</summary>
    public static ServiceError? RequireSignedContentType(HttpRequest request, ParsedAuthorization authorization, long bodyLength)
        => bodyLength > 0 ? Missing(request, "content-type", authorization.SignedHeaders) : null;

    /// <summary>
    /// Authenticates everything but the body of a parsed request signed with <paramref name="key"/>: the date window,
    /// the shape of <c>x-acs-content-sha256</c>, the signature (which covers the claimed body hash, not the body),
    /// the security token, and that the nonce is not used already. Consumes nothing; reads no body.
    /// </summary>
    public ServiceError? AuthenticateHeaders(HttpRequest request, ParsedAuthorization authorization, EmulatorAccessKey key)
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

        var claimedHash = request.Headers["x-acs-content-sha256"].ToString().Trim();
        if (!IsSha256Hex(claimedHash))
        {
            return ServiceError.SignatureDoesNotMatch($"x-acs-content-sha256 '{Shorten(claimedHash)}' is not a SHA-256 in hex (64 hex digits).");
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

    /// <summary>
    /// Completes the authentication of a request whose headers <see cref="AuthenticateHeaders"/> accepted: the body
    /// received must hash to the signed <c>x-acs-content-sha256</c>. Consumes the nonce when the request is accepted.
    /// </summary>
    public ServiceError? AuthenticateBody(HttpRequest request, ReadOnlySpan<byte> body, ParsedAuthorization authorization)
    {
        var bodyHash = Convert.ToHexString(SHA256.HashData(body)).ToLowerInvariant();
        var claimedHash = request.Headers["x-acs-content-sha256"].ToString().Trim();
        if (!string.Equals(bodyHash, claimedHash, StringComparison.OrdinalIgnoreCase))
        {
            return ServiceError.SignatureDoesNotMatch($"x-acs-content-sha256 is '{claimedHash}' but the {body.Length} body bytes received hash to '{bodyHash}'.");
        }

        var nonce = request.Headers["x-acs-signature-nonce"].ToString();
        return nonces.TryUse(authorization.AccessKeyId, nonce, time.GetUtcNow()) ? null : ServiceError.NonceUsed();
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
        return nonces.IsUsed(authorization.AccessKeyId, nonce, now) ? ServiceError.NonceUsed() : null;
    }

    private static ServiceError? Missing(HttpRequest request, string name, IReadOnlyList<string> signed)
    {
        if (string.IsNullOrWhiteSpace(request.Headers[name].ToString()))
        {
            return ServiceError.IncompleteSignature($"The mandatory header '{name}' is missing.");
        }

        return signed.Contains(name, StringComparer.Ordinal)
            ? null
            : ServiceError.IncompleteSignature($"The header '{name}' must be signed (listed in SignedHeaders).");
    }

    private static bool IsSha256Hex(string text)
    {
        if (text.Length != 64)
        {
            return false;
        }

        foreach (var c in text)
        {
            if (!char.IsAsciiHexDigit(c))
            {
                return false;
            }
        }

        return true;
    }

    private static string Shorten(string text) => text.Length <= 80 ? text : text[..80] + "...";

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
