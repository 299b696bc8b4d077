using System.Text;
using Dataphin.OpenApi.Internal;

namespace Dataphin.OpenApi.Authentication;

/// <summary>
/// The Alibaba Cloud V3 signature, <c>ACS3-HMAC-SHA256</c> (protocol.md section 4): canonical request,
/// string to sign, HMAC-SHA256 with the raw AccessKey secret, and the <c>Authorization</c> header value.
/// </summary>
/// <remarks>
/// The emulator verifies signatures with its own code (src/Dataphin.OpenApi.Testing/Protocol/Acs3SignatureVerifier.cs)
/// on purpose: it is the independent oracle the SDK is tested against, so a mistake here cannot pass by being repeated
/// there. Do not share code between the two.
/// </remarks>
internal static class Acs3Signer
{
    public const string Algorithm = "ACS3-HMAC-SHA256";

    /// <summary>The SHA-256 of an empty payload.</summary>
    public const string EmptyPayloadHash = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

    /// <summary>True for the header names the signature covers: <c>host</c>, <c>content-type</c> and <c>x-acs-*</c>.</summary>
    public static bool IsSignedHeader(string lowerCaseName)
        => lowerCaseName == "host" || lowerCaseName == "content-type" || lowerCaseName.StartsWith("x-acs-", StringComparison.Ordinal);

    /// <summary>
    /// Sorted <c>name=value</c> pairs joined by <c>&amp;</c>, both RFC 3986-encoded (names are ASCII for every
    /// Dataphin parameter, where encoding them or not gives the same text).
    /// </summary>
    public static string CanonicalQueryString(IEnumerable<KeyValuePair<string, string>> query)
    {
        var sorted = new List<KeyValuePair<string, string>>(query);
        if (sorted.Count == 0)
        {
            return string.Empty;
        }

        sorted.Sort(static (a, b) => string.CompareOrdinal(a.Key, b.Key));
        var text = new StringBuilder();
        foreach (var pair in sorted)
        {
            if (text.Length > 0)
            {
                text.Append('&');
            }

            text.Append(Rfc3986.Encode(pair.Key)).Append('=').Append(Rfc3986.Encode(pair.Value ?? string.Empty));
        }

        return text.ToString();
    }

    /// <summary>
    /// Builds the canonical request. <paramref name="headers"/> holds every header sent; only the signed ones
    /// (see <see cref="IsSignedHeader"/>) are used: names lower-cased, values trimmed, sorted by name, and values
    /// of names that differ only in case joined with a comma.
    /// </summary>
    public static string CanonicalRequest(
        string method,
        string canonicalUri,
        string canonicalQueryString,
        IEnumerable<KeyValuePair<string, string>> headers,
        string hashedPayload,
        out string signedHeaders)
    {
        var signed = new List<KeyValuePair<string, string>>(12);
        foreach (var header in headers)
        {
            var name = header.Key.ToLowerInvariant();
            if (IsSignedHeader(name))
            {
                signed.Add(new(name, (header.Value ?? string.Empty).Trim()));
            }
        }

        // By name, then by value: values of names that differ only in case end up adjacent and sorted.
        signed.Sort(static (a, b) =>
        {
            var byName = string.CompareOrdinal(a.Key, b.Key);
            return byName != 0 ? byName : string.CompareOrdinal(a.Value, b.Value);
        });

        var text = new StringBuilder(256 + (signed.Count * 64));
        text.Append(method).Append('\n')
            .Append(string.IsNullOrEmpty(canonicalUri) ? "/" : canonicalUri).Append('\n')
            .Append(canonicalQueryString).Append('\n');
        var names = new StringBuilder(signed.Count * 24);
        for (var i = 0; i < signed.Count; i++)
        {
            var name = signed[i].Key;
            if (i > 0 && signed[i - 1].Key == name)
            {
                text.Length--; // drop the previous '\n': same name, join the values
                text.Append(',').Append(signed[i].Value).Append('\n');
                continue;
            }

            text.Append(name).Append(':').Append(signed[i].Value).Append('\n');
            if (names.Length > 0)
            {
                names.Append(';');
            }

            names.Append(name);
        }

        signedHeaders = names.ToString();
        text.Append('\n').Append(signedHeaders).Append('\n').Append(hashedPayload);
        return text.ToString();
    }

    /// <summary><c>ACS3-HMAC-SHA256\n</c> + hex(SHA-256(canonical request)).</summary>
    public static string StringToSign(string canonicalRequest) => Algorithm + "\n" + HexEncoding.Sha256Hex(canonicalRequest);

    /// <summary>Lower-case hex HMAC-SHA256 of the string to sign, keyed with the raw secret.</summary>
    public static string Signature(string stringToSign, string accessKeySecret) => HexEncoding.HmacSha256Hex(accessKeySecret, stringToSign);

    /// <summary>The <c>Authorization</c> header value.</summary>
    public static string Authorization(string accessKeyId, string signedHeaders, string signature)
        => Algorithm + " Credential=" + accessKeyId + ",SignedHeaders=" + signedHeaders + ",Signature=" + signature;

    /// <summary>Signs a request given its parts and returns the <c>Authorization</c> header value.</summary>
    public static string Sign(
        string method,
        string canonicalUri,
        string canonicalQueryString,
        IEnumerable<KeyValuePair<string, string>> headers,
        string hashedPayload,
        string accessKeyId,
        string accessKeySecret)
    {
        var canonical = CanonicalRequest(method, canonicalUri, canonicalQueryString, headers, hashedPayload, out var signedHeaders);
        return Authorization(accessKeyId, signedHeaders, Signature(StringToSign(canonical), accessKeySecret));
    }
}
