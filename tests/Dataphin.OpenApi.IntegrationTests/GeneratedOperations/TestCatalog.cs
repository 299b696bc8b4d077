using System.Text.Json;
using Dataphin.OpenApi.IntegrationTests.Support;

namespace Dataphin.OpenApi.IntegrationTests.GeneratedOperations;

/// <summary>A field of eng/operations.json as the tests read it (their own reader: neither the generator's nor the emulator's).</summary>
internal sealed record TestField(string Name, string Type, bool Required, string? Example, IReadOnlyList<string> Values, IReadOnlyList<TestField> Fields)
{
    public IEnumerable<string> Candidates => Example is null ? Values : Values.Prepend(Example);

    /// <summary>The element type of an <c>array&lt;T&gt;</c>, or the value type of a <c>map&lt;string,T&gt;</c>; otherwise null.</summary>
    public string? Inner => Type.StartsWith("array<", StringComparison.Ordinal) ? Type["array<".Length..^1]
        : Type.StartsWith("map<string,", StringComparison.Ordinal) ? Type["map<string,".Length..^1]
        : null;
}

internal sealed record TestOperation(string Name, IReadOnlySet<string> Query, IReadOnlySet<string> Body, IReadOnlyList<TestField> Request, IReadOnlyList<TestField> Response);

/// <summary>eng/operations.json, read once with JsonDocument.</summary>
internal static class TestCatalog
{
    private static readonly Lazy<IReadOnlyDictionary<string, TestOperation>> Loaded = new(Load);

    public static IReadOnlyDictionary<string, TestOperation> Operations => Loaded.Value;

    public static TheoryData<string> Names()
    {
        var data = new TheoryData<string>();
        foreach (var name in Operations.Keys.Order(StringComparer.Ordinal))
        {
            data.Add(name);
        }

        return data;
    }

    private static IReadOnlyDictionary<string, TestOperation> Load()
    {
        using var document = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(RepositoryPaths.Root, "eng", "operations.json")));
        return document.RootElement.GetProperty("operations").EnumerateArray().Select(op => new TestOperation(
                op.GetProperty("name").GetString()!,
                op.GetProperty("query").EnumerateArray().Select(f => f.GetProperty("name").GetString()!).ToHashSet(StringComparer.Ordinal),
                op.GetProperty("body").EnumerateArray().Select(f => f.GetProperty("name").GetString()!).ToHashSet(StringComparer.Ordinal),
                Fields(op.GetProperty("request")),
                Fields(op.GetProperty("response"))))
            .ToDictionary(o => o.Name, StringComparer.Ordinal);
    }

    private static List<TestField> Fields(JsonElement list) => list.EnumerateArray().Select(f => new TestField(
            f.GetProperty("name").GetString()!,
            f.GetProperty("type").GetString()!,
            f.GetProperty("required").GetBoolean(),
            f.TryGetProperty("example", out var example) ? example.GetString() : null,
            (f.TryGetProperty("enum", out var values) || f.TryGetProperty("exampleValues", out values)) ? values.EnumerateArray().Select(v => v.GetString()!).ToList() : [],
            f.TryGetProperty("fields", out var fields) ? Fields(fields) : []))
        .ToList();
}
