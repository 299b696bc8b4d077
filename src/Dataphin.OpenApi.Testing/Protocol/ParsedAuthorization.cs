namespace Dataphin.OpenApi.Testing.Protocol;

/// <summary>The parts of an <c>ACS3-HMAC-SHA256</c> Authorization header.</summary>
internal sealed record ParsedAuthorization(string AccessKeyId, IReadOnlyList<string> SignedHeaders, string SignedHeadersText, string Signature);
