namespace Dataphin.OpenApi.Bulk;

/// <summary>What a <see cref="LineageTraversal"/> found: the graph, how many tables it read, and whether it stopped at its bound.</summary>
public sealed class LineageTraversalResult
{
    internal LineageTraversalResult(LineageGraph graph, int tablesRead, bool truncated)
    {
        Graph = graph;
        TablesRead = tablesRead;
        Truncated = truncated;
    }

    /// <summary>The tables (the start table first) and the table pairs found, each once, for <see cref="LineageGraphExporter"/>.</summary>
    public LineageGraph Graph { get; }

    /// <summary>The tables read with <c>GetTableLineages</c> (each at most once; with fields, as many <c>GetTableColumnLineages</c> calls).</summary>
    public int TablesRead { get; }

    /// <summary>
    /// Whether the walk found more tables than <see cref="LineageTraversalOptions.MaxTables"/>: the graph then lacks
    /// those tables and their pairs.
    /// </summary>
    public bool Truncated { get; }

    /// <inheritdoc />
    public override string ToString() => $"{Graph.Nodes.Count} table(s), {Graph.Edges.Count} table pair(s), {TablesRead} read{(Truncated ? ", truncated" : string.Empty)}";
}
