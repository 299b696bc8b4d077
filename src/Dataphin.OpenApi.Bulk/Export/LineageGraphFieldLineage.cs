namespace Dataphin.OpenApi.Bulk;

/// <summary>A field lineage of a <see cref="LineageGraphEdge"/>.</summary>
public sealed class LineageGraphFieldLineage
{
    internal LineageGraphFieldLineage(FieldLineage lineage, string sourceLabel, string targetLabel, LineageGraphChange? change)
    {
        Lineage = lineage;
        SourceLabel = sourceLabel;
        TargetLabel = targetLabel;
        Change = change;
    }

    /// <summary>The field lineage.</summary>
    public FieldLineage Lineage { get; }

    /// <summary>The upstream field as shown: its name, or its GUID without the table's GUID in front.</summary>
    public string SourceLabel { get; }

    /// <summary>The downstream field as shown.</summary>
    public string TargetLabel { get; }

    /// <summary>What the plan does to it, or <see langword="null"/> in the graph of a manifest.</summary>
    public LineageGraphChange? Change { get; }

    /// <inheritdoc />
    public override string ToString() => $"{SourceLabel} -> {TargetLabel}";
}
