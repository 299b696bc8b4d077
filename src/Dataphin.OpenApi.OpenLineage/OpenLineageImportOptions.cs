namespace Dataphin.OpenApi.OpenLineage;

/// <summary>Settings of <see cref="OpenLineageImporter"/>.</summary>
public sealed class OpenLineageImportOptions
{
    /// <summary>Event types whose lineage is not imported; <c>FAIL</c> and <c>ABORT</c> by default (a failed run did not produce its outputs).</summary>
    public ISet<string> IgnoredEventTypes { get; set; } = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { "FAIL", "ABORT" };

    /// <summary>
    /// Whether every input of an event is registered as table-level lineage to every output, also without column
    /// lineage between them (default <see langword="true"/>, which is what the event says). When
    /// <see langword="false"/>, only pairs with column lineage are imported.
    /// </summary>
    public bool IncludeTableLevelLineage { get; set; } = true;

    /// <summary>Whether a dataset's <c>symlinks</c> identifiers (e.g. the Hive table of an HDFS location) are tried before its own name (default <see langword="true"/>).</summary>
    public bool UseSymlinks { get; set; } = true;

    /// <summary>The <see cref="AddRegisterLineageCommand.CheckAssetExist"/> of every command, or <see langword="null"/> to leave it out.</summary>
    public bool? CheckAssetExist { get; set; }
}
