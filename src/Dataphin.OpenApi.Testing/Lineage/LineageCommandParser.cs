using System.Text.Json;
using System.Text.Json.Nodes;
using Dataphin.OpenApi.Testing.Protocol;

namespace Dataphin.OpenApi.Testing.Lineage;

/// <summary>Reads a lineage command's JSON and applies the documented server-side rules (lineage-api.md).</summary>
internal static class LineageCommandParser
{
    public const int MaxFieldLineagesPerCall = 100;

    private static readonly HashSet<string> SubTypes = new(StringComparer.Ordinal)
    {
        "PHYSICAL_TABLE", "PHYSICAL_VIEW", "PHYSICAL_MATERIALIZED_VIEW", "DATASOURCE_TABLE", "DATASOURCE_VIEW",
        "DATASOURCE_MATERIALIZED_VIEW", "DIM_NORMAL", "DIM_LEVEL", "DIM_ENUM", "DIM_VIRTUAL", "FACT_EVENT",
        "FACT_PROCESS", "FACT_SNAPSHOT", "SUM_BIZ_UNIT",
    };

    public static ServiceError? Parse(string fieldName, string? json, out ParsedLineageCommand? command)
    {
        command = null;
        if (string.IsNullOrWhiteSpace(json))
        {
            return ServiceError.MissingParameter(fieldName);
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json);
        }
        catch (JsonException e)
        {
            return ServiceError.InvalidParameter($"{fieldName} is not valid JSON: {e.Message}");
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return ServiceError.InvalidParameter($"{fieldName} must be a JSON object.");
            }

            var errors = new List<string>();
            var source = Reference(root, "Source", fieldName + ".Source", isField: false, errors);
            var target = Reference(root, "Target", fieldName + ".Target", isField: false, errors);
            var fields = new List<(RegisteredReference, RegisteredReference, bool)>();
            if (root.TryGetProperty("DetailedLineages", out var lineages) && lineages.ValueKind != JsonValueKind.Null)
            {
                if (lineages.ValueKind != JsonValueKind.Array)
                {
                    errors.Add($"{fieldName}.DetailedLineages must be an array.");
                }
                else if (lineages.GetArrayLength() > MaxFieldLineagesPerCall)
                {
                    errors.Add($"{fieldName}.DetailedLineages has {lineages.GetArrayLength()} entries; at most {MaxFieldLineagesPerCall} field lineages are allowed per call.");
                }
                else
                {
                    var i = 0;
                    foreach (var lineage in lineages.EnumerateArray())
                    {
                        var path = $"{fieldName}.DetailedLineages[{i++}]";
                        if (lineage.ValueKind != JsonValueKind.Object)
                        {
                            errors.Add($"{path} must be an object with Source and Target.");
                            continue;
                        }

                        var s = Reference(lineage, "Source", path + ".Source", isField: true, errors);
                        var t = Reference(lineage, "Target", path + ".Target", isField: true, errors);
                        var isDirect = Bool(lineage, "IsDirect", path + ".IsDirect", errors) ?? true;
                        if (s is not null && t is not null)
                        {
                            fields.Add((s, t, isDirect));
                        }
                    }
                }
            }

            JsonObject? relation = null;
            if (root.TryGetProperty("RelationProperties", out var properties) && properties.ValueKind != JsonValueKind.Null)
            {
                if (properties.ValueKind != JsonValueKind.Object)
                {
                    errors.Add($"{fieldName}.RelationProperties must be a JSON object.");
                }
                else
                {
                    relation = JsonNode.Parse(properties.GetRawText())!.AsObject();
                }
            }

            var cascade = Bool(root, "CascadeDeleteLineage", fieldName + ".CascadeDeleteLineage", errors) ?? true;
            if (root.TryGetProperty("TenantId", out var tenant) && tenant.ValueKind != JsonValueKind.Null
                && !(tenant.ValueKind == JsonValueKind.Number && tenant.TryGetInt64(out var t64) && t64 > 0))
            {
                errors.Add($"{fieldName}.TenantId must be a positive integer.");
            }

            if (errors.Count > 0)
            {
                return ServiceError.InvalidParameter(string.Join(" ", errors));
            }

            command = new ParsedLineageCommand(source!, target!, fields, relation, cascade);
            return null;
        }
    }

    private static RegisteredReference? Reference(JsonElement parent, string name, string path, bool isField, List<string> errors)
    {
        if (!parent.TryGetProperty(name, out var json) || json.ValueKind == JsonValueKind.Null)
        {
            errors.Add($"{path} is mandatory.");
            return null;
        }

        if (json.ValueKind != JsonValueKind.Object)
        {
            errors.Add($"{path} must be an object.");
            return null;
        }

        var reference = RegisteredReference.From(json);
        var count = errors.Count;
        if (reference.ReferenceType is not ("BY_GUID" or "BY_PROPERTY"))
        {
            errors.Add(reference.ReferenceType is null
                ? $"{path}.ReferenceType is mandatory (BY_GUID or BY_PROPERTY)."
                : $"{path}.ReferenceType '{reference.ReferenceType}' is not BY_GUID or BY_PROPERTY.");
        }

        if (string.IsNullOrWhiteSpace(reference.MetadataType))
        {
            errors.Add($"{path}.MetadataType is mandatory.");
        }

        if (reference.ReferenceType == "BY_GUID" && string.IsNullOrWhiteSpace(reference.Guid))
        {
            errors.Add($"{path}.Guid is mandatory when ReferenceType is BY_GUID.");
        }

        if (reference.ReferenceType == "BY_PROPERTY" && string.IsNullOrWhiteSpace(reference.Name))
        {
            errors.Add($"{path}.Name is mandatory when ReferenceType is BY_PROPERTY.");
        }

        if (reference.MetadataSubType is { } subType)
        {
            if (isField || reference.MetadataType != "TABLE" || reference.ReferenceType == "BY_GUID")
            {
                errors.Add($"{path}.MetadataSubType is only allowed on a TABLE referenced BY_PROPERTY.");
            }
            else if (!SubTypes.Contains(subType))
            {
                errors.Add($"{path}.MetadataSubType '{subType}' is not a known sub-type.");
            }
        }

        return errors.Count == count ? reference : null;
    }

    private static bool? Bool(JsonElement parent, string name, string path, List<string> errors)
    {
        if (!parent.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (value.ValueKind is JsonValueKind.True or JsonValueKind.False)
        {
            return value.GetBoolean();
        }

        errors.Add($"{path} must be true or false.");
        return null;
    }
}
