using System.Text.Json;
using System.Text.Json.Serialization;

namespace Dataphin.OpenApi.OpenLineage.AspNetCore;

/// <summary>Source-generated metadata of the events as the queue keeps them (only the parts lineage uses), and of the endpoint's answers.</summary>
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull, PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(OpenLineageRunEvent))]
[JsonSerializable(typeof(OpenLineageAcceptedResponse))]
[JsonSerializable(typeof(OpenLineageUnmappedListResponse))]
[JsonSerializable(typeof(OpenLineageStatusResponse))]
internal sealed partial class OpenLineageServerJsonContext : JsonSerializerContext
{
    public static OpenLineageRunEvent Deserialize(byte[] json)
        => JsonSerializer.Deserialize(json, Default.OpenLineageRunEvent) ?? throw new JsonException("The event is null.");

    public static OpenLineageRunEvent Deserialize(JsonElement json)
        => json.Deserialize(Default.OpenLineageRunEvent) ?? throw new JsonException("The event is null.");

    public static byte[] Serialize(OpenLineageRunEvent e) => JsonSerializer.SerializeToUtf8Bytes(e, Default.OpenLineageRunEvent);
}

/// <summary>The answer to an accepted post.</summary>
internal sealed class OpenLineageAcceptedResponse
{
    /// <summary>Events in the post.</summary>
    public int Received { get; set; }

    /// <summary>Events queued for forwarding (the others give no lineage: nothing mapped, a failed run, a dataset event).</summary>
    public int Queued { get; set; }

    /// <summary>Datasets of the post no rule maps (namespace and name).</summary>
    public List<string> Unmapped { get; set; } = new();
}

/// <summary>The answer of GET .../unmapped.</summary>
internal sealed class OpenLineageUnmappedListResponse
{
    public long Total { get; set; }

    public List<OpenLineageUnmappedEntry> Datasets { get; set; } = new();
}

/// <summary>One unmapped dataset.</summary>
internal sealed class OpenLineageUnmappedEntry
{
    public string? Namespace { get; set; }

    public string? Name { get; set; }

    public string Reason { get; set; } = string.Empty;

    public long Occurrences { get; set; }

    public DateTimeOffset FirstSeen { get; set; }

    public DateTimeOffset LastSeen { get; set; }
}

/// <summary>The answer of GET .../status.</summary>
internal sealed class OpenLineageStatusResponse
{
    public int Queued { get; set; }

    public int Capacity { get; set; }

    public double LagSeconds { get; set; }

    public long Accepted { get; set; }

    public long Forwarded { get; set; }

    public long PairsRegistered { get; set; }

    public long PairsFailed { get; set; }

    public long UnmappedDatasets { get; set; }

    public string Journal { get; set; } = string.Empty;

    public int Replayed { get; set; }
}
