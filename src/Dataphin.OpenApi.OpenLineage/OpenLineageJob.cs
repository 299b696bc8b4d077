using System.Text.Json.Serialization;

namespace Dataphin.OpenApi.OpenLineage;

/// <summary>The job of an OpenLineage event.</summary>
public sealed class OpenLineageJob
{
    /// <summary>The job namespace.</summary>
    [JsonPropertyName("namespace")]
    public string? Namespace { get; set; }

    /// <summary>The job name.</summary>
    [JsonPropertyName("name")]
    public string? Name { get; set; }
}
