namespace Dataphin.OpenApi.OpenLineage;

/// <summary>A dataset no mapping rule could turn into a Dataphin table; the lineage touching it was not imported.</summary>
public sealed class OpenLineageUnmappedDataset
{
    internal OpenLineageUnmappedDataset(string? datasetNamespace, string? name, string reason, int firstLineNumber)
    {
        Namespace = datasetNamespace;
        Name = name;
        Reason = reason;
        FirstLineNumber = firstLineNumber;
    }

    /// <summary>The dataset namespace.</summary>
    public string? Namespace { get; }

    /// <summary>The dataset name.</summary>
    public string? Name { get; }

    /// <summary>Why no rule applied, e.g. <c>no rule applies to the namespace 's3://bucket'</c>.</summary>
    public string Reason { get; }

    /// <summary>The line (or, for events given as objects, the 1-based position) of the first event that referenced it.</summary>
    public int FirstLineNumber { get; }

    /// <summary>How many times events referenced it (as an input, an output or a column lineage input).</summary>
    public int Occurrences { get; internal set; } = 1;

    /// <inheritdoc />
    public override string ToString() => $"{Namespace} {Name}: {Reason} ({Occurrences}x, first on line {FirstLineNumber})";
}
