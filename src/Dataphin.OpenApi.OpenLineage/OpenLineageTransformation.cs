using System.Text.Json.Serialization;

namespace Dataphin.OpenApi.OpenLineage;

/// <summary>How an input field contributes to an output field.</summary>
public sealed class OpenLineageTransformation
{
    /// <summary>DIRECT (the value flows into the output) or INDIRECT (it influences it, e.g. a filter or join key).</summary>
    [JsonPropertyName("type")]
    public string? Type { get; set; }

    /// <summary>E.g. IDENTITY, TRANSFORMATION, AGGREGATION, JOIN, FILTER.</summary>
    [JsonPropertyName("subtype")]
    public string? Subtype { get; set; }

    /// <summary>A description of the transformation.</summary>
    [JsonPropertyName("description")]
    public string? Description { get; set; }

    /// <summary>Whether the transformation masks the data.</summary>
    [JsonPropertyName("masking")]
    public bool? Masking { get; set; }
}
