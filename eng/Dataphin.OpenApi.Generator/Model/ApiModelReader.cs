using System.Text.Json;

namespace Dataphin.OpenApi.Generator.Model;

/// <summary>Reads <c>eng/operations.json</c> into an <see cref="ApiModel"/>, refusing anything it does not understand.</summary>
internal static class ApiModelReader
{
    /// <summary>The options every input file is parsed with: comments and trailing commas are errors (duplicate keys are found by <see cref="StrictJsonObject"/>).</summary>
    public static readonly JsonDocumentOptions Strict = new()
    {
        AllowTrailingCommas = false,
        CommentHandling = JsonCommentHandling.Disallow,
    };

    /// <param name="json">The file's text.</param>
    /// <param name="file">The file's path for messages, e.g. <c>eng/operations.json</c>.</param>
    public static ApiModel Read(string json, string file)
    {
        using var document = Parse(json, file);
        var root = new StrictJsonObject(document.RootElement, file);
        var product = root.RequiredString("product");
        var apiVersion = root.RequiredString("apiVersion");
        root.Allow("note");
        root.Allow("wire");
        root.Allow("endpoints");

        var operations = new List<OperationModel>();
        var names = new HashSet<string>(StringComparer.Ordinal);
        var index = 0;
        foreach (var element in root.RequiredArray("operations"))
        {
            var operation = ReadOperation(element, $"{file}: operation #{index + 1}", file);
            if (!names.Add(operation.Name))
            {
                throw new GeneratorInputException($"{file}: operation '{operation.Name}' appears twice.");
            }

            operations.Add(operation);
            index++;
        }

        root.EnsureNoOtherKeys();
        if (operations.Count == 0)
        {
            throw new GeneratorInputException($"{file}: 'operations' is empty.");
        }

        return new ApiModel(product, apiVersion, operations);
    }

    /// <summary>Parses JSON text, turning a syntax error into a message that names the file and line.</summary>
    public static JsonDocument Parse(string json, string file)
    {
        try
        {
            return JsonDocument.Parse(json, Strict);
        }
        catch (JsonException e)
        {
            var line = e.LineNumber is { } number ? $" on line {number + 1}" : string.Empty;
            throw new GeneratorInputException($"{file}: not valid JSON{line} (a syntax error, a comment or a trailing comma).");
        }
    }

    private static OperationModel ReadOperation(JsonElement element, string where, string file)
    {
        var name = NameOf(element) ?? new StrictJsonObject(element, where).RequiredString("name");
        if (!IsIdentifier(name))
        {
            throw new GeneratorInputException($"{where}: name '{name}' is not a valid operation name (letters and digits, starting with a letter).");
        }

        var o = new StrictJsonObject(element, $"{file}: operation '{name}'");
        o.RequiredString("name");
        var level = o.OptionalInt32("level");
        if (level is not (null or 1 or 2 or 3))
        {
            throw new GeneratorInputException($"{o.Where}: level {level} is not 1, 2, 3 or null.");
        }

        var editionText = o.OptionalString("minEdition");
        ApiEdition? edition = editionText switch
        {
            null => null,
            "Agile" => ApiEdition.Agile,
            "Basic" => ApiEdition.Basic,
            "Intelligent" => ApiEdition.Intelligent,
            _ => throw new GeneratorInputException($"{o.Where}: minEdition '{editionText}' is not Agile, Basic, Intelligent or null."),
        };

        var documented = o.RequiredBool("documentedInThrottlingTable");
        if (documented != level.HasValue)
        {
            throw new GeneratorInputException($"{o.Where}: documentedInThrottlingTable is {(documented ? "true" : "false")} but level is {(level.HasValue ? level.Value.ToString(System.Globalization.CultureInfo.InvariantCulture) : "null")}.");
        }

        var deprecatedSince = o.OptionalString("deprecatedSinceDataphinVersion");
        var replacedBy = o.OptionalString("replacedBy");
        var operation = new OperationModel(
            name,
            level,
            edition,
            o.OptionalString("section"),
            o.OptionalString("group"),
            documented,
            o.RequiredBool("readOnlyGuess"),
            o.OptionalString("sinceDataphinVersion"),
            deprecatedSince,
            replacedBy,
            ReadHttp(o.RequiredObject("http"), $"{o.Where}, http"),
            ReadFields(o.RequiredArray("query"), o.Where, "query", string.Empty),
            ReadFields(o.RequiredArray("body"), o.Where, "body", string.Empty),
            ReadFields(o.RequiredArray("request"), o.Where, "request", string.Empty),
            ReadFields(o.RequiredArray("response"), o.Where, "response", string.Empty));
        o.EnsureNoOtherKeys();
        if (replacedBy is not null && deprecatedSince is null)
        {
            throw new GeneratorInputException($"{o.Where}: replacedBy is set but deprecatedSinceDataphinVersion is not.");
        }

        return operation;
    }

    private static HttpShape ReadHttp(JsonElement element, string where)
    {
        var h = new StrictJsonObject(element, where);
        var shape = new HttpShape(
            h.RequiredString("method"),
            h.RequiredString("path"),
            h.RequiredString("style"),
            h.RequiredString("requestBody"),
            h.RequiredString("responseBody"));
        h.EnsureNoOtherKeys();
        return shape;
    }

    private static List<FieldModel> ReadFields(IEnumerable<JsonElement> elements, string operationWhere, string part, string parentPath)
    {
        var fields = new List<FieldModel>();
        var names = new HashSet<string>(StringComparer.Ordinal);
        var index = 0;
        foreach (var element in elements)
        {
            var name = NameOf(element)
                ?? new StrictJsonObject(element, $"{operationWhere}, {part} field #{index + 1}{(parentPath.Length == 0 ? string.Empty : " of '" + parentPath + "'")}")
                    .RequiredString("name");
            var path = parentPath.Length == 0 ? name : parentPath + "." + name;
            var f = new StrictJsonObject(element, $"{operationWhere}, {part} field '{path}'");
            f.RequiredString("name");
            var typeText = f.RequiredString("type");
            var type = FieldType.TryParse(typeText)
                ?? throw new GeneratorInputException(
                    $"{f.Where}: type '{typeText}' is not one the generator knows (string, int32, int64, boolean, float, double, any, object, array<T>, map<string,T>).");
            if (!names.Add(name))
            {
                throw new GeneratorInputException($"{f.Where}: appears twice.");
            }

            var nested = ReadFields(f.OptionalArray("fields"), operationWhere, part, path);
            var holdsObjects = type.Kind == FieldKind.Object || (type.Kind == FieldKind.Array && type.Element!.Kind == FieldKind.Object);
            if (nested.Count > 0 && !holdsObjects)
            {
                throw new GeneratorInputException($"{f.Where}: has nested fields but its type '{typeText}' is not an object or an array of objects.");
            }

            fields.Add(new FieldModel(
                name,
                type,
                f.RequiredBool("required"),
                f.OptionalString("example"),
                f.OptionalStringArray("enum"),
                f.OptionalStringArray("exampleValues"),
                f.OptionalBool("shrunkJson") ?? false,
                f.OptionalBool("deprecated") ?? false,
                nested));
            f.EnsureNoOtherKeys();
            index++;
        }

        return fields;
    }

    /// <summary>The object's <c>name</c> when it is a string, to say where a problem is; otherwise null (the caller reports it).</summary>
    private static string? NameOf(JsonElement element)
        => element.ValueKind == JsonValueKind.Object && element.TryGetProperty("name", out var name) && name.ValueKind == JsonValueKind.String
            ? name.GetString()
            : null;

    /// <summary>An ASCII letter followed by ASCII letters and digits, as every action name is.</summary>
    public static bool IsIdentifier(string text)
    {
        if (text.Length == 0 || !char.IsAsciiLetter(text[0]))
        {
            return false;
        }

        foreach (var c in text)
        {
            if (!char.IsAsciiLetterOrDigit(c))
            {
                return false;
            }
        }

        return true;
    }
}
