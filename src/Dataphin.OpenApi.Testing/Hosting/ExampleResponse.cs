using System.Globalization;
using System.Text.Json;
using Dataphin.OpenApi.Testing.Operations;

namespace Dataphin.OpenApi.Testing.Hosting;

/// <summary>
/// Writes an operation's answer from its response tree: every documented field, filled with the catalog's example
/// values, the same every time. A field's value is the first of its example and documented values that is valid for
/// its type, else the type's empty value (<c>""</c>, <c>0</c>, <c>false</c>); an object has all its fields, an array one
/// item (or the documented example array), a map its documented example or <c>{}</c>.
/// </summary>
internal static class ExampleResponse
{
    /// <summary>The fields every success answer has already (<see cref="ResponseBodies.Success"/>).</summary>
    private static readonly HashSet<string> Common = new(StringComparer.Ordinal) { "RequestId", "Success", "Code", "HttpStatusCode", "Message" };

    public static void Write(Utf8JsonWriter json, CatalogOperation operation)
    {
        foreach (var field in operation.Response)
        {
            if (!Common.Contains(field.Name))
            {
                json.WritePropertyName(field.Name);
                WriteValue(json, field.Type, field);
            }
        }
    }

    private static void WriteValue(Utf8JsonWriter json, CatalogType type, CatalogField field)
    {
        switch (type.Kind)
        {
            case CatalogKind.String:
                json.WriteStringValue(field.Candidates.FirstOrDefault() ?? string.Empty);
                break;
            case CatalogKind.Integer:
                json.WriteNumberValue(field.Candidates.Select(Integer).FirstOrDefault(v => v is not null) ?? 0);
                break;
            case CatalogKind.Number:
                json.WriteNumberValue(field.Candidates.Select(Number).FirstOrDefault(v => v is not null) ?? 0);
                break;
            case CatalogKind.Boolean:
                json.WriteBooleanValue(field.Candidates.Select(Boolean).FirstOrDefault(v => v is not null) ?? false);
                break;
            case CatalogKind.Any:
                if (field.Example is { } example && Parse(example) is { } parsed)
                {
                    parsed.WriteTo(json);
                }
                else if (field.Example is not null)
                {
                    json.WriteStringValue(field.Example);
                }
                else
                {
                    json.WriteNullValue();
                }

                break;
            case CatalogKind.Object:
                json.WriteStartObject();
                foreach (var member in field.Fields)
                {
                    json.WritePropertyName(member.Name);
                    WriteValue(json, member.Type, member);
                }

                json.WriteEndObject();
                break;
            case CatalogKind.Map:
                if (field.Example is { } map && Parse(map) is { ValueKind: JsonValueKind.Object } documented
                    && documented.EnumerateObject().All(entry => Fits(entry.Value, type.Element!)))
                {
                    documented.WriteTo(json);
                }
                else
                {
                    json.WriteStartObject();
                    json.WriteEndObject();
                }

                break;
            case CatalogKind.Array:
                json.WriteStartArray();
                if (type.Element!.Kind is CatalogKind.Object or CatalogKind.Array or CatalogKind.Map)
                {
                    WriteValue(json, type.Element, field with { Example = null });
                }
                else if (field.Example is { } text && Parse(text) is { ValueKind: JsonValueKind.Array } array && array.EnumerateArray().All(item => Fits(item, type.Element)))
                {
                    foreach (var item in array.EnumerateArray())
                    {
                        item.WriteTo(json);
                    }
                }
                else
                {
                    WriteValue(json, type.Element, field);
                }

                json.WriteEndArray();
                break;
        }
    }

    private static bool Fits(JsonElement item, CatalogType type) => type.Kind switch
    {
        CatalogKind.String => item.ValueKind == JsonValueKind.String,
        CatalogKind.Integer => item.ValueKind == JsonValueKind.Number && item.TryGetInt64(out _),
        CatalogKind.Number => item.ValueKind == JsonValueKind.Number,
        CatalogKind.Boolean => item.ValueKind is JsonValueKind.True or JsonValueKind.False,
        _ => true,
    };

    private static long? Integer(string text)
        => long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value) ? value : null;

    private static double? Number(string text)
        => double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && double.IsFinite(value) ? value : null;

    private static bool? Boolean(string text) => bool.TryParse(text, out var value) ? value : null;

    private static JsonElement? Parse(string text)
    {
        try
        {
            using var document = JsonDocument.Parse(text);
            return document.RootElement.Clone();
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
