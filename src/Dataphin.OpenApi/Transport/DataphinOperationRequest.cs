using System.Text.Json;
using System.Text.Json.Nodes;
using Dataphin.OpenApi.Internal;

namespace Dataphin.OpenApi;

/// <summary>
/// A call to any Dataphin OpenAPI operation by name, for operations that have no typed model yet. Scalars go in
/// the query; objects and arrays go in the form body as one JSON-encoded field each, as the service expects.
/// <c>OpTenantId</c> is added from <see cref="OpTenantId"/>.
/// </summary>
/// <example>
/// <code>
/// var request = new DataphinOperationRequest("GetBatchTaskInfo", opTenantId: 300001234)
///     .AddQuery("Env", "PROD")
///     .AddFormJson("GetBatchTaskInfoQuery", new JsonObject { ["FileId"] = 123 });
/// var response = await client.SendAsync(request);
/// </code>
/// </example>
public sealed class DataphinOperationRequest
{
    private static readonly JsonSerializerOptions CompactJson = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Creates a request for <paramref name="action"/> in tenant <paramref name="opTenantId"/>.</summary>
    /// <param name="action">The operation name, e.g. <c>ListFiles</c>.</param>
    /// <param name="opTenantId">The tenant id (<c>OpTenantId</c>).</param>
    /// <exception cref="ArgumentException"><paramref name="action"/> is null, empty or white space.</exception>
    public DataphinOperationRequest(string action, long opTenantId)
    {
        Action = Guard.NotNullOrWhiteSpace(action, nameof(action));
        OpTenantId = opTenantId;
    }

    /// <summary>The operation name.</summary>
    public string Action { get; }

    /// <summary>The tenant id, sent as the query parameter <c>OpTenantId</c>.</summary>
    public long OpTenantId { get; }

    /// <summary>Query parameters besides <c>OpTenantId</c>, in the order they are sent.</summary>
    public IList<KeyValuePair<string, string>> Query { get; } = new List<KeyValuePair<string, string>>();

    /// <summary>Form fields of the body, in the order they are sent.</summary>
    public IList<KeyValuePair<string, string>> Form { get; } = new List<KeyValuePair<string, string>>();

    /// <summary>Adds a query parameter.</summary>
    /// <param name="name">The parameter name.</param>
    /// <param name="value">Its value, as text.</param>
    /// <returns>This request.</returns>
    public DataphinOperationRequest AddQuery(string name, string value)
    {
        Query.Add(new(name, value));
        return this;
    }

    /// <summary>Adds a form field with a plain text value.</summary>
    /// <param name="name">The field name.</param>
    /// <param name="value">Its value.</param>
    /// <returns>This request.</returns>
    public DataphinOperationRequest AddForm(string name, string value)
    {
        Form.Add(new(name, value));
        return this;
    }

    /// <summary>Adds a form field holding <paramref name="value"/> as compact JSON, the way the service takes object parameters.</summary>
    /// <param name="name">The field name, e.g. <c>ListFilesQuery</c>.</param>
    /// <param name="value">The object or array.</param>
    /// <returns>This request.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="value"/> is null.</exception>
    public DataphinOperationRequest AddFormJson(string name, JsonNode value)
    {
        Form.Add(new(name, Guard.NotNull(value, nameof(value)).ToJsonString(CompactJson)));
        return this;
    }
}
