using System.ComponentModel;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Dataphin.OpenApi.Serialization;

/// <summary>
/// Reads and writes the extensible value sets (<see cref="ReferenceType"/>, <see cref="MetadataType"/>,
/// <see cref="MetadataSubType"/>, <see cref="DataphinEnvironment"/>) as plain JSON strings, known values or not.
/// </summary>
/// <remarks>
/// The value sets name this converter in their <see cref="JsonConverterAttribute"/>. It is public only because
/// System.Text.Json's source generator, when it runs in your assembly (a <see cref="JsonSerializerContext"/> of
/// your own that holds a command, an <see cref="AssetReference"/> or a value set), must be able to create it;
/// with an inaccessible converter it reports SYSLIB1220 and the serializer then fails at run time. You never
/// need to name it.
/// </remarks>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class DataphinValueSetJsonConverter : JsonConverterFactory
{
    /// <inheritdoc />
    public override bool CanConvert(Type typeToConvert)
        => typeToConvert == typeof(ReferenceType)
        || typeToConvert == typeof(MetadataType)
        || typeToConvert == typeof(MetadataSubType)
        || typeToConvert == typeof(DataphinEnvironment);

    /// <inheritdoc />
    public override JsonConverter? CreateConverter(Type typeToConvert, JsonSerializerOptions options)
    {
        if (typeToConvert == typeof(ReferenceType))
        {
            return new ReferenceTypeJsonConverter();
        }

        if (typeToConvert == typeof(MetadataType))
        {
            return new MetadataTypeJsonConverter();
        }

        if (typeToConvert == typeof(MetadataSubType))
        {
            return new MetadataSubTypeJsonConverter();
        }

        return typeToConvert == typeof(DataphinEnvironment)
            ? new DataphinEnvironmentJsonConverter()
            : throw new ArgumentException($"{typeToConvert.Name} is not one of the value sets this converter handles.", nameof(typeToConvert));
    }
}
