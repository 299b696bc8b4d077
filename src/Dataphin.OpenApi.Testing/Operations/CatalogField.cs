namespace Dataphin.OpenApi.Testing.Operations;

/// <summary>A request parameter or response field of the catalog, with its nested fields.</summary>
/// <param name="Name">The wire name.</param>
/// <param name="Type">The type as the catalog spells it, e.g. <c>int64</c>, <c>array&lt;object&gt;</c>.</param>
/// <param name="Required">Whether the catalog marks it required.</param>
/// <param name="Example">The documented example text, if any.</param>
/// <param name="Values">The documented values (<c>enum</c>, else <c>exampleValues</c>), if any.</param>
/// <param name="Fields">The fields of an object, or of the objects of an array.</param>
internal sealed record CatalogField(string Name, CatalogType Type, bool Required, string? Example, IReadOnlyList<string> Values, IReadOnlyList<CatalogField> Fields)
{
    /// <summary>The example first, then the documented values: the candidates for an example value, in order.</summary>
    public IEnumerable<string> Candidates => Example is null ? Values : Values.Prepend(Example);
}
