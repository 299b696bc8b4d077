namespace Dataphin.OpenApi.Bulk;

/// <summary>What a <see cref="LineageTraversal"/> reads: the direction, how many hops, whether with field lineages, and its bound.</summary>
public sealed class LineageTraversalOptions
{
    /// <summary>The default of <see cref="MaxTables"/>: 500 tables (at the 5 calls per second of a Level 3 quota, about 100 s of reads, 200 s with fields).</summary>
    public const int DefaultMaxTables = 500;

    /// <summary>Which way to walk; <see cref="LineageDirection.Both"/> by default.</summary>
    public LineageDirection Direction { get; set; } = LineageDirection.Both;

    /// <summary>
    /// How many hops to walk from the table (1 by default): 0 reads nothing and gives the table alone, 1 its direct
    /// neighbours, 2 their neighbours too. Must not be negative.
    /// </summary>
    public int Depth { get; set; } = 1;

    /// <summary>Whether to read the field lineages of the pairs too (one <c>GetTableColumnLineages</c> call per table read); <see langword="false"/> by default.</summary>
    public bool IncludeFields { get; set; }

    /// <summary>
    /// The most tables the graph holds, the start table included (<see cref="DefaultMaxTables"/> by default; at least 1).
    /// When the walk finds more, it stops adding tables and sets <see cref="LineageTraversalResult.Truncated"/>: the
    /// pairs to the tables left out are left out too, so a caller must check the flag (the CLI warns).
    /// </summary>
    public int MaxTables { get; set; } = DefaultMaxTables;

    /// <summary>
    /// Whether to ask for lineage to objects the catalog does not know, e.g. dropped tables (<c>NeedNotExistObject</c>);
    /// <see langword="false"/> by default. Rows Dataphin marks as deleted are left out unless this is set.
    /// </summary>
    public bool IncludeMissingTables { get; set; }

    /// <summary>Only the lineage of this node environment (<c>NodeEnv</c>, e.g. <c>dev</c> or <c>prod</c>), or <see langword="null"/> (the default) for all.</summary>
    public string? NodeEnv { get; set; }

    /// <summary>Checks the settings; throws naming the setting and its rule.</summary>
    internal void Validate()
    {
        if (Depth < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(Depth), Depth, "Depth is the number of hops to walk: it must be 0 or more.");
        }

        if (MaxTables < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxTables), MaxTables, "MaxTables bounds the tables of the graph, the start table included: it must be at least 1.");
        }

        if (Direction is not (LineageDirection.Upstream or LineageDirection.Downstream or LineageDirection.Both))
        {
            throw new ArgumentOutOfRangeException(nameof(Direction), Direction, "Direction must be Upstream, Downstream or Both.");
        }

        if (NodeEnv is not null && string.IsNullOrWhiteSpace(NodeEnv))
        {
            throw new ArgumentException("NodeEnv must be null (all environments) or an environment such as dev or prod, not empty or white space.", nameof(NodeEnv));
        }
    }
}
