using System.Security.Cryptography;
using System.Text;

namespace Dataphin.OpenApi.Authentication;

/// <summary>
/// The legacy RPC signature, V2 (<c>HMAC-SHA1</c>, protocol.md section 5): the parameters (query and form fields,
/// without <c>Signature</c>) sorted by name and RFC 3986-encoded, signed with the secret plus <c>&amp;</c>, and
/// returned base64-encoded for the <c>Signature</c> query parameter.
/// </summary>
/// <remarks>
/// <see cref="DataphinClient"/> always signs with V3 (<see cref="Acs3Signer"/>), as the official clients do by
/// default. This V2 signer is not used to send requests: it is checked against the published V2 vector, the only
/// other signature in the reference goldens, and shares <see cref="Rfc3986"/> with V3.
/// </remarks>
internal static class RpcV2Signer
{
    /// <summary><c>METHOD&amp;%2F&amp;</c> + enc(sorted <c>enc(name)=enc(value)</c> pairs joined by <c>&amp;</c>); <c>Signature</c> itself is left out.</summary>
    public static string StringToSign(string method, IEnumerable<KeyValuePair<string, string>> parameters)
    {
        var sorted = new List<KeyValuePair<string, string>>();
        foreach (var parameter in parameters)
        {
            if (parameter.Key != "Signature")
            {
                sorted.Add(parameter);
            }
        }

        sorted.Sort(static (a, b) => string.CompareOrdinal(a.Key, b.Key));
        var canonicalized = new StringBuilder();
        foreach (var pair in sorted)
        {
            if (canonicalized.Length > 0)
            {
                canonicalized.Append('&');
            }

            canonicalized.Append(Rfc3986.Encode(pair.Key)).Append('=').Append(Rfc3986.Encode(pair.Value ?? string.Empty));
        }

        return method + "&" + Rfc3986.Encode("/") + "&" + Rfc3986.Encode(canonicalized.ToString());
    }

    /// <summary>base64(HMAC-SHA1(key = secret + <c>&amp;</c>, <paramref name="stringToSign"/>)).</summary>
    public static string Signature(string stringToSign, string accessKeySecret)
    {
        var key = Encoding.UTF8.GetBytes(accessKeySecret + "&");
        var message = Encoding.UTF8.GetBytes(stringToSign);
#pragma warning disable CA5350 // HMAC-SHA1 is what the V2 protocol defines; nothing else would verify.
#if NET6_0_OR_GREATER
        return Convert.ToBase64String(HMACSHA1.HashData(key, message));
#else
        using var hmac = new HMACSHA1(key);
        return Convert.ToBase64String(hmac.ComputeHash(message));
#endif
#pragma warning restore CA5350
    }
}
