using System.Text.Json.Serialization;

namespace Dataphin.OpenApi.OpenLineage;

/// <summary>One input field of a column lineage entry.</summary>
public sealed class OpenLineageInputField
{
    /// <summary>The namespace of the input dataset.</summary>
    [JsonPropertyName("namespace")]
    public string? Namespace { get; set; }

    /// <summary>The name of the input dataset.</summary>
    [JsonPropertyName("name")]
    public string? Name { get; set; }

    /// <summary>The input field name.</summary>
    [JsonPropertyName("field")]
    public string? Field { get; set; }

    /// <summary>How the input field is used (DIRECT or INDIRECT, with a subtype).</summary>
    [JsonPropertyName("transformations")]
    public IList<OpenLineageTransformation> Transformations { get; set; } = new List<OpenLineageTransformation>();
}
