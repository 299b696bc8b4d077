using System.Text.Json.Serialization;

namespace Dataphin.OpenApi.OpenLineage;

/// <summary>The dataset facets lineage import reads; other facets are ignored.</summary>
public sealed class OpenLineageDatasetFacets
{
    /// <summary>Column-level lineage of an output dataset.</summary>
    [JsonPropertyName("columnLineage")]
    public OpenLineageColumnLineageFacet? ColumnLineage { get; set; }

    /// <summary>Other names of the dataset, e.g. the Hive table of an HDFS location.</summary>
    [JsonPropertyName("symlinks")]
    public OpenLineageSymlinksFacet? Symlinks { get; set; }
}
