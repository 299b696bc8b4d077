namespace Dataphin.OpenApi.Generator.Model;

/// <summary>
/// The whole of <c>eng/operations.json</c>, read once and shared by every emitter. It keeps everything the file says
/// about an operation (not only what today's emitters use), so that an emitter for request and response models or
/// client methods can be added without touching the reader.
/// </summary>
/// <param name="Product">The product code, e.g. <c>dataphin-public</c>.</param>
/// <param name="ApiVersion">The API version every operation belongs to, e.g. <c>2023-06-30</c>.</param>
/// <param name="Operations">Every operation, in the order of the file.</param>
internal sealed record ApiModel(string Product, string ApiVersion, IReadOnlyList<OperationModel> Operations)
{
    private readonly Dictionary<string, OperationModel> _byName = Operations.ToDictionary(o => o.Name, StringComparer.Ordinal);

    /// <summary>The operation with that exact name, or <see langword="null"/>.</summary>
    public OperationModel? Find(string name) => _byName.GetValueOrDefault(name);
}

/// <summary>The lowest Dataphin edition that may call an operation, as the throttling table names it.</summary>
internal enum ApiEdition
{
    Agile,
    Basic,
    Intelligent,
}

/// <summary>One operation of the API.</summary>
/// <param name="Name">The action name, e.g. <c>AddRegisterLineage</c>.</param>
/// <param name="Level">The throttling level 1 to 3, or <see langword="null"/> when the throttling table does not list it.</param>
/// <param name="MinimumEdition">The lowest edition that may call it, or <see langword="null"/> when not documented.</param>
/// <param name="Section">The documentation section, e.g. <c>Data asset</c>, when known.</param>
/// <param name="Group">The documentation group, e.g. <c>asset</c>, when known.</param>
/// <param name="DocumentedInThrottlingTable">Whether the throttling table lists it.</param>
/// <param name="IsReadOnly">Whether it only reads (<c>readOnlyGuess</c>: Get*, List*, Query*, Check*, ...).</param>
/// <param name="SinceDataphinVersion">The Dataphin version that added it, when documented.</param>
/// <param name="DeprecatedSinceDataphinVersion">The Dataphin version that deprecated it, when it is deprecated.</param>
/// <param name="ReplacedBy">The operation to use instead, when it is deprecated.</param>
/// <param name="Http">How it travels on the wire.</param>
/// <param name="Query">Parameters sent in the query string.</param>
/// <param name="Body">Parameters sent in the form body.</param>
/// <param name="Request">The request parameters with their nested fields.</param>
/// <param name="Response">The response fields.</param>
internal sealed record OperationModel(
    string Name,
    int? Level,
    ApiEdition? MinimumEdition,
    string? Section,
    string? Group,
    bool DocumentedInThrottlingTable,
    bool IsReadOnly,
    string? SinceDataphinVersion,
    string? DeprecatedSinceDataphinVersion,
    string? ReplacedBy,
    HttpShape Http,
    IReadOnlyList<FieldModel> Query,
    IReadOnlyList<FieldModel> Body,
    IReadOnlyList<FieldModel> Request,
    IReadOnlyList<FieldModel> Response);

/// <summary>The HTTP shape of an operation (every Dataphin operation is an RPC-style POST to <c>/</c> today).</summary>
internal sealed record HttpShape(string Method, string Path, string Style, string RequestBody, string ResponseBody);

/// <summary>A parameter or a field of a request or response.</summary>
/// <param name="Name">The JSON or parameter name.</param>
/// <param name="Type">The parsed type.</param>
/// <param name="Required">Whether the documentation marks it required.</param>
/// <param name="Example">The documented example text, when any.</param>
/// <param name="Enum">The allowed values, when the documentation enumerates them.</param>
/// <param name="ExampleValues">Example values, when the documentation lists several.</param>
/// <param name="ShrunkJson">Whether an object or array travels JSON-encoded in one form field.</param>
/// <param name="Deprecated">Whether the documentation marks it deprecated.</param>
/// <param name="Fields">The nested fields of an object (or of the objects of an array).</param>
internal sealed record FieldModel(
    string Name,
    FieldType Type,
    bool Required,
    string? Example,
    IReadOnlyList<string>? Enum,
    IReadOnlyList<string>? ExampleValues,
    bool ShrunkJson,
    bool Deprecated,
    IReadOnlyList<FieldModel> Fields)
{
    /// <summary>The values the documentation gives for the field: its enum, else its example values, else none.</summary>
    public IReadOnlyList<string>? DocumentedValues => Enum ?? ExampleValues;
}

/// <summary>The kinds of types <c>operations.json</c> uses.</summary>
internal enum FieldKind
{
    String,
    Int32,
    Int64,
    Boolean,
    Float,
    Double,
    Any,
    Object,
    Array,
    Map,
}

/// <summary>
/// A parsed field type: a scalar, <c>object</c>, <c>any</c>, <c>array&lt;T&gt;</c> or <c>map&lt;string,T&gt;</c>.
/// </summary>
/// <param name="Kind">The kind.</param>
/// <param name="Element">The element type of an array, or the value type of a map.</param>
/// <param name="Text">The type as the file spells it.</param>
internal sealed record FieldType(FieldKind Kind, FieldType? Element, string Text)
{
    private static readonly Dictionary<string, FieldKind> Simple = new(StringComparer.Ordinal)
    {
        ["string"] = FieldKind.String,
        ["int32"] = FieldKind.Int32,
        ["int64"] = FieldKind.Int64,
        ["boolean"] = FieldKind.Boolean,
        ["float"] = FieldKind.Float,
        ["double"] = FieldKind.Double,
        ["any"] = FieldKind.Any,
        ["object"] = FieldKind.Object,
    };

    /// <summary>Parses a type, or returns <see langword="null"/> when the text is not one the generator knows.</summary>
    public static FieldType? TryParse(string text)
    {
        if (Simple.TryGetValue(text, out var kind))
        {
            return new FieldType(kind, null, text);
        }

        if (text.StartsWith("array<", StringComparison.Ordinal) && text.EndsWith('>'))
        {
            var element = TryParse(text["array<".Length..^1]);
            return element is null ? null : new FieldType(FieldKind.Array, element, text);
        }

        if (text.StartsWith("map<string,", StringComparison.Ordinal) && text.EndsWith('>'))
        {
            var value = TryParse(text["map<string,".Length..^1]);
            return value is null ? null : new FieldType(FieldKind.Map, value, text);
        }

        return null;
    }
}
