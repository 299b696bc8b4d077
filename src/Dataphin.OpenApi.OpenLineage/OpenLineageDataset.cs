using System.Text.Json.Serialization;

namespace Dataphin.OpenApi.OpenLineage;

/// <summary>An input or output dataset of an OpenLineage event, identified by namespace and name (https://openlineage.io/docs/spec/naming).</summary>
public sealed class OpenLineageDataset
{
    /// <summary>The dataset namespace, e.g. <c>hive://metastore:9083</c> or <c>postgres://db.example.com:5432</c>.</summary>
    [JsonPropertyName("namespace")]
    public string? Namespace { get; set; }

    /// <summary>The dataset name, e.g. <c>sales.orders</c> or <c>analytics.public.orders</c>.</summary>
    [JsonPropertyName("name")]
    public string? Name { get; set; }

    /// <summary>The dataset facets this import reads.</summary>
    [JsonPropertyName("facets")]
    public OpenLineageDatasetFacets? Facets { get; set; }
}
