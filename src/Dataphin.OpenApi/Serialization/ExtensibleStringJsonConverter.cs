using System.Text.Json;
using System.Text.Json.Serialization;

namespace Dataphin.OpenApi.Serialization;

/// <summary>
/// Writes an extensible string value set (such as <see cref="ReferenceType"/>) as a plain JSON string and
/// reads any string back, known or not, so that values the service adds later still round-trip.
/// </summary>
/// <typeparam name="T">The value-set struct.</typeparam>
internal abstract class ExtensibleStringJsonConverter<T> : JsonConverter<T>
    where T : struct
{
    private readonly Func<string, T> _create;
    private readonly Func<T, string?> _value;

    /// <summary>Creates the converter from the value set's factory and accessor.</summary>
    /// <param name="create">Creates a value from its wire text.</param>
    /// <param name="value">Returns a value's wire text, or <see langword="null"/> for the default (absent) value.</param>
    protected ExtensibleStringJsonConverter(Func<string, T> create, Func<T, string?> value)
    {
        _create = create;
        _value = value;
    }

    /// <inheritdoc />
    public override T Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.String)
        {
            throw new JsonException($"Expected a JSON string for {typeof(T).Name}, found {reader.TokenType}.");
        }

        return _create(reader.GetString()!);
    }

    /// <inheritdoc />
    public override void Write(Utf8JsonWriter writer, T value, JsonSerializerOptions options)
    {
        var text = _value(value);
        if (text is null)
        {
            writer.WriteNullValue();
        }
        else
        {
            writer.WriteStringValue(text);
        }
    }
}
