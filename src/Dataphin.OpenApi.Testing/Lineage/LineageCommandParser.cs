using System.Text.Json;
using System.Text.Json.Nodes;
using Dataphin.OpenApi.Testing.Protocol;

namespace Dataphin.OpenApi.Testing.Lineage;

/// <summary>
/// Reads a lineage command's JSON and applies the server-side rules, independently of the SDK's validator so that
/// each checks the other. The rules and where they come from (<c>shared/reference/lineage-api.md</c>, which cites
/// the product page and the public API model <c>operations.json</c>):
/// <list type="bullet">
/// <item><c>Source</c>, <c>Target</c>, and each field lineage's <c>Source</c> and <c>Target</c>, are required objects; at most
/// 100 field lineages per call ("more than 100 makes the call fail").</item>
/// <item><c>ReferenceType</c> is required and is exactly <c>BY_GUID</c> or <c>BY_PROPERTY</c>: the page says "Valid values:
/// BY_GUID and BY_PROPERTY" and the API model marks it <c>enum</c>. Any other value, a case variant (<c>by_guid</c>) or a
/// padded one included, is refused; a case variant still needs the <c>Guid</c> (or <c>Name</c>) it stands for.</item>
/// <item><c>MetadataType</c> is required ("Set this parameter as needed", e.g. <c>TABLE</c>, <c>COLUMN</c>): open, so an
/// unknown value is accepted, but not a blank one, nor a padded or case variant of <c>TABLE</c> or <c>COLUMN</c>.</item>
/// <item><c>MetadataSubType</c> only on a <c>TABLE</c> referenced by property and never on a field reference (the
/// page: "only when MetadataType is TABLE and ReferenceType is not BY_GUID"; field references have none). Its 14
/// values are <c>exampleValues</c>, not an <c>enum</c>, in the API model: open, like <c>Env</c> (<c>DEV</c>, <c>PROD</c>);
/// blank, padded and case-variant forms of the documented values are refused.</item>
/// <item><c>Guid</c> with <c>BY_GUID</c>, <c>Name</c> with <c>BY_PROPERTY</c>; <c>ParentGuid</c> only on field references
/// (the table-level reference has no such field).</item>
/// <item><c>TenantId</c> a positive int64, <c>UserId</c> a non-empty id; booleans are booleans.</item>
/// <item>Text: asset names and ids are matched exactly, so text with leading or trailing white space or control
/// characters is refused rather than trimmed, and every string (property names and <c>ExtProperties</c> /
/// <c>RelationProperties</c> contents included) must be valid UTF-16: an escaped unpaired surrogate
/// (<c>"\ud800"</c>) names no asset and has no UTF-8 form.</item>
/// </list>
/// </summary>
internal static class LineageCommandParser
{
    public const int MaxFieldLineagesPerCall = 100;

    private const string InvalidUtf16 = "has an unpaired UTF-16 surrogate (invalid UTF-16).";

    private static readonly string[] ReferenceTypes = ["BY_GUID", "BY_PROPERTY"];
    private static readonly string[] MetadataTypes = ["TABLE", "COLUMN"];
    private static readonly string[] Environments = ["DEV", "PROD"];

    private static readonly string[] SubTypes =
    [
        "PHYSICAL_TABLE", "PHYSICAL_VIEW", "PHYSICAL_MATERIALIZED_VIEW", "DATASOURCE_TABLE", "DATASOURCE_VIEW",
        "DATASOURCE_MATERIALIZED_VIEW", "DIM_NORMAL", "DIM_LEVEL", "DIM_ENUM", "DIM_VIRTUAL", "FACT_EVENT",
        "FACT_PROCESS", "FACT_SNAPSHOT", "SUM_BIZ_UNIT",
    ];

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
                else
                {
                    if (lineages.GetArrayLength() > MaxFieldLineagesPerCall)
                    {
                        errors.Add($"{fieldName}.DetailedLineages has {lineages.GetArrayLength()} entries; at most {MaxFieldLineagesPerCall} field lineages are allowed per call.");
                    }

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
                else if (CheckStrings(properties, fieldName + ".RelationProperties", errors))
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

            var userId = Text(root, "UserId", fieldName, errors);
            if (userId.Present && userId.Value is { } user && (user.Length == 0 || IsPaddedOrControl(user)))
            {
                errors.Add($"{fieldName}.UserId must be a non-empty id without leading or trailing white space or control characters.");
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

        var count = errors.Count;
        var referenceType = Text(json, "ReferenceType", path, errors);
        var metadataType = Text(json, "MetadataType", path, errors);
        var guid = Text(json, "Guid", path, errors);
        var assetName = Text(json, "Name", path, errors);
        var schema = Text(json, "Schema", path, errors);
        var catalog = Text(json, "Catalog", path, errors);
        var parentGuid = Text(json, "ParentGuid", path, errors);
        var env = Text(json, "Env", path, errors);
        var subType = Text(json, "MetadataSubType", path, errors);

        if (IsBlank(referenceType))
        {
            errors.Add($"{path}.ReferenceType is mandatory (BY_GUID or BY_PROPERTY).");
        }
        else if (referenceType.Value is { } value && Array.IndexOf(ReferenceTypes, value) < 0)
        {
            errors.Add($"{path}.ReferenceType '{value}' is not BY_GUID or BY_PROPERTY{CaseHint(value, ReferenceTypes)}.");
        }

        if (IsBlank(metadataType))
        {
            errors.Add($"{path}.MetadataType is mandatory.");
        }
        else
        {
            OpenValue(metadataType.Value, path + ".MetadataType", MetadataTypes, errors);
        }

        // A case or padded variant ("by_guid") is refused above, and still needs what the value it stands for needs.
        var meant = Meant(referenceType.Value, ReferenceTypes);
        if (meant == "BY_GUID" && IsBlank(guid))
        {
            errors.Add($"{path}.Guid is mandatory when ReferenceType is BY_GUID.");
        }

        if (meant == "BY_PROPERTY" && IsBlank(assetName))
        {
            errors.Add($"{path}.Name is mandatory when ReferenceType is BY_PROPERTY.");
        }

        NameText(guid, path, "Guid", errors);
        NameText(assetName, path, "Name", errors);
        NameText(schema, path, "Schema", errors);
        NameText(catalog, path, "Catalog", errors);
        NameText(parentGuid, path, "ParentGuid", errors);

        if (env.Present)
        {
            if (env.Value is { } e && string.IsNullOrWhiteSpace(e))
            {
                errors.Add($"{path}.Env is blank.");
            }
            else
            {
                OpenValue(env.Value, path + ".Env", Environments, errors);
            }
        }

        if (subType.Present)
        {
            if (isField || Meant(metadataType.Value, MetadataTypes) != "TABLE" || meant == "BY_GUID")
            {
                errors.Add($"{path}.MetadataSubType is only allowed on a TABLE referenced BY_PROPERTY.");
            }
            else if (subType.Value is { } st && string.IsNullOrWhiteSpace(st))
            {
                errors.Add($"{path}.MetadataSubType is blank.");
            }
            else
            {
                OpenValue(subType.Value, path + ".MetadataSubType", SubTypes, errors);
            }
        }

        if (!isField && parentGuid.Present)
        {
            errors.Add($"{path}.ParentGuid is only allowed on field references.");
        }

        if (json.TryGetProperty("ExtProperties", out var ext) && ext.ValueKind != JsonValueKind.Null)
        {
            CheckStrings(ext, path + ".ExtProperties", errors);
        }

        return errors.Count == count ? RegisteredReference.From(json) : null;
    }

    /// <summary>A name or id: blank is left to the rules that require it; otherwise no padding or control characters.</summary>
    private static void NameText((bool Present, string? Value) text, string path, string member, List<string> errors)
    {
        if (text.Value is { } value && !string.IsNullOrWhiteSpace(value) && IsPaddedOrControl(value))
        {
            errors.Add($"{path}.{member} has leading or trailing white space or control characters.");
        }
    }

    /// <summary>A value of an open value set: any well-formed value, but not a padded or case variant of a documented one.</summary>
    private static void OpenValue(string? value, string path, string[] known, List<string> errors)
    {
        if (value is null)
        {
            return;
        }

        if (IsPaddedOrControl(value))
        {
            errors.Add($"{path} has leading or trailing white space or control characters.");
        }
        else if (Array.IndexOf(known, value) < 0 && Meant(value, known) is { } documented)
        {
            errors.Add($"{path} '{value}' is not {documented} (values are case-sensitive).");
        }
    }

    private static string CaseHint(string value, string[] known)
        => Meant(value, known) is { } documented ? $" (values are case-sensitive and unpadded: {documented})" : string.Empty;

    /// <summary>The documented value <paramref name="value"/> stands for when trimmed and compared without case.</summary>
    private static string? Meant(string? value, string[] known)
    {
        var trimmed = value?.Trim();
        return trimmed is null ? null : Array.Find(known, k => string.Equals(k, trimmed, StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>Absent, null, empty or white space only; text that could not be read (invalid UTF-16) is not blank.</summary>
    private static bool IsBlank((bool Present, string? Value) text)
        => !text.Present || (text.Value is not null && string.IsNullOrWhiteSpace(text.Value));

    private static bool IsPaddedOrControl(string value)
        => value.Length > 0 && (char.IsWhiteSpace(value[0]) || char.IsWhiteSpace(value[^1]) || value.Any(char.IsControl));

    /// <summary>
    /// A property that should be text: absent (or null), present with its text, or present but not readable as text
    /// because it holds an unpaired surrogate (reported here; its value is then null). Non-string JSON is taken as its raw text.
    /// </summary>
    private static (bool Present, string? Value) Text(JsonElement parent, string name, string parentPath, List<string> errors)
    {
        if (!parent.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return (false, null);
        }

        if (value.ValueKind != JsonValueKind.String)
        {
            return (true, value.GetRawText());
        }

        if (TryGetString(value, out var text))
        {
            return (true, text);
        }

        errors.Add($"{parentPath}.{name} {InvalidUtf16}");
        return (true, null);
    }

    /// <summary>Reports every property name and string at any depth that is not valid UTF-16; returns whether all were valid.</summary>
    private static bool CheckStrings(JsonElement element, string path, List<string> errors)
    {
        var count = errors.Count;
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                {
                    string name;
                    try
                    {
                        name = property.Name;
                    }
                    catch (InvalidOperationException)
                    {
                        errors.Add($"{path} has a property name that {InvalidUtf16}");
                        continue;
                    }

                    CheckStrings(property.Value, path + "." + name, errors);
                }

                break;
            case JsonValueKind.Array:
                var i = 0;
                foreach (var item in element.EnumerateArray())
                {
                    CheckStrings(item, $"{path}[{i++}]", errors);
                }

                break;
            case JsonValueKind.String when !TryGetString(element, out _):
                errors.Add($"{path} {InvalidUtf16}");
                break;
        }

        return errors.Count == count;
    }

    private static bool TryGetString(JsonElement value, out string? text)
    {
        try
        {
            text = value.GetString();
            return true;
        }
        catch (InvalidOperationException)
        {
            text = null;
            return false;
        }
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
