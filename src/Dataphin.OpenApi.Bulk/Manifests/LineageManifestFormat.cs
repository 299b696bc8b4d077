namespace Dataphin.OpenApi;

/// <summary>The file formats of a lineage manifest (see <c>docs/manifest-format.md</c>).</summary>
public enum LineageManifestFormat
{
    /// <summary>A JSON object with an <c>items</c> array; each item is a command in the wire JSON plus an optional <c>Id</c>. Extension <c>.json</c>.</summary>
    Json,

    /// <summary>JSON Lines: one item (a command in the wire JSON plus an optional <c>Id</c>) per line. Extensions <c>.jsonl</c> and <c>.ndjson</c>.</summary>
    JsonLines,

    /// <summary>CSV with a header row; one row per field mapping, consecutive rows of the same table pair form one item. Extension <c>.csv</c>.</summary>
    Csv,
}
