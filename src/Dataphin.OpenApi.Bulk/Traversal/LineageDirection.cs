namespace Dataphin.OpenApi.Bulk;

/// <summary>Which way a <see cref="LineageTraversal"/> walks from its table.</summary>
public enum LineageDirection
{
    /// <summary>Up: the tables the table is made from, their sources, and so on.</summary>
    Upstream,

    /// <summary>Down: the tables made from the table, the tables made from those, and so on.</summary>
    Downstream,

    /// <summary>Both walks, each in its own direction: a source's other targets (siblings) are not followed.</summary>
    Both,
}
