using System.Globalization;
using System.Text.Json;

namespace Dataphin.OpenApi.OpenLineage.AspNetCore;

/// <summary>
/// Checks an event's JSON before it is read, so that a refusal names the field and the rule
/// (<c>eventTime is missing</c>, <c>outputs[0].namespace is empty</c>). Checks what the OpenLineage spec requires
/// of a RunEvent or JobEvent and what lineage needs; other properties and facets are not looked at.
/// </summary>
internal static class OpenLineageEventValidator
{
    private static readonly string[] EventTypes = ["START", "RUNNING", "COMPLETE", "ABORT", "FAIL", "OTHER"];

    /// <summary>Whether the element is a DatasetEvent (a dataset and no job): accepted, but it has no lineage.</summary>
    public static bool IsDatasetEvent(JsonElement e)
        => e.ValueKind == JsonValueKind.Object && e.TryGetProperty("dataset", out _) && !e.TryGetProperty("job", out _);

    /// <summary>Adds every problem of the event to <paramref name="problems"/> as (field, message); <paramref name="prefix"/> is the event's place in an array (e.g. <c>[2].</c>) or empty.</summary>
    public static void Validate(JsonElement e, string prefix, List<KeyValuePair<string, string>> problems)
    {
        if (e.ValueKind != JsonValueKind.Object)
        {
            Add(problems, prefix.Length == 0 ? "event" : prefix.TrimEnd('.'), $"{(prefix.Length == 0 ? "the event" : prefix.TrimEnd('.'))} is not a JSON object (it is {Describe(e.ValueKind)})");
            return;
        }

        if (RequiredString(e, "eventTime", prefix, problems) is { } time
            && !DateTimeOffset.TryParse(time, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out _))
        {
            Add(problems, prefix + "eventTime", $"{prefix}eventTime '{Shorten(time)}' is not an ISO 8601 time such as 2025-01-01T02:00:00.000Z");
        }

        var hasType = e.TryGetProperty("eventType", out var type) && type.ValueKind != JsonValueKind.Null;
        if (hasType)
        {
            if (type.ValueKind != JsonValueKind.String)
            {
                Add(problems, prefix + "eventType", $"{prefix}eventType is not a string (it is {Describe(type.ValueKind)})");
            }
            else if (!EventTypes.Contains(type.GetString()!, StringComparer.OrdinalIgnoreCase))
            {
                Add(problems, prefix + "eventType", $"{prefix}eventType '{Shorten(type.GetString()!)}' is not one of START, RUNNING, COMPLETE, ABORT, FAIL, OTHER");
            }
        }

        // A RunEvent has a run with an id; a JobEvent (no eventType) may have neither.
        if (RequiredObject(e, "run", prefix, problems, required: hasType) is { } run)
        {
            RequiredString(run, "runId", prefix + "run.", problems);
        }

        if (RequiredObject(e, "job", prefix, problems, required: true) is { } job)
        {
            RequiredString(job, "namespace", prefix + "job.", problems);
            RequiredString(job, "name", prefix + "job.", problems);
        }

        Datasets(e, "inputs", prefix, problems);
        Datasets(e, "outputs", prefix, problems);
    }

    private static void Datasets(JsonElement e, string property, string prefix, List<KeyValuePair<string, string>> problems)
    {
        if (!e.TryGetProperty(property, out var list) || list.ValueKind == JsonValueKind.Null)
        {
            return;
        }

        if (list.ValueKind != JsonValueKind.Array)
        {
            Add(problems, prefix + property, $"{prefix}{property} is not an array (it is {Describe(list.ValueKind)})");
            return;
        }

        var i = 0;
        foreach (var dataset in list.EnumerateArray())
        {
            var at = $"{prefix}{property}[{i++}]";
            if (dataset.ValueKind != JsonValueKind.Object)
            {
                Add(problems, at, $"{at} is not a JSON object (it is {Describe(dataset.ValueKind)})");
                continue;
            }

            RequiredString(dataset, "namespace", at + ".", problems);
            RequiredString(dataset, "name", at + ".", problems);
            if (dataset.TryGetProperty("facets", out var facets) && facets.ValueKind == JsonValueKind.Object
                && facets.TryGetProperty("columnLineage", out var columns) && columns.ValueKind == JsonValueKind.Object
                && columns.TryGetProperty("fields", out var fields))
            {
                ColumnLineage(fields, at + ".facets.columnLineage.fields", problems);
            }
        }
    }

    private static void ColumnLineage(JsonElement fields, string at, List<KeyValuePair<string, string>> problems)
    {
        if (fields.ValueKind != JsonValueKind.Object)
        {
            Add(problems, at, $"{at} is not a JSON object (it is {Describe(fields.ValueKind)})");
            return;
        }

        foreach (var field in fields.EnumerateObject())
        {
            var fieldAt = $"{at}.{field.Name}";
            if (field.Name.Trim().Length == 0)
            {
                Add(problems, fieldAt, $"{at} has a field with an empty name");
            }

            if (field.Value.ValueKind != JsonValueKind.Object)
            {
                Add(problems, fieldAt, $"{fieldAt} is not a JSON object (it is {Describe(field.Value.ValueKind)})");
                continue;
            }

            if (!field.Value.TryGetProperty("inputFields", out var inputs) || inputs.ValueKind == JsonValueKind.Null)
            {
                continue;
            }

            if (inputs.ValueKind != JsonValueKind.Array)
            {
                Add(problems, fieldAt + ".inputFields", $"{fieldAt}.inputFields is not an array (it is {Describe(inputs.ValueKind)})");
                continue;
            }

            var i = 0;
            foreach (var input in inputs.EnumerateArray())
            {
                var inputAt = $"{fieldAt}.inputFields[{i++}]";
                if (input.ValueKind != JsonValueKind.Object)
                {
                    Add(problems, inputAt, $"{inputAt} is not a JSON object (it is {Describe(input.ValueKind)})");
                    continue;
                }

                RequiredString(input, "namespace", inputAt + ".", problems);
                RequiredString(input, "name", inputAt + ".", problems);
                RequiredString(input, "field", inputAt + ".", problems);
            }
        }
    }

    private static JsonElement? RequiredObject(JsonElement e, string property, string prefix, List<KeyValuePair<string, string>> problems, bool required)
    {
        if (!e.TryGetProperty(property, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            if (required)
            {
                Add(problems, prefix + property, $"{prefix}{property} is missing");
            }

            return null;
        }

        if (value.ValueKind != JsonValueKind.Object)
        {
            Add(problems, prefix + property, $"{prefix}{property} is not a JSON object (it is {Describe(value.ValueKind)})");
            return null;
        }

        return value;
    }

    private static string? RequiredString(JsonElement e, string property, string prefix, List<KeyValuePair<string, string>> problems)
    {
        var field = prefix + property;
        if (!e.TryGetProperty(property, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            Add(problems, field, $"{field} is missing");
            return null;
        }

        if (value.ValueKind != JsonValueKind.String)
        {
            Add(problems, field, $"{field} is not a string (it is {Describe(value.ValueKind)})");
            return null;
        }

        var text = value.GetString()!;
        if (text.Trim().Length == 0)
        {
            Add(problems, field, $"{field} is empty");
            return null;
        }

        return text;
    }

    private static void Add(List<KeyValuePair<string, string>> problems, string field, string message) => problems.Add(new(field, message));

    private static string Describe(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        _ => "null",
    };

    private static string Shorten(string text) => text.Length <= 60 ? text : text[..60] + "...";
}
