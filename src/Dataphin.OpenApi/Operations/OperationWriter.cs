using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Dataphin.OpenApi.Operations;

/// <summary>
/// Writes a generated request's parameters into a <see cref="DataphinOperationRequest"/>: scalars as invariant text
/// (<c>true</c>/<c>false</c>, <c>12</c>, <c>1.5</c>), objects and arrays as compact JSON with the same relaxed escaping
/// as the lineage commands (<see cref="Serialization.DataphinJson"/>: non-ASCII as raw UTF-8, as the official clients
/// write it). Parameters left <see langword="null"/> are not sent.
/// </summary>
internal sealed class OperationWriter(DataphinOperationRequest request)
{
    private static readonly JsonWriterOptions Compact = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public void Query(string name, string? value)
    {
        if (value is not null)
        {
            request.AddQuery(name, value);
        }
    }

    public void Query(string name, long? value) => Query(name, Text(value));

    public void Query(string name, int? value) => Query(name, Text(value));

    public void Query(string name, bool? value) => Query(name, Text(value));

    public void Query(string name, double? value) => Query(name, Text(value));

    public void Query(string name, float? value) => Query(name, Text(value));

    public void Form(string name, string? value)
    {
        if (value is not null)
        {
            request.AddForm(name, value);
        }
    }

    public void Form(string name, long? value) => Form(name, Text(value));

    public void Form(string name, int? value) => Form(name, Text(value));

    public void Form(string name, bool? value) => Form(name, Text(value));

    public void Form(string name, double? value) => Form(name, Text(value));

    public void Form(string name, float? value) => Form(name, Text(value));

    /// <summary>Adds <paramref name="value"/> as one form field of compact JSON, written with its source-generated metadata.</summary>
    public void Json<T>(string name, T? value, JsonTypeInfo<T> metadata)
        where T : class
    {
        if (value is not null)
        {
            request.AddForm(name, ToJson(value, metadata));
        }
    }

    internal static string ToJson<T>(T value, JsonTypeInfo<T> metadata)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, Compact))
        {
            JsonSerializer.Serialize(writer, value, metadata);
        }

        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    private static string? Text(long? value) => value?.ToString(CultureInfo.InvariantCulture);

    private static string? Text(int? value) => value?.ToString(CultureInfo.InvariantCulture);

    private static string? Text(bool? value) => value switch
    {
        true => "true",
        false => "false",
        null => null,
    };

    private static string? Text(double? value) => value?.ToString("R", CultureInfo.InvariantCulture);

    private static string? Text(float? value) => value?.ToString("R", CultureInfo.InvariantCulture);
}
