namespace Dataphin.OpenApi.Bulk;

/// <summary>A table pair of a <see cref="LineageGraph"/>: the upstream table, the downstream table and their field lineages.</summary>
public sealed class LineageGraphEdge
{
    internal LineageGraphEdge(LineageGraphNode source, LineageGraphNode target, LineageGraphChange? change, IReadOnlyList<LineageGraphFieldLineage> fieldLineages)
    {
        Source = source;
        Target = target;
        Change = change;
        FieldLineages = fieldLineages;
    }

    /// <summary>The upstream table.</summary>
    public LineageGraphNode Source { get; }

    /// <summary>The downstream table.</summary>
    public LineageGraphNode Target { get; }

    /// <summary>What the plan does to the pair, or <see langword="null"/> in the graph of a manifest.</summary>
    public LineageGraphChange? Change { get; }

    /// <summary>For a drift: whether the manifest no longer has the pair, so the apply forgets it instead of registering it again.</summary>
    internal bool Forgotten { get; set; }

    /// <summary>The pair's field lineages; in a plan's graph also the ones an update or a delete removes.</summary>
    public IReadOnlyList<LineageGraphFieldLineage> FieldLineages { get; }

    /// <inheritdoc />
    public override string ToString() => Change is { } change
        ? $"{change.ToString().ToLowerInvariant()} {Source.Label} -> {Target.Label}"
        : $"{Source.Label} -> {Target.Label}";
}
