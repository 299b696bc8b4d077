using System.Text.Json.Serialization;

namespace Dataphin.OpenApi.OpenLineage;

/// <summary>The <c>symlinks</c> facet: other identifiers of the same dataset.</summary>
public sealed class OpenLineageSymlinksFacet
{
    /// <summary>The other identifiers.</summary>
    [JsonPropertyName("identifiers")]
    public IList<OpenLineageSymlinkIdentifier> Identifiers { get; set; } = new List<OpenLineageSymlinkIdentifier>();
}
