using Dataphin.OpenApi.Internal;

namespace Dataphin.OpenApi.Bulk;

/// <summary>One table pair a <see cref="LineageState"/> records as registered: the lineage as applied and the GUIDs Dataphin knows its tables by.</summary>
public sealed class LineageStateEntry
{
    /// <summary>Creates an entry.</summary>
    /// <param name="lineage">The lineage as applied: the pair, its field lineages and relation properties.</param>
    /// <param name="sourceGuid">The GUID of the upstream table in Dataphin, or <see langword="null"/> when it could not be looked up.</param>
    /// <param name="targetGuid">The GUID of the downstream table in Dataphin, or <see langword="null"/> when it could not be looked up.</param>
    /// <exception cref="ArgumentNullException"><paramref name="lineage"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="lineage"/> has no source or no target.</exception>
    public LineageStateEntry(AddRegisterLineageCommand lineage, string? sourceGuid, string? targetGuid)
    {
        Lineage = Guard.NotNull(lineage, nameof(lineage));
        if (lineage.Source is null || lineage.Target is null)
        {
            throw new ArgumentException("The lineage needs a Source and a Target table.", nameof(lineage));
        }

        SourceGuid = sourceGuid;
        TargetGuid = targetGuid;
    }

    /// <summary>The lineage as applied.</summary>
    public AddRegisterLineageCommand Lineage { get; }

    /// <summary>The GUID of the upstream table in Dataphin, or <see langword="null"/> when unknown.</summary>
    public string? SourceGuid { get; }

    /// <summary>The GUID of the downstream table in Dataphin, or <see langword="null"/> when unknown.</summary>
    public string? TargetGuid { get; }

    internal string Key => LineageKeys.Pair(Lineage);

    /// <inheritdoc />
    public override string ToString() => $"{Lineage.Source} -> {Lineage.Target} ({Lineage.DetailedLineages?.Count ?? 0} field lineages)";
}
