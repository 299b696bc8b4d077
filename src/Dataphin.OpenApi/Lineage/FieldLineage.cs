using System.Text.Json.Serialization;
using Dataphin.OpenApi.Internal;

namespace Dataphin.OpenApi;

/// <summary>
/// One field-level lineage edge inside a lineage command: data of <see cref="Target"/> comes from
/// <see cref="Source"/>. A command carries at most <see cref="LineageLimits.MaxFieldLineagesPerCall"/> of them.
/// </summary>
public sealed class FieldLineage
{
    /// <summary>Creates an empty field lineage; set <see cref="Source"/> and <see cref="Target"/>.</summary>
    public FieldLineage()
    {
    }

    /// <summary>Creates a field lineage between two field references.</summary>
    /// <param name="source">The upstream field.</param>
    /// <param name="target">The downstream field.</param>
    /// <param name="isDirect">Whether the target is derived directly from the source (the service's default is <see langword="true"/>).</param>
    /// <exception cref="ArgumentNullException"><paramref name="source"/> or <paramref name="target"/> is null.</exception>
    public FieldLineage(AssetReference source, AssetReference target, bool isDirect = true)
    {
        Source = Guard.NotNull(source, nameof(source));
        Target = Guard.NotNull(target, nameof(target));
        IsDirect = isDirect;
    }

    /// <summary>Whether the lineage is direct. Omitted when <see langword="null"/>; the service then assumes <see langword="true"/>.</summary>
    [JsonPropertyName("IsDirect")]
    public bool? IsDirect { get; set; }

    /// <summary>The upstream field, required.</summary>
    [JsonPropertyName("Source")]
    public AssetReference? Source { get; set; }

    /// <summary>The downstream field, required.</summary>
    [JsonPropertyName("Target")]
    public AssetReference? Target { get; set; }

    /// <summary>Returns a deep copy of this field lineage.</summary>
    public FieldLineage Clone() => new()
    {
        IsDirect = IsDirect,
        Source = Source?.Clone(),
        Target = Target?.Clone(),
    };

    /// <inheritdoc />
    public override string ToString() => $"{Source} -> {Target}";
}
