using System.Text.Json;
using Dataphin.OpenApi.IntegrationTests.Support;
using Dataphin.OpenApi.Testing;
using Dataphin.OpenApi.Testing.Operations;
using Xunit.Abstractions;

namespace Dataphin.OpenApi.IntegrationTests;

public sealed class OperationCatalogTests(ITestOutputHelper output)
{
    [Fact]
    public void The_emulator_knows_all_338_operations_with_the_documented_levels()
    {
        Assert.Equal(338, DataphinEmulator.Operations.Count);
        Assert.Equal(2, DataphinEmulator.Operations["AddRegisterLineage"]);
        Assert.Equal(2, DataphinEmulator.Operations["DeleteRegisterLineage"]);
        Assert.Equal(3, DataphinEmulator.Operations["GetTableLineages"]);
        Assert.All(DataphinEmulator.Operations.Values, level => Assert.InRange(level, 1, 3));
    }

    /// <summary>The catalog the emulator reads from its embedded eng/operations.json matches ../shared/reference/operations.json.</summary>
    [Fact]
    public void The_embedded_catalog_matches_the_reference_operations_json()
    {
        var reference = Path.Combine(RepositoryPaths.Root, "..", "shared", "reference", "operations.json");
        if (!File.Exists(reference))
        {
            Assert.False(RepositoryPaths.OnCi, $"CI must have the reference beside the repository: {reference} is missing.");
            output.WriteLine($"Not checked: {reference} is not present outside CI.");
            return;
        }

        using var document = JsonDocument.Parse(File.ReadAllText(reference));
        var expected = document.RootElement.GetProperty("operations").EnumerateArray().ToDictionary(
            op => op.GetProperty("name").GetString()!,
            op => op.GetProperty("level").ValueKind == JsonValueKind.Null ? 3 : op.GetProperty("level").GetInt32());

        Assert.Equal(expected.OrderBy(p => p.Key, StringComparer.Ordinal), DataphinEmulator.Operations.OrderBy(p => p.Key, StringComparer.Ordinal));
    }

    [Fact]
    public void The_emulator_reads_name_and_level_and_takes_an_undocumented_level_as_level_3()
    {
        var levels = OperationCatalog.Parse("""
            {"product":"dataphin-public","apiVersion":"2023-06-30","note":{"nested":[1,{"level":1}]},
             "operations":[
               {"name":"GetThing","level":1,"request":[{"name":"level","type":"int32"}],"response":[]},
               {"response":[{"name":"name","type":"string"}],"level":null,"name":"CreateThing"}]}
            """u8);

        Assert.Equal([new("CreateThing", 3), new KeyValuePair<string, int>("GetThing", 1)], levels.OrderBy(p => p.Key, StringComparer.Ordinal));
    }

    [Theory]
    [InlineData("""{"apiVersion":"2024-01-01","operations":[{"name":"A","level":1}]}""", "API version '2024-01-01'")]
    [InlineData("""{"operations":[{"name":"A","level":1}]}""", "API version ''")]
    [InlineData("""{"apiVersion":"2023-06-30","operations":[{"name":"A","level":1},{"name":"A","level":2}]}""", "'A' appears twice")]
    [InlineData("""{"apiVersion":"2023-06-30","operations":[{"name":"A","level":4}]}""", "not 1, 2, 3 or null")]
    [InlineData("""{"apiVersion":"2023-06-30","operations":[{"name":"A"}]}""", "('A') lacks its name or level")]
    [InlineData("""{"apiVersion":"2023-06-30","operations":[]}""", "lists no operation")]
    [InlineData("""{"apiVersion":"2023-06-30","operations":[{"name":"A","level":1}""", "not valid JSON")]
    [InlineData("""{"apiVersion":"2023-06-30","operations":{"name":"A","level":1}}""", "'operations' is not a list")]
    [InlineData("""{"apiVersion":"2023-06-30","operations":[{"name":"A","level":1},"B"]}""", "is not a JSON object")]
    public void A_broken_catalog_is_refused_with_what_is_wrong(string json, string problem)
    {
        var error = Assert.Throws<InvalidOperationException>(() => OperationCatalog.Parse(System.Text.Encoding.UTF8.GetBytes(json)));
        Assert.Contains("eng/operations.json", error.Message, StringComparison.Ordinal);
        Assert.Contains(problem, error.Message, StringComparison.Ordinal);
    }
}
