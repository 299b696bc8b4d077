using System.Text.Json.Serialization;

namespace Dataphin.OpenApi.OpenLineage;

/// <summary>The lineage of one output field in the <c>columnLineage</c> facet.</summary>
public sealed class OpenLineageColumnLineageField
{
    /// <summary>The input fields this field comes from.</summary>
    [JsonPropertyName("inputFields")]
    public IList<OpenLineageInputField> InputFields { get; set; } = new List<OpenLineageInputField>();

    /// <summary>The older, field-level transformation type (e.g. IDENTITY, MASKED).</summary>
    [JsonPropertyName("transformationType")]
    public string? TransformationType { get; set; }

    /// <summary>The older, field-level transformation description.</summary>
    [JsonPropertyName("transformationDescription")]
    public string? TransformationDescription { get; set; }
}
