using System.Text.Json.Serialization;

namespace Dataphin.OpenApi.OpenLineage;

/// <summary>One other identifier of a dataset.</summary>
public sealed class OpenLineageSymlinkIdentifier
{
    /// <summary>Its namespace.</summary>
    [JsonPropertyName("namespace")]
    public string? Namespace { get; set; }

    /// <summary>Its name.</summary>
    [JsonPropertyName("name")]
    public string? Name { get; set; }

    /// <summary>Its type, e.g. TABLE.</summary>
    [JsonPropertyName("type")]
    public string? Type { get; set; }
}
