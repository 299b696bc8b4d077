using System.Collections.Frozen;
using System.Text.Json;

namespace Dataphin.OpenApi.Testing.Operations;

/// <summary>
/// The 338 operations of dataphin-public 2023-06-30 with their throttling levels and request and response trees, read
/// from <c>eng/operations.json</c>, which this assembly embeds as it is (the same file the SDK's generated code comes from).
/// </summary>
/// <remarks>
/// The emulator reads the file with its own code and never references the SDK: it is the independent oracle the SDK is
/// tested against, so a mistake in the SDK's generator cannot hide by being repeated here. An operation the throttling
/// table does not list (level <c>null</c>) is Level 3, the strictest (throttling.md). The file is parsed once, on first
/// use, with a forward-only reader that keeps each operation's name, level, parameter placement and field trees.
/// </remarks>
internal static class OperationCatalog
{
    public const string ApiVersion = "2023-06-30";

    private const string ResourceName = "Dataphin.OpenApi.Testing.operations.json";

    public static FrozenDictionary<string, CatalogOperation> Operations { get; } = Load();

    public static FrozenDictionary<string, int> Levels { get; } = Operations.ToFrozenDictionary(p => p.Key, p => p.Value.Level, StringComparer.Ordinal);

    private static FrozenDictionary<string, CatalogOperation> Load()
    {
        using var stream = typeof(OperationCatalog).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"The embedded operation catalog ({ResourceName}) is missing.");
        var bytes = new byte[stream.Length];
        stream.ReadExactly(bytes);
        return ParseOperations(bytes);
    }

    /// <summary>Reads <c>apiVersion</c> and each operation's <c>name</c> and <c>level</c>.</summary>
    internal static FrozenDictionary<string, int> Parse(ReadOnlySpan<byte> json)
        => ParseOperations(json).ToFrozenDictionary(p => p.Key, p => p.Value.Level, StringComparer.Ordinal);

    /// <summary>Reads <c>apiVersion</c> and each operation's name, level, query and body placement, and request and response trees; skips everything else.</summary>
    internal static FrozenDictionary<string, CatalogOperation> ParseOperations(ReadOnlySpan<byte> json)
    {
        try
        {
            return ParseCore(json);
        }
        catch (JsonException e)
        {
            throw Invalid($"it is not valid JSON (line {e.LineNumber + 1})");
        }
    }

    private static FrozenDictionary<string, CatalogOperation> ParseCore(ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Disallow });
        var operations = new Dictionary<string, CatalogOperation>(StringComparer.Ordinal);
        string? apiVersion = null;
        Expect(ref reader, JsonTokenType.StartObject, "it is not a JSON object");
        while (Next(ref reader) == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("apiVersion"u8))
            {
                Next(ref reader);
                apiVersion = reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
            }
            else if (reader.ValueTextEquals("operations"u8))
            {
                Expect(ref reader, JsonTokenType.StartArray, "'operations' is not a list");
                while (Next(ref reader) == JsonTokenType.StartObject)
                {
                    var operation = ReadOperation(ref reader);
                    if (!operations.TryAdd(operation.Name, operation))
                    {
                        throw Invalid($"operation '{operation.Name}' appears twice");
                    }
                }

                if (reader.TokenType != JsonTokenType.EndArray)
                {
                    throw Invalid("an entry of 'operations' is not a JSON object");
                }
            }
            else
            {
                Next(ref reader);
                reader.Skip();
            }
        }

        if (apiVersion != ApiVersion)
        {
            throw Invalid($"it is for API version '{apiVersion}', the emulator speaks {ApiVersion}");
        }

        return operations.Count > 0 ? operations.ToFrozenDictionary(StringComparer.Ordinal) : throw Invalid("it lists no operation");
    }

    private static CatalogOperation ReadOperation(ref Utf8JsonReader reader)
    {
        string? name = null;
        int? level = null;
        var query = new HashSet<string>(StringComparer.Ordinal);
        var jsonBody = new HashSet<string>(StringComparer.Ordinal);
        IReadOnlyList<CatalogField> request = [], response = [];
        while (Next(ref reader) == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("name"u8))
            {
                Next(ref reader);
                name = reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
            }
            else if (reader.ValueTextEquals("level"u8))
            {
                level = Next(ref reader) switch
                {
                    JsonTokenType.Null => 3,
                    JsonTokenType.Number when reader.TryGetInt32(out var value) && value is >= 1 and <= 3 => value,
                    _ => throw Invalid($"the operation after '{name}' has a level that is not 1, 2, 3 or null"),
                };
            }
            else if (reader.ValueTextEquals("query"u8))
            {
                foreach (var field in ReadFields(ref reader, name))
                {
                    query.Add(field.Name);
                }
            }
            else if (reader.ValueTextEquals("body"u8))
            {
                var shrunk = new List<string>();
                ReadFields(ref reader, name, shrunk);
                jsonBody.UnionWith(shrunk);
            }
            else if (reader.ValueTextEquals("request"u8))
            {
                request = ReadFields(ref reader, name);
            }
            else if (reader.ValueTextEquals("response"u8))
            {
                response = ReadFields(ref reader, name);
            }
            else
            {
                Next(ref reader);
                reader.Skip();
            }
        }

        return !string.IsNullOrEmpty(name) && level is { } found
            ? new CatalogOperation(name, found, query, jsonBody, request, response)
            : throw Invalid($"an operation{(string.IsNullOrEmpty(name) ? string.Empty : $" ('{name}')")} lacks its name or level");
    }

    /// <summary>Reads a list of fields (the reader is on its property name); <paramref name="shrunk"/> collects the names marked <c>shrunkJson</c>.</summary>
    private static List<CatalogField> ReadFields(ref Utf8JsonReader reader, string? operation, List<string>? shrunk = null)
    {
        Expect(ref reader, JsonTokenType.StartArray, $"a field list of '{operation}' is not a list");
        var fields = new List<CatalogField>();
        while (Next(ref reader) == JsonTokenType.StartObject)
        {
            fields.Add(ReadField(ref reader, operation, shrunk));
        }

        return reader.TokenType == JsonTokenType.EndArray ? fields : throw Invalid($"a field of '{operation}' is not a JSON object");
    }

    private static CatalogField ReadField(ref Utf8JsonReader reader, string? operation, List<string>? shrunk)
    {
        string? name = null, typeText = null, example = null;
        var required = false;
        var isShrunk = false;
        List<string>? values = null, exampleValues = null;
        List<CatalogField> fields = [];
        while (Next(ref reader) == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("name"u8))
            {
                name = ReadString(ref reader);
            }
            else if (reader.ValueTextEquals("type"u8))
            {
                typeText = ReadString(ref reader);
            }
            else if (reader.ValueTextEquals("example"u8))
            {
                example = ReadString(ref reader);
            }
            else if (reader.ValueTextEquals("required"u8))
            {
                required = Next(ref reader) == JsonTokenType.True;
            }
            else if (reader.ValueTextEquals("shrunkJson"u8))
            {
                isShrunk = Next(ref reader) == JsonTokenType.True;
            }
            else if (reader.ValueTextEquals("enum"u8))
            {
                values = ReadStrings(ref reader);
            }
            else if (reader.ValueTextEquals("exampleValues"u8))
            {
                exampleValues = ReadStrings(ref reader);
            }
            else if (reader.ValueTextEquals("fields"u8))
            {
                fields = ReadFields(ref reader, operation);
            }
            else
            {
                Next(ref reader);
                reader.Skip();
            }
        }

        var type = typeText is null ? null : CatalogType.TryParse(typeText);
        if (string.IsNullOrEmpty(name) || type is null)
        {
            throw Invalid($"a field of '{operation}'{(string.IsNullOrEmpty(name) ? string.Empty : $" ('{name}')")} lacks its name or has a type the emulator does not know ('{typeText}')");
        }

        if (isShrunk)
        {
            shrunk?.Add(name);
        }

        return new CatalogField(name, type, required, example, values ?? exampleValues ?? [], fields);
    }

    private static string? ReadString(ref Utf8JsonReader reader)
        => Next(ref reader) == JsonTokenType.String ? reader.GetString() : null;

    private static List<string> ReadStrings(ref Utf8JsonReader reader)
    {
        var values = new List<string>();
        if (Next(ref reader) != JsonTokenType.StartArray)
        {
            reader.Skip();
            return values;
        }

        while (Next(ref reader) != JsonTokenType.EndArray)
        {
            if (reader.TokenType == JsonTokenType.String)
            {
                values.Add(reader.GetString()!);
            }
            else
            {
                reader.Skip();
            }
        }

        return values;
    }

    private static JsonTokenType Next(ref Utf8JsonReader reader)
        => reader.Read() ? reader.TokenType : throw Invalid("it ends too early");

    private static void Expect(ref Utf8JsonReader reader, JsonTokenType type, string problem)
    {
        if (Next(ref reader) != type)
        {
            throw Invalid(problem);
        }
    }

    private static InvalidOperationException Invalid(string problem)
        => new($"The embedded operation catalog (eng/operations.json) cannot be read: {problem}.");
}
