using System.Text;
using Dataphin.OpenApi.Authentication;
using Dataphin.OpenApi.Internal;

namespace Dataphin.OpenApi.Transport;

/// <summary>
/// One logical RPC call, built once: action, query and the form body bytes with their SHA-256. Every attempt
/// (retries included) sends these same bytes; only the date, nonce and signature are new per attempt.
/// </summary>
internal sealed class RpcRequest
{
    public RpcRequest(string action, IReadOnlyList<KeyValuePair<string, string>> query, IReadOnlyList<KeyValuePair<string, string>> form)
        : this(action, query, FormEncoder.Encode(form))
    {
    }

    /// <summary>Creates the request from an already form-encoded body.</summary>
    public RpcRequest(string action, IReadOnlyList<KeyValuePair<string, string>> query, byte[] formBody)
    {
        Action = action;
        Query = query;
        PathAndQuery = BuildPathAndQuery(query);
        CanonicalQueryString = Acs3Signer.CanonicalQueryString(query);
        Body = formBody;
        BodySha256 = Body.Length == 0 ? Acs3Signer.EmptyPayloadHash : HexEncoding.Sha256Hex(Body);
    }

    public string Action { get; }

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
