using System.Collections;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace Dataphin.OpenApi.Serialization;

/// <summary>
/// Reads and writes the lineage commands exactly as the service (and the official clients) expect: PascalCase
/// wire names in alphabetical order, nulls and empty collections omitted, compact, non-ASCII text as raw UTF-8.
/// </summary>
public static class DataphinJson
{
    /// <summary>The options every command is written and read with (source-generated metadata; no reflection).</summary>
    public static JsonSerializerOptions Options { get; } = CreateOptions();

    /// <summary>The JSON text of a command, as it is put into the request's form field.</summary>
    /// <param name="command">The command.</param>
    /// <returns>Compact JSON.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="command"/> is null.</exception>
    public static string Serialize(LineageCommand command) => command switch
    {
        null => throw new ArgumentNullException(nameof(command)),
        AddRegisterLineageCommand add => JsonSerializer.Serialize(add, AddCommandInfo),
        DeleteRegisterLineageCommand delete => JsonSerializer.Serialize(delete, DeleteCommandInfo),
        _ => throw new ArgumentException($"Unknown command type {command.GetType().Name}.", nameof(command)),
    };

    /// <summary>The UTF-8 JSON bytes of a command.</summary>
    /// <param name="command">The command.</param>
    /// <returns>Compact UTF-8 JSON.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="command"/> is null.</exception>
    public static byte[] SerializeToUtf8Bytes(LineageCommand command) => command switch
    {
        null => throw new ArgumentNullException(nameof(command)),
        AddRegisterLineageCommand add => JsonSerializer.SerializeToUtf8Bytes(add, AddCommandInfo),
        DeleteRegisterLineageCommand delete => JsonSerializer.SerializeToUtf8Bytes(delete, DeleteCommandInfo),
        _ => throw new ArgumentException($"Unknown command type {command.GetType().Name}.", nameof(command)),
    };

    /// <summary>Reads an <see cref="AddRegisterLineageCommand"/> from its JSON.</summary>
    /// <param name="json">The JSON text.</param>
    /// <returns>The command.</returns>
    /// <exception cref="JsonException">The text is not a valid command.</exception>
    public static AddRegisterLineageCommand DeserializeAddCommand(string json)
        => JsonSerializer.Deserialize(json, AddCommandInfo) ?? throw new JsonException("The JSON is null, not a command.");

    /// <summary>Reads a <see cref="DeleteRegisterLineageCommand"/> from its JSON.</summary>
    /// <param name="json">The JSON text.</param>
    /// <returns>The command.</returns>
    /// <exception cref="JsonException">The text is not a valid command.</exception>
    public static DeleteRegisterLineageCommand DeserializeDeleteCommand(string json)
        => JsonSerializer.Deserialize(json, DeleteCommandInfo) ?? throw new JsonException("The JSON is null, not a command.");

    /// <summary>The metadata of <see cref="AddRegisterLineageCommand"/> bound to <see cref="Options"/>.</summary>
    internal static JsonTypeInfo<AddRegisterLineageCommand> AddCommandInfo { get; } = (JsonTypeInfo<AddRegisterLineageCommand>)Options.GetTypeInfo(typeof(AddRegisterLineageCommand));

    /// <summary>The metadata of <see cref="DeleteRegisterLineageCommand"/> bound to <see cref="Options"/>.</summary>
    internal static JsonTypeInfo<DeleteRegisterLineageCommand> DeleteCommandInfo { get; } = (JsonTypeInfo<DeleteRegisterLineageCommand>)Options.GetTypeInfo(typeof(DeleteRegisterLineageCommand));

    private static JsonSerializerOptions CreateOptions()
    {
        var options = new JsonSerializerOptions
        {
            // The official client's JSON.stringify writes raw UTF-8 and does not escape < > & ' ; the JSON travels
            // form-encoded, never inside HTML, so the relaxed encoder is safe here and keeps bytes identical.
            Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
            DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
            TypeInfoResolver = JsonTypeInfoResolver.WithAddedModifier(DataphinJsonContext.Default, OmitEmptyCollections),
        };
        options.MakeReadOnly();
        return options;
    }

    private static void OmitEmptyCollections(JsonTypeInfo typeInfo)
    {
        if (typeInfo.Kind != JsonTypeInfoKind.Object)
        {
            return;
        }

        foreach (var property in typeInfo.Properties)
        {
            if (property.PropertyType != typeof(string) && typeof(IEnumerable).IsAssignableFrom(property.PropertyType))
            {
                property.ShouldSerialize = static (_, value) => value switch
                {
                    null => false,
                    ICollection collection => collection.Count > 0,
                    IEnumerable sequence => sequence.GetEnumerator().MoveNext(),
                    _ => true,
                };
            }
        }
    }
}
