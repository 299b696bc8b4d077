namespace Dataphin.OpenApi.Testing;

/// <summary>A field-level lineage edge stored by the emulator.</summary>
/// <param name="Source">The upstream field, as sent.</param>
/// <param name="Target">The downstream field, as sent.</param>
/// <param name="IsDirect">Whether the lineage is direct (<see langword="true"/> when the client left <c>IsDirect</c> out).</param>
/// <param name="RegisteredThroughApi">Whether it was registered through the OpenAPI (only such lineage can be deleted through it).</param>
public sealed record RegisteredFieldLineage(RegisteredReference Source, RegisteredReference Target, bool IsDirect, bool RegisteredThroughApi)
{
    /// <inheritdoc />
    public override string ToString() => $"{Source} -> {Target}{(IsDirect ? string.Empty : " (indirect)")}";
}
