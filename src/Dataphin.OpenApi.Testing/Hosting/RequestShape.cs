using System.Globalization;
using System.Text.Json;
using Dataphin.OpenApi.Testing.Operations;
using Dataphin.OpenApi.Testing.Protocol;

namespace Dataphin.OpenApi.Testing.Hosting;

/// <summary>
/// Checks a call against its operation's request tree, as the service's gateway checks declared parameters: every
/// required parameter present (<c>Missing&lt;Name&gt;</c>), every scalar of its type, every JSON form field valid JSON of
/// the documented shape with its required members present (<c>InvalidParameter</c>, naming the path). Parameters and
/// members the catalog does not declare are ignored, as the gateway ignores them; the request log still shows them.
/// </summary>
internal static class RequestShape
{
    private const string Tenant = "OpTenantId";

    /// <summary>Returns the first problem of the call, or <see langword="null"/> when its shape is what the catalog documents.</summary>
    public static ServiceError? Check(CatalogOperation operation, ActionCall call)
    {
        foreach (var parameter in operation.Request)
        {
            if (parameter.Name == Tenant)
            {
                continue;
            }

            var inQuery = operation.QueryNames.Contains(parameter.Name);
            var value = inQuery ? call.QueryParameter(parameter.Name) : call.FormField(parameter.Name);
            if (string.IsNullOrEmpty(value))
            {
                if (parameter.Required)
                {
                    return ServiceError.MissingParameter(parameter.Name);
                }

                continue;
            }

            var problem = operation.JsonBodyNames.Contains(parameter.Name) || parameter.Type.Kind is CatalogKind.Object or CatalogKind.Array or CatalogKind.Map
                ? CheckJson(parameter, value)
                : CheckText(parameter.Type.Kind, value, parameter.Name);
            if (problem is not null)
            {
                return ServiceError.InvalidParameter(problem);
            }
        }

        return null;
    }

    private static string? CheckText(CatalogKind kind, string value, string path) => kind switch
    {
        CatalogKind.Integer when !long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _)
            => $"{path} '{value}' is not an integer.",
        CatalogKind.Number when !double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out _)
            => $"{path} '{value}' is not a number.",
        CatalogKind.Boolean when !bool.TryParse(value, out _)
            => $"{path} '{value}' is not true or false.",
        _ => null,
    };

    private static string? CheckJson(CatalogField parameter, string text)
    {
        try
        {
            using var document = JsonDocument.Parse(text);
            return CheckValue(document.RootElement, parameter.Type, parameter.Fields, parameter.Name);
        }
        catch (JsonException e)
        {
            return $"{parameter.Name} is not valid JSON: {e.Message}";
        }
    }

    private static string? CheckValue(JsonElement value, CatalogType type, IReadOnlyList<CatalogField> fields, string path)
    {
        switch (type.Kind)
        {
            case CatalogKind.Any:
                return null;
            case CatalogKind.String:
                return value.ValueKind == JsonValueKind.String ? null : Expected(path, "a string", value);
            case CatalogKind.Integer:
                return value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out _) ? null : Expected(path, "an integer", value);
            case CatalogKind.Number:
                return value.ValueKind == JsonValueKind.Number ? null : Expected(path, "a number", value);
            case CatalogKind.Boolean:
                return value.ValueKind is JsonValueKind.True or JsonValueKind.False ? null : Expected(path, "true or false", value);
            case CatalogKind.Array:
                if (value.ValueKind != JsonValueKind.Array)
                {
                    return Expected(path, "an array", value);
                }

                var index = 0;
                foreach (var item in value.EnumerateArray())
                {
                    if (CheckValue(item, type.Element!, fields, $"{path}[{index++}]") is { } problem)
                    {
                        return problem;
                    }
                }

                return null;
            case CatalogKind.Map:
                if (value.ValueKind != JsonValueKind.Object)
                {
                    return Expected(path, "an object", value);
                }

                foreach (var entry in value.EnumerateObject())
                {
                    if (entry.Value.ValueKind != JsonValueKind.Null && CheckValue(entry.Value, type.Element!, [], $"{path}.{entry.Name}") is { } problem)
                    {
                        return problem;
                    }
                }

                return null;
            default:
                return value.ValueKind == JsonValueKind.Object ? CheckObject(value, fields, path) : Expected(path, "an object", value);
        }
    }

    private static string? CheckObject(JsonElement value, IReadOnlyList<CatalogField> fields, string path)
    {
        foreach (var field in fields)
        {
            var fieldPath = path + "." + field.Name;
            if (!value.TryGetProperty(field.Name, out var member) || member.ValueKind == JsonValueKind.Null)
            {
                if (field.Required)
                {
                    return $"{fieldPath} is mandatory for this action.";
                }

                continue;
            }

            if (CheckValue(member, field.Type, field.Fields, fieldPath) is { } problem)
            {
                return problem;
            }
        }

        return null;
    }

    private static string Expected(string path, string what, JsonElement value)
        => $"{path} must be {what}; it is {value.ValueKind.ToString().ToLowerInvariant()}.";
}
