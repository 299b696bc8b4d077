using System.Text.Json.Serialization;

namespace Dataphin.OpenApi.OpenLineage;

/// <summary>The run of an OpenLineage event.</summary>
public sealed class OpenLineageRun
{
    /// <summary>The run id (a UUID).</summary>
    [JsonPropertyName("runId")]
    public string? RunId { get; set; }
}
