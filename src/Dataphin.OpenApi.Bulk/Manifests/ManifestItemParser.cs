using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using Dataphin.OpenApi.Bulk;
using Dataphin.OpenApi.Serialization;

namespace Dataphin.OpenApi.Manifests;

/// <summary>Turns one JSON item of a JSON or JSON Lines manifest into a <see cref="LineageItem"/>; never throws for bad input.</summary>
internal static class ManifestItemParser
{
    public const string IdProperty = "Id";

    /// <summary>Properties only AddRegisterLineageCommand has; a delete reads an add manifest without them.</summary>
    public static readonly string[] AddOnlyProperties = ["CheckAssetExist", "RelationProperties"];

    /// <summary>Properties only DeleteRegisterLineageCommand has; an item with one is a delete item, read strictly.</summary>
    public static readonly string[] DeleteOnlyProperties = ["CascadeDeleteLineage"];

    private const string AddItemProperties = "an add item has Id, Source, Target, DetailedLineages, CheckAssetExist, RelationProperties, TenantId and UserId";
    private const string DeleteItemProperties = "a delete item has Id, Source, Target, DetailedLineages, CascadeDeleteLineage, TenantId and UserId; an item of an add manifest may also have CheckAssetExist and RelationProperties, which a delete ignores";

    private static readonly JsonSerializerOptions StrictOptions = CreateStrictOptions();
    private static readonly JsonTypeInfo<AddRegisterLineageCommand> AddInfo = (JsonTypeInfo<AddRegisterLineageCommand>)StrictOptions.GetTypeInfo(typeof(AddRegisterLineageCommand));
    private static readonly JsonTypeInfo<DeleteRegisterLineageCommand> DeleteInfo = (JsonTypeInfo<DeleteRegisterLineageCommand>)StrictOptions.GetTypeInfo(typeof(DeleteRegisterLineageCommand));

    public static LineageItem Parse(ReadOnlySpan<byte> utf8Json, int lineNumber, LineageManifestOperation operation)
    {
        var fallbackId = "line " + lineNumber.ToString(CultureInfo.InvariantCulture);
        JsonNode? node;
        try
        {
            node = JsonNode.Parse(utf8Json, documentOptions: new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = false });
        }
        catch (JsonException error)
        {
            return Malformed(fallbackId, lineNumber, "$", $"Line {lineNumber} is not valid JSON: {FirstSentence(error.Message)}");
        }

        if (FindRepeatedProperty(utf8Json) is { } repeated)
        {
            // Reading the item on would throw (a JSON object holds each name once); it is this item's error, not the manifest's.
            var line = lineNumber + repeated.LinesBefore;
            return Malformed(fallbackId, lineNumber, repeated.Path, $"Line {line.ToString(CultureInfo.InvariantCulture)}: the property \"{repeated.Name}\" appears twice in the same object (at {repeated.Path}); give each property once.");
        }

        if (node is not JsonObject item)
        {
            return Malformed(fallbackId, lineNumber, "$", $"Line {lineNumber}: an item must be a JSON object with Source and Target, not {(node is null ? "null" : node.GetValueKind().ToString())}.");
        }

        var id = fallbackId;
        if (item.TryGetPropertyValue(IdProperty, out var idNode))
        {
            item.Remove(IdProperty);
            var text = idNode is JsonValue value && (value.GetValueKind() is JsonValueKind.String or JsonValueKind.Number) ? value.ToJsonString().Trim('"') : null;
            if (string.IsNullOrWhiteSpace(text))
            {
                return Malformed(fallbackId, lineNumber, IdProperty, $"Line {lineNumber}: Id must be a non-empty string or a number.");
            }

            id = text!;
        }

        List<string>? ignored = null;
        if (operation == LineageManifestOperation.Delete && !DeleteOnlyProperties.Any(item.ContainsKey))
        {
            // An item of an add manifest: the add-only properties say nothing about what to delete.
            foreach (var name in AddOnlyProperties)
            {
                if (item.Remove(name))
                {
                    (ignored ??= []).Add(name);
                }
            }
        }

        try
        {
            LineageCommand? command = operation == LineageManifestOperation.Add
                ? JsonSerializer.Deserialize(item, AddInfo)
                : JsonSerializer.Deserialize(item, DeleteInfo);
            return command is null
                ? Malformed(id, lineNumber, "$", $"Line {lineNumber}: the item is empty.")
                : ignored is null ? new LineageItem(id, command, lineNumber) : new LineageItem(id, command, lineNumber).WithIgnoredProperties(ignored);
        }
        catch (JsonException error)
        {
            var path = string.IsNullOrEmpty(error.Path) ? "$" : error.Path!;
            return Malformed(id, lineNumber, path, $"Line {lineNumber}: {FirstSentence(error.Message)} (at {path}; {(operation == LineageManifestOperation.Add ? AddItemProperties : DeleteItemProperties)}).");
        }
        catch (Exception error) when (error is ArgumentException or InvalidOperationException or FormatException)
        {
            return Malformed(id, lineNumber, "$", $"Line {lineNumber}: {error.Message}");
        }
    }

    /// <summary>
    /// The first property name given twice in one object of <paramref name="utf8Json"/> (well-formed JSON), with the
    /// JSON path of the repeated property and the number of line breaks before it; <see langword="null"/> when none is.
    /// </summary>
    private static RepeatedProperty? FindRepeatedProperty(ReadOnlySpan<byte> utf8Json)
    {
        var reader = new Utf8JsonReader(utf8Json, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip });
        var frames = new List<Frame>();
        try
        {
            while (reader.Read())
            {
                switch (reader.TokenType)
                {
                    case JsonTokenType.StartObject:
                    case JsonTokenType.StartArray:
                        Frames.Enter(frames);
                        frames.Add(new Frame(reader.TokenType == JsonTokenType.StartObject));
                        break;
                    case JsonTokenType.EndObject:
                    case JsonTokenType.EndArray:
                        frames.RemoveAt(frames.Count - 1);
                        break;
                    case JsonTokenType.PropertyName:
                        var frame = frames[frames.Count - 1];
                        var name = reader.GetString()!;
                        frame.Current = name;
                        if (!frame.Names!.Add(name))
                        {
                            var lines = 0;
                            for (var i = 0; i < (int)reader.TokenStartIndex; i++)
                            {
                                if (utf8Json[i] == (byte)'\n')
                                {
                                    lines++;
                                }
                            }

                            return new RepeatedProperty(name, Frames.Path(frames), lines);
                        }

                        continue;
                    default:
                        Frames.Enter(frames);
                        break;
                }
            }
        }
        catch (Exception error) when (error is JsonException or InvalidOperationException)
        {
            // Not readable this way (an escaped unpaired surrogate in a name): the parse below reports it.
        }

        return null;
    }

    public static LineageItem Malformed(string id, int? lineNumber, string path, string message)
        => LineageItem.Unreadable(id, lineNumber, new[] { new DataphinValidationError(path, DataphinValidationRules.Malformed, message) });

    /// <summary>
    /// The reader's message without the positions it appends (" Path: ...", " LineNumber: ... | BytePositionInLine: ...",
    /// which the caller reports in its own terms), and an unknown property said plainly.
    /// </summary>
    private static string FirstSentence(string message)
    {
        foreach (var marker in new[] { " Path:", " LineNumber:" })
        {
            var cut = message.IndexOf(marker, StringComparison.Ordinal);
            if (cut > 0)
            {
                message = message.Substring(0, cut);
            }
        }

        const string Unknown = "The JSON property '";
        const string Unmapped = "' could not be mapped to any .NET member";
        var end = message.IndexOf(Unmapped, StringComparison.Ordinal);
        return message.StartsWith(Unknown, StringComparison.Ordinal) && end > Unknown.Length
            ? "'" + message.Substring(Unknown.Length, end - Unknown.Length) + "' is not a known property"
            : message.TrimEnd();
    }

    private static JsonSerializerOptions CreateStrictOptions()
    {
        var options = new JsonSerializerOptions(DataphinJson.Options)
        {
            UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        };
        options.MakeReadOnly();
        return options;
    }
}

/// <summary>One open object or array while looking for repeated property names.</summary>
internal sealed class Frame
{
    public Frame(bool isObject)
    {
        Names = isObject ? new HashSet<string>(StringComparer.Ordinal) : null;
    }

    /// <summary>The names seen so far; <see langword="null"/> for an array.</summary>
    public HashSet<string>? Names { get; }

    /// <summary>The property whose value is being read (objects).</summary>
    public string? Current { get; set; }

    /// <summary>The index of the item being read (arrays); -1 before the first.</summary>
    public int Index { get; set; } = -1;
}

/// <summary>Paths of the frames.</summary>
internal static class Frames
{
    /// <summary>A value starts: in an array it is the next item.</summary>
    public static void Enter(List<Frame> frames)
    {
        if (frames.Count > 0 && frames[frames.Count - 1].Names is null)
        {
            frames[frames.Count - 1].Index++;
        }
    }

    /// <summary>The JSON path of the property being read, e.g. <c>$.DetailedLineages[0].Source.Name</c>.</summary>
    public static string Path(List<Frame> frames)
    {
        var path = new StringBuilder("$");
        foreach (var frame in frames)
        {
            if (frame.Names is null)
            {
                path.Append('[').Append(frame.Index.ToString(CultureInfo.InvariantCulture)).Append(']');
            }
            else
            {
                path.Append('.').Append(frame.Current);
            }
        }

        return path.ToString();
    }
}

/// <summary>A property name given twice in one object.</summary>
internal sealed class RepeatedProperty
{
    public RepeatedProperty(string name, string path, int linesBefore)
    {
        Name = name;
        Path = path;
        LinesBefore = linesBefore;
    }

    public string Name { get; }

    public string Path { get; }

    public int LinesBefore { get; }
}
