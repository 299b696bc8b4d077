using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace Dataphin.OpenApi.Operations;

/// <summary>
/// The building blocks of the generated per-operation JSON contexts: object, collection and scalar metadata made with
/// <see cref="JsonMetadataServices"/>, the API System.Text.Json's own source generator emits calls to. The generated
/// contexts say which types an operation has and how to get and set each property; everything else is here once, so a
/// property costs one line of generated code and no reflection (trimming and Native AOT safe).
/// </summary>
internal static class OperationJsonMetadata
{
    /// <summary>The options every operation context starts from: unset (null) members are not written; numbers may arrive as strings.</summary>
    public static JsonSerializerOptions CreateDefaults() => new()
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        NumberHandling = JsonNumberHandling.AllowReadingFromString,
    };

    /// <summary>The metadata of a generated model class.</summary>
    public static JsonTypeInfo<T> Object<T>(JsonSerializerOptions options, IJsonTypeInfoResolver origin, Func<T> create, Func<JsonSerializerOptions, JsonPropertyInfo[]> properties)
        where T : class
    {
        var info = JsonMetadataServices.CreateObjectInfo(options, new JsonObjectInfoValues<T>
        {
            ObjectCreator = create,
            PropertyMetadataInitializer = _ => properties(options),
        });
        return Origin(info, origin);
    }

    /// <summary>The metadata of one property: its C# and wire names and how to read and write it.</summary>
    public static JsonPropertyInfo Property<TOwner, TValue>(JsonSerializerOptions options, string name, string wireName, Func<TOwner, TValue> get, Action<TOwner, TValue> set)
        where TOwner : class
        => JsonMetadataServices.CreatePropertyInfo(options, new JsonPropertyInfoValues<TValue>
        {
            IsProperty = true,
            IsPublic = true,
            DeclaringType = typeof(TOwner),
            PropertyName = name,
            JsonPropertyName = wireName,
            Getter = owner => get((TOwner)owner),
            Setter = (owner, value) => set((TOwner)owner, value!),
        });

    public static JsonTypeInfo<IList<T>> List<T>(JsonSerializerOptions options, IJsonTypeInfoResolver origin)
        => Origin(JsonMetadataServices.CreateIListInfo<IList<T>, T>(options, new JsonCollectionInfoValues<IList<T>>()), origin);

    public static JsonTypeInfo<IReadOnlyList<T>> ReadOnlyList<T>(JsonSerializerOptions options, IJsonTypeInfoResolver origin)
        => Origin(JsonMetadataServices.CreateIEnumerableInfo<IReadOnlyList<T>, T>(options, new JsonCollectionInfoValues<IReadOnlyList<T>>()), origin);

    public static JsonTypeInfo<IDictionary<string, T>> Dictionary<T>(JsonSerializerOptions options, IJsonTypeInfoResolver origin)
        => Origin(JsonMetadataServices.CreateIDictionaryInfo<IDictionary<string, T>, string, T>(options, new JsonCollectionInfoValues<IDictionary<string, T>>()), origin);

    public static JsonTypeInfo<IReadOnlyDictionary<string, T>> ReadOnlyDictionary<T>(JsonSerializerOptions options, IJsonTypeInfoResolver origin)
        => Origin(JsonMetadataServices.CreateIReadOnlyDictionaryInfo<IReadOnlyDictionary<string, T>, string, T>(options, new JsonCollectionInfoValues<IReadOnlyDictionary<string, T>>()), origin);

    /// <summary>The metadata of the scalar and JSON types the models use (every context falls back to this), or null for another type.</summary>
    public static JsonTypeInfo? Scalar(Type type, JsonSerializerOptions options, IJsonTypeInfoResolver origin)
    {
        JsonTypeInfo? info =
            type == typeof(string) ? JsonMetadataServices.CreateValueInfo<string>(options, JsonMetadataServices.StringConverter)
            : type == typeof(long) ? JsonMetadataServices.CreateValueInfo<long>(options, JsonMetadataServices.Int64Converter)
            : type == typeof(long?) ? JsonMetadataServices.CreateValueInfo<long?>(options, JsonMetadataServices.GetNullableConverter<long>(options))
            : type == typeof(int) ? JsonMetadataServices.CreateValueInfo<int>(options, JsonMetadataServices.Int32Converter)
            : type == typeof(int?) ? JsonMetadataServices.CreateValueInfo<int?>(options, JsonMetadataServices.GetNullableConverter<int>(options))
            : type == typeof(bool) ? JsonMetadataServices.CreateValueInfo<bool>(options, JsonMetadataServices.BooleanConverter)
            : type == typeof(bool?) ? JsonMetadataServices.CreateValueInfo<bool?>(options, JsonMetadataServices.GetNullableConverter<bool>(options))
            : type == typeof(double) ? JsonMetadataServices.CreateValueInfo<double>(options, JsonMetadataServices.DoubleConverter)
            : type == typeof(double?) ? JsonMetadataServices.CreateValueInfo<double?>(options, JsonMetadataServices.GetNullableConverter<double>(options))
            : type == typeof(float) ? JsonMetadataServices.CreateValueInfo<float>(options, JsonMetadataServices.SingleConverter)
            : type == typeof(float?) ? JsonMetadataServices.CreateValueInfo<float?>(options, JsonMetadataServices.GetNullableConverter<float>(options))
            : type == typeof(JsonElement) ? JsonMetadataServices.CreateValueInfo<JsonElement>(options, JsonMetadataServices.JsonElementConverter)
            : type == typeof(JsonElement?) ? JsonMetadataServices.CreateValueInfo<JsonElement?>(options, JsonMetadataServices.GetNullableConverter<JsonElement>(options))
            : type == typeof(JsonNode) ? JsonMetadataServices.CreateValueInfo<JsonNode>(options, JsonMetadataServices.JsonNodeConverter)
            : type == typeof(JsonObject) ? JsonMetadataServices.CreateValueInfo<JsonObject>(options, JsonMetadataServices.JsonObjectConverter)
            : null;
        if (info is not null)
        {
            info.OriginatingResolver = origin;
        }

        return info;
    }

    /// <summary>
    /// Marks where the metadata came from, and clears the type-level number handling the factories set to
    /// <see cref="JsonNumberHandling.Strict"/>, so the options' (numbers may arrive as strings) apply, as they do for
    /// System.Text.Json's own generated metadata.
    /// </summary>
    private static JsonTypeInfo<T> Origin<T>(JsonTypeInfo<T> info, IJsonTypeInfoResolver origin)
    {
        info.NumberHandling = null;
        info.OriginatingResolver = origin;
        return info;
    }
}
