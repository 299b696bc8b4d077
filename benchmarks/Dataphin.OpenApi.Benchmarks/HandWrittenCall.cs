using System.Globalization;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using Dataphin.OpenApi.Serialization;

namespace Dataphin.OpenApi.Benchmarks;

/// <summary>
/// The baseline: only the work the wire requires, written by hand. Serialize the same JSON, form-encode it,
/// SHA-256 the body, build the canonical request, HMAC it, build the HTTP request, send it through the same
/// handler, read the answer and check the status. No validation, no typed errors, no resilience.
/// </summary>
internal sealed class HandWrittenCall(HttpClient http, Uri endpoint, string accessKeyId, string accessKeySecret)
{
    private readonly byte[] _key = Encoding.UTF8.GetBytes(accessKeySecret);

    public async Task<int> AddRegisterLineageAsync(long tenantId, AddRegisterLineageCommand command)
    {
        var json = DataphinJson.Serialize(command);
        var body = Encoding.UTF8.GetBytes("AddRegisterLineageCommand=" + Uri.EscapeDataString(json));
        var hash = Convert.ToHexStringLower(SHA256.HashData(body));
        var tenant = tenantId.ToString(CultureInfo.InvariantCulture);
        var date = DateTime.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
        var nonce = Guid.NewGuid().ToString("N");
        var canonical =
            "POST\n/\nOpTenantId=" + tenant + "\n"
            + "content-type:application/x-www-form-urlencoded\n"
            + "host:" + endpoint.Authority + "\n"
            + "x-acs-action:AddRegisterLineage\n"
            + "x-acs-content-sha256:" + hash + "\n"
            + "x-acs-date:" + date + "\n"
            + "x-acs-signature-nonce:" + nonce + "\n"
            + "x-acs-version:2023-06-30\n\n"
            + "content-type;host;x-acs-action;x-acs-content-sha256;x-acs-date;x-acs-signature-nonce;x-acs-version\n"
            + hash;
        var stringToSign = "ACS3-HMAC-SHA256\n" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(canonical)));
        var signature = Convert.ToHexStringLower(HMACSHA256.HashData(_key, Encoding.UTF8.GetBytes(stringToSign)));

        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(endpoint, "/?OpTenantId=" + tenant));
        request.Headers.TryAddWithoutValidation("x-acs-action", "AddRegisterLineage");
        request.Headers.TryAddWithoutValidation("x-acs-version", "2023-06-30");
        request.Headers.TryAddWithoutValidation("x-acs-date", date);
        request.Headers.TryAddWithoutValidation("x-acs-signature-nonce", nonce);
        request.Headers.TryAddWithoutValidation("x-acs-content-sha256", hash);
        request.Headers.TryAddWithoutValidation(
            "Authorization",
            "ACS3-HMAC-SHA256 Credential=" + accessKeyId + ",SignedHeaders=content-type;host;x-acs-action;x-acs-content-sha256;x-acs-date;x-acs-signature-nonce;x-acs-version,Signature=" + signature);
        request.Content = new ByteArrayContent(body);
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/x-www-form-urlencoded");
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead).ConfigureAwait(false);
        var answer = await response.Content.ReadAsByteArrayAsync().ConfigureAwait(false);
        return response.IsSuccessStatusCode && answer.Length > 0 ? (int)response.StatusCode : throw new InvalidOperationException("call failed");
    }
}
