using System.Text.Json.Serialization;

namespace Dataphin.OpenApi.OpenLineage;

/// <summary>The <c>columnLineage</c> facet: for each output field, the input fields it comes from.</summary>
public sealed class OpenLineageColumnLineageFacet
{
    /// <summary>The output fields by name.</summary>
    [JsonPropertyName("fields")]
    public IDictionary<string, OpenLineageColumnLineageField> Fields { get; set; } = new Dictionary<string, OpenLineageColumnLineageField>(StringComparer.Ordinal);
}
