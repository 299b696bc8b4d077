namespace Dataphin.OpenApi.Testing;

/// <summary>A table-level lineage edge stored by the emulator, with its field-level edges (a snapshot).</summary>
/// <param name="Source">The upstream table, as first sent.</param>
/// <param name="Target">The downstream table, as first sent.</param>
/// <param name="FieldLineages">Its field lineages, in the order they were first registered.</param>
/// <param name="RelationPropertiesJson">The relation properties (merged over registrations, later values winning) as a JSON object, or <see langword="null"/> when none were sent.</param>
/// <param name="RegisteredThroughApi">Whether the edge was registered through the OpenAPI (only such edges can be deleted through it).</param>
public sealed record RegisteredTableLineage(
    RegisteredReference Source,
    RegisteredReference Target,
    IReadOnlyList<RegisteredFieldLineage> FieldLineages,
    string? RelationPropertiesJson,
    bool RegisteredThroughApi)
{
    /// <summary>The task node Dataphin found the lineage in (<see cref="DataphinEmulator.SeedSystemLineage(long, string, string)"/>), or <see langword="null"/> for registered lineage, which has none.</summary>
    public string? NodeId { get; init; }

    /// <inheritdoc />
    public override string ToString() => $"{Source} -> {Target} ({FieldLineages.Count} field lineages)";
}
