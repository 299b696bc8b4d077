namespace Dataphin.OpenApi.Bulk;

/// <summary>The text formats <see cref="LineageGraphExporter"/> writes.</summary>
public enum LineageGraphFormat
{
    /// <summary>A Mermaid flowchart (renders in GitHub and GitLab Markdown in a <c>```mermaid</c> block).</summary>
    Mermaid,

    /// <summary>Graphviz DOT (render it with <c>dot -Tsvg</c>).</summary>
    Dot,

    /// <summary>JSON: the nodes with their references, and the edges with their field lineages.</summary>
    Json,

    /// <summary>CSV (RFC 4180): a row per table pair, and a row per field lineage after it.</summary>
    Csv,
}
