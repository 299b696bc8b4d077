using System.Text.Json;

namespace Dataphin.OpenApi.Generator.Model;

/// <summary>
/// Reads one JSON object of an input file and refuses keys it was not asked about, so that something new in the file
/// (a field the generator would otherwise drop) stops generation with a clear message instead of being ignored, and so
/// does a key given twice.
/// </summary>
internal sealed class StrictJsonObject
{
    private readonly JsonElement _element;
    private readonly string _where;
    private readonly HashSet<string> _read = new(StringComparer.Ordinal);

    /// <param name="element">The object.</param>
    /// <param name="where">Where it is, for messages: the file and the path inside it.</param>
    public StrictJsonObject(JsonElement element, string where)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            throw new GeneratorInputException($"{where}: must be a JSON object.");
        }

        var keys = new HashSet<string>(StringComparer.Ordinal);
        foreach (var property in element.EnumerateObject())
        {
            if (!keys.Add(property.Name))
            {
                throw new GeneratorInputException($"{where}: '{property.Name}' appears twice.");
            }
        }

        _element = element;
        _where = where;
    }

    public string Where => _where;

    public string RequiredString(string key)
        => OptionalString(key) ?? throw new GeneratorInputException($"{_where}: '{key}' is required and must be a string.");

    public string? OptionalString(string key)
    {
        if (!TryGet(key, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        return value.ValueKind == JsonValueKind.String
            ? value.GetString()!
            : throw new GeneratorInputException($"{_where}: '{key}' must be a string or null.");
    }

    public bool RequiredBool(string key)
        => OptionalBool(key) ?? throw new GeneratorInputException($"{_where}: '{key}' is required and must be true or false.");

    public bool? OptionalBool(string key)
    {
        if (!TryGet(key, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        return value.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => throw new GeneratorInputException($"{_where}: '{key}' must be true or false."),
        };
    }

    public int? OptionalInt32(string key)
    {
        if (!TryGet(key, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        return value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var number)
            ? number
            : throw new GeneratorInputException($"{_where}: '{key}' must be a whole number or null.");
    }

    public IReadOnlyList<string>? OptionalStringArray(string key)
    {
        if (!TryGet(key, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.Array)
        {
            throw new GeneratorInputException($"{_where}: '{key}' must be a list of strings.");
        }

        var items = new List<string>();
        foreach (var item in value.EnumerateArray())
        {
            items.Add(item.ValueKind == JsonValueKind.String
                ? item.GetString()!
                : throw new GeneratorInputException($"{_where}: '{key}' must be a list of strings."));
        }

        return items;
    }

    /// <summary>The objects of an array-valued key (an empty list when the key is absent).</summary>
    public IEnumerable<JsonElement> OptionalArray(string key)
    {
        if (!TryGet(key, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return [];
        }

        return value.ValueKind == JsonValueKind.Array
            ? value.EnumerateArray()
            : throw new GeneratorInputException($"{_where}: '{key}' must be a list.");
    }

    public IEnumerable<JsonElement> RequiredArray(string key)
        => TryGet(key, out _)
            ? OptionalArray(key)
            : throw new GeneratorInputException($"{_where}: '{key}' is required and must be a list.");

    public JsonElement RequiredObject(string key)
        => TryGet(key, out var value) && value.ValueKind == JsonValueKind.Object
            ? value
            : throw new GeneratorInputException($"{_where}: '{key}' is required and must be a JSON object.");

    /// <summary>Accepts a key whose content no emitter needs (documentation for people).</summary>
    public void Allow(string key) => _read.Add(key);

    /// <summary>Fails when the object has a key that was not read or allowed.</summary>
    public void EnsureNoOtherKeys()
    {
        foreach (var property in _element.EnumerateObject())
        {
            if (!_read.Contains(property.Name))
            {
                throw new GeneratorInputException(
                    $"{_where}: '{property.Name}' is not a key the generator knows; teach eng/Dataphin.OpenApi.Generator to read it rather than have it ignored.");
            }
        }
    }

    private bool TryGet(string key, out JsonElement value)
    {
        _read.Add(key);
        return _element.TryGetProperty(key, out value);
    }
}
