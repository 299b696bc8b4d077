using System.Collections.Frozen;
using System.Text.Json;

namespace Dataphin.OpenApi.Testing.Operations;

/// <summary>
/// The 338 operations of dataphin-public 2023-06-30 and their throttling levels, read from <c>eng/operations.json</c>,
/// which this assembly embeds as it is (the same file the SDK's generated catalog comes from).
/// </summary>
/// <remarks>
/// The emulator reads the file with its own code and never references the SDK: it is the independent oracle the SDK is
/// tested against, so a mistake in the SDK's generator cannot hide by being repeated here. An operation the throttling
/// table does not list (level <c>null</c>) is Level 3, the strictest (throttling.md). The file is parsed once, on first
/// use, with a forward-only reader that looks at nothing but each operation's name and level.
/// </remarks>
internal static class OperationCatalog
{
    public const string ApiVersion = "2023-06-30";

    private const string ResourceName = "Dataphin.OpenApi.Testing.operations.json";

    public static FrozenDictionary<string, int> Levels { get; } = Load();

    private static FrozenDictionary<string, int> Load()
    {
        using var stream = typeof(OperationCatalog).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"The embedded operation catalog ({ResourceName}) is missing.");
        var bytes = new byte[stream.Length];
        stream.ReadExactly(bytes);
        return Parse(bytes);
    }

    /// <summary>Reads <c>apiVersion</c> and each operation's <c>name</c> and <c>level</c>; skips everything else.</summary>
    internal static FrozenDictionary<string, int> Parse(ReadOnlySpan<byte> json)
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

    private static FrozenDictionary<string, int> ParseCore(ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Disallow });
        var levels = new Dictionary<string, int>(StringComparer.Ordinal);
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
                    var (name, level) = ReadOperation(ref reader);
                    if (!levels.TryAdd(name, level))
                    {
                        throw Invalid($"operation '{name}' appears twice");
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

        return levels.Count > 0 ? levels.ToFrozenDictionary(StringComparer.Ordinal) : throw Invalid("it lists no operation");
    }

    private static (string Name, int Level) ReadOperation(ref Utf8JsonReader reader)
    {
        string? name = null;
        int? level = null;
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
            else
            {
                Next(ref reader);
                reader.Skip();
            }
        }

        return !string.IsNullOrEmpty(name) && level is { } found
            ? (name, found)
            : throw Invalid($"an operation{(string.IsNullOrEmpty(name) ? string.Empty : $" ('{name}')")} lacks its name or level");
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
