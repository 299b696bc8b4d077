using System.Text.Json.Serialization;

namespace Dataphin.OpenApi.OpenLineage;

/// <summary>An OpenLineage event (https://openlineage.io/spec): a RunEvent, or a JobEvent, with the datasets a job read and wrote. Only the parts lineage import uses are modelled; other properties are ignored.</summary>
public sealed class OpenLineageRunEvent
{
    /// <summary>The run state: START, RUNNING, COMPLETE, ABORT, FAIL or OTHER; absent on JobEvents.</summary>
    [JsonPropertyName("eventType")]
    public string? EventType { get; set; }

    /// <summary>When the event happened (ISO 8601), as written.</summary>
    [JsonPropertyName("eventTime")]
    public string? EventTime { get; set; }

    /// <summary>The URI of the software that produced the event.</summary>
    [JsonPropertyName("producer")]
    public string? Producer { get; set; }

    /// <summary>The run.</summary>
    [JsonPropertyName("run")]
    public OpenLineageRun? Run { get; set; }

    /// <summary>The job.</summary>
    [JsonPropertyName("job")]
    public OpenLineageJob? Job { get; set; }

    /// <summary>The datasets the job read.</summary>
    [JsonPropertyName("inputs")]
    public IList<OpenLineageDataset> Inputs { get; set; } = new List<OpenLineageDataset>();

    /// <summary>The datasets the job wrote.</summary>
    [JsonPropertyName("outputs")]
    public IList<OpenLineageDataset> Outputs { get; set; } = new List<OpenLineageDataset>();
}
