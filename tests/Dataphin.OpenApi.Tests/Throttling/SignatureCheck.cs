using System.Security.Cryptography;
using Dataphin.OpenApi.Authentication;
using Dataphin.OpenApi.Testing;

namespace Dataphin.OpenApi.Tests.Throttling;

/// <summary>Recomputes the ACS3-HMAC-SHA256 signature of a captured request with the SDK's signer.</summary>
internal static class SignatureCheck
{
    public static void AssertValid(FakeDataphinRequest request, string accessKeyId, string secret)
    {
        var authorization = request.Headers["authorization"];
        var signedHeaders = authorization.Split("SignedHeaders=")[1].Split(',')[0].Split(';');
        var headers = new List<KeyValuePair<string, string>>();
        foreach (var name in signedHeaders)
        {
            headers.Add(new(name, name == "host" ? request.Uri.Authority : request.Headers[name]));
        }

        var bodyHash = Convert.ToHexString(SHA256.HashData(request.Body.Span)).ToLowerInvariant();
        Assert.Equal(bodyHash, request.Headers["x-acs-content-sha256"]);
        var query = request.Uri.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries)
            .Select(p => p.Split('=', 2))
            .Select(p => new KeyValuePair<string, string>(Uri.UnescapeDataString(p[0]), Uri.UnescapeDataString(p[1])));
        var expected = Acs3Signer.Sign("POST", "/", Acs3Signer.CanonicalQueryString(query), headers, bodyHash, accessKeyId, secret);
        Assert.Equal(expected, authorization);
    }
}
