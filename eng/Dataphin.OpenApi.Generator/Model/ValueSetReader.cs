using System.Xml;
using System.Xml.Linq;

namespace Dataphin.OpenApi.Generator.Model;

/// <summary>
/// Reads <c>eng/value-sets.json</c> and checks every set against the API model: the wire texts must be the values the
/// referenced fields of <c>operations.json</c> document, so that the structs cannot drift from the API description.
/// </summary>
internal static class ValueSetReader
{
    /// <summary>Members every value-set struct has; a value's property may not take one of these names.</summary>
    private static readonly HashSet<string> ReservedMembers = new(StringComparer.Ordinal)
    {
        "KnownValues", "IsDefault", "IsKnown", "Value", "Equals", "GetHashCode", "ToString", "GetType", "MemberwiseClone",
    };

    public static IReadOnlyList<ValueSetModel> Read(string json, string file, ApiModel api)
    {
        using var document = ApiModelReader.Parse(json, file);
        var root = new StrictJsonObject(document.RootElement, file);
        root.Allow("$comment");
        var sets = new List<ValueSetModel>();
        var names = new HashSet<string>(StringComparer.Ordinal);
        var index = 0;
        foreach (var element in root.RequiredArray("valueSets"))
        {
            var set = ReadSet(element, file, index, api);
            if (!names.Add(set.Name))
            {
                throw new GeneratorInputException($"{file}: value set '{set.Name}' appears twice.");
            }

            sets.Add(set);
            index++;
        }

        root.EnsureNoOtherKeys();
        return sets;
    }

    private static ValueSetModel ReadSet(System.Text.Json.JsonElement element, string file, int index, ApiModel api)
    {
        var name = new StrictJsonObject(element, $"{file}: value set #{index + 1}").RequiredString("name");
        var s = new StrictJsonObject(element, $"{file}: value set '{name}'");
        s.RequiredString("name");
        if (!IsCSharpIdentifier(name))
        {
            throw new GeneratorInputException($"{s.Where}: name is not a C# identifier (letters, digits and '_', not starting with a digit).");
        }

        var ns = s.RequiredString("namespace");
        if (ns.Split('.').Any(part => !IsCSharpIdentifier(part)))
        {
            throw new GeneratorInputException($"{s.Where}: namespace '{ns}' is not a dotted list of C# identifiers.");
        }

        var directory = s.RequiredString("directory");
        if (!directory.StartsWith("src/", StringComparison.Ordinal) || directory.Split('/').Any(p => p is "" or "." or "..") || directory.Contains('\\'))
        {
            throw new GeneratorInputException($"{s.Where}: directory '{directory}' must be a folder under src/, written with '/' and without '..'.");
        }

        var summary = Doc(s, "summary");
        var remarks = Doc(s, "remarks");
        var valuesFrom = s.RequiredString("valuesFrom");

        var checkedAgainst = new List<FieldReference>();
        foreach (var reference in s.RequiredArray("checkedAgainst"))
        {
            var r = new StrictJsonObject(reference, $"{s.Where}, checkedAgainst #{checkedAgainst.Count + 1}");
            checkedAgainst.Add(new FieldReference(r.RequiredString("operation"), r.RequiredString("part"), r.RequiredString("field")));
            r.EnsureNoOtherKeys();
        }

        if (checkedAgainst.Count == 0)
        {
            throw new GeneratorInputException($"{s.Where}: checkedAgainst is empty; name at least one field of operations.json that documents these values.");
        }

        var values = new List<ValueSetValue>();
        foreach (var valueElement in s.RequiredArray("values"))
        {
            var v = new StrictJsonObject(valueElement, $"{s.Where}, value #{values.Count + 1}");
            var value = new ValueSetValue(v.RequiredString("wire"), v.RequiredString("property"), Doc(v, "doc"));
            v.EnsureNoOtherKeys();
            var where = $"{s.Where}, value '{value.Wire}'";
            if (value.Wire.Length == 0 || value.Wire.Any(char.IsControl))
            {
                throw new GeneratorInputException($"{where}: wire text must be non-empty and free of control characters.");
            }

            if (!IsCSharpIdentifier(value.Property) || ReservedMembers.Contains(value.Property) || value.Property == name)
            {
                throw new GeneratorInputException($"{where}: property '{value.Property}' is not a C# identifier or collides with a member every value set has.");
            }

            if (values.Any(other => other.Wire == value.Wire))
            {
                throw new GeneratorInputException($"{where}: the wire text appears twice.");
            }

            if (values.Any(other => other.Property == value.Property))
            {
                throw new GeneratorInputException($"{where}: property '{value.Property}' appears twice.");
            }

            values.Add(value);
        }

        s.EnsureNoOtherKeys();
        if (values.Count == 0)
        {
            throw new GeneratorInputException($"{s.Where}: values is empty.");
        }

        var set = new ValueSetModel(name, ns, directory, summary, remarks, valuesFrom, checkedAgainst, values);
        CheckAgainstApi(set, s.Where, api);
        return set;
    }

    /// <summary>
    /// Each referenced field must exist. Where it enumerates its values (an enum, or else a list of example values), the
    /// set's wire texts must be exactly those, in that order; where it gives one example, the example must be a value of
    /// the set.
    /// </summary>
    private static void CheckAgainstApi(ValueSetModel set, string where, ApiModel api)
    {
        var wire = set.Values.Select(v => v.Wire).ToList();
        foreach (var reference in set.CheckedAgainst)
        {
            var field = reference.Resolve(api)
                ?? throw new GeneratorInputException($"{where}: checkedAgainst names '{reference}', which is not a field of operations.json.");
            if (field.DocumentedValues is { } documented)
            {
                if (!documented.SequenceEqual(wire, StringComparer.Ordinal))
                {
                    var missing = documented.Except(wire, StringComparer.Ordinal).ToList();
                    var extra = wire.Except(documented, StringComparer.Ordinal).ToList();
                    var detail = missing.Count == 0 && extra.Count == 0
                        ? "the same values in another order"
                        : string.Join("; ", new[]
                        {
                            missing.Count > 0 ? "missing " + string.Join(", ", missing) : null,
                            extra.Count > 0 ? "not documented there: " + string.Join(", ", extra) : null,
                        }.Where(t => t is not null));
                    throw new GeneratorInputException(
                        $"{where}: the values disagree with {reference} in operations.json ({detail}); it documents {string.Join(", ", documented)}.");
                }
            }
            else if (field.Example is { } example)
            {
                if (!wire.Contains(example, StringComparer.Ordinal))
                {
                    throw new GeneratorInputException($"{where}: {reference} in operations.json gives the example '{example}', which is not a value of the set.");
                }
            }
            else
            {
                throw new GeneratorInputException($"{where}: {reference} in operations.json documents no values or example to check against.");
            }
        }
    }

    private static string Doc(StrictJsonObject o, string key)
    {
        var text = o.RequiredString(key);
        if (string.IsNullOrWhiteSpace(text) || text.Contains('\n') || text.Contains('\r'))
        {
            throw new GeneratorInputException($"{o.Where}: '{key}' must be one line of text.");
        }

        try
        {
            XElement.Parse("<doc>" + text + "</doc>");
        }
        catch (XmlException)
        {
            throw new GeneratorInputException($"{o.Where}: '{key}' is not well-formed XML documentation text (escape & as &amp; and < as &lt;).");
        }

        return text;
    }

    private static bool IsCSharpIdentifier(string text)
        => text.Length > 0
            && (char.IsLetter(text[0]) || text[0] == '_')
            && text.All(c => char.IsLetterOrDigit(c) || c == '_');
}
