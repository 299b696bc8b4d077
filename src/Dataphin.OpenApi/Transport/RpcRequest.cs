using System.Text;
using Dataphin.OpenApi.Authentication;
using Dataphin.OpenApi.Internal;

namespace Dataphin.OpenApi.Transport;

/// <summary>
/// One logical RPC call, built once (by <see cref="RpcRequestBuilder"/>, after validation): action, tenant, query and
/// the form body bytes with their SHA-256. Every attempt (retries included) sends these same bytes; only the date,
/// nonce and signature are new per attempt.
/// </summary>
internal sealed class RpcRequest
{
    /// <summary>Creates the request from an already form-encoded body.</summary>
    /// <param name="action">The operation name.</param>
    /// <param name="opTenantId">The tenant, for the rate limiter's key and diagnostics; <paramref name="query"/> carries it to the service.</param>
    /// <param name="query">The query parameters, <c>OpTenantId</c> included, in the order they are sent.</param>
    /// <param name="formBody">The <c>application/x-www-form-urlencoded</c> body, sent as it is; empty for none.</param>
    public RpcRequest(string action, long opTenantId, IReadOnlyList<KeyValuePair<string, string>> query, byte[] formBody)
    {
        Action = action;
        OpTenantId = opTenantId;
        Query = query;
        PathAndQuery = BuildPathAndQuery(query);
        CanonicalQueryString = Acs3Signer.CanonicalQueryString(query);
        Body = formBody;
        BodySha256 = Body.Length == 0 ? Acs3Signer.EmptyPayloadHash : HexEncoding.Sha256Hex(Body);
    }

    public string Action { get; }

    public long OpTenantId { get; }

    public IReadOnlyList<KeyValuePair<string, string>> Query { get; }

    /// <summary><c>/?OpTenantId=...</c>: the query in insertion order, values RFC 3986-encoded.</summary>
    public string PathAndQuery { get; }

    public string CanonicalQueryString { get; }

    public byte[] Body { get; }

    public string BodySha256 { get; }

    private static string BuildPathAndQuery(IReadOnlyList<KeyValuePair<string, string>> query)
    {
        if (query.Count == 0)
        {
            return "/";
        }

        var text = new StringBuilder("/?");
        for (var i = 0; i < query.Count; i++)
        {
            if (i > 0)
            {
                text.Append('&');
            }

            text.Append(Rfc3986.Encode(query[i].Key)).Append('=').Append(Rfc3986.Encode(query[i].Value ?? string.Empty));
        }

        return text.ToString();
    }
}
