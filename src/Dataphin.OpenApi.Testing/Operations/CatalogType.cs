namespace Dataphin.OpenApi.Testing.Operations;

/// <summary>The kinds of catalog types.</summary>
internal enum CatalogKind
{
    String,
    Integer,
    Number,
    Boolean,
    Any,
    Object,
    Array,
    Map,
}

/// <summary>A parsed catalog type: <c>string</c>, <c>int32</c>/<c>int64</c> (integers), <c>float</c>/<c>double</c>, <c>boolean</c>, <c>any</c>, <c>object</c>, <c>array&lt;T&gt;</c>, <c>map&lt;string,T&gt;</c>.</summary>
internal sealed record CatalogType(CatalogKind Kind, CatalogType? Element, string Text)
{
    public static CatalogType? TryParse(string text)
    {
        CatalogKind? simple = text switch
        {
            "string" => CatalogKind.String,
            "int32" or "int64" => CatalogKind.Integer,
            "float" or "double" => CatalogKind.Number,
            "boolean" => CatalogKind.Boolean,
            "any" => CatalogKind.Any,
            "object" => CatalogKind.Object,
            _ => null,
        };
        if (simple is { } kind)
        {
            return new CatalogType(kind, null, text);
        }

        if (text.StartsWith("array<", StringComparison.Ordinal) && text.EndsWith('>'))
        {
            return TryParse(text["array<".Length..^1]) is { } element ? new CatalogType(CatalogKind.Array, element, text) : null;
        }

        if (text.StartsWith("map<string,", StringComparison.Ordinal) && text.EndsWith('>'))
        {
            return TryParse(text["map<string,".Length..^1]) is { } value ? new CatalogType(CatalogKind.Map, value, text) : null;
        }

        return null;
    }
}
