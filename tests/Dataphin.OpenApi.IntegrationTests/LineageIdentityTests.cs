using System.Text.Json;
using Dataphin.OpenApi.Testing;

namespace Dataphin.OpenApi.IntegrationTests;

/// <summary>The emulator tells references apart by every part of their identity, whatever characters the parts hold.</summary>
public sealed class LineageIdentityTests
{
    private static string Command(string catalog, string schema, string name = "t", string target = "odps.300001234.dw.b")
        => $$$"""
           {"Source":{"ReferenceType":"BY_PROPERTY","MetadataType":"TABLE","Catalog":"{{{J(catalog)}}}","Schema":"{{{J(schema)}}}","Name":"{{{J(name)}}}"},
            "Target":{"ReferenceType":"BY_GUID","MetadataType":"TABLE","Guid":"{{{J(target)}}}"}}
           """;

    private static string J(string text) => JsonEncodedText.Encode(text).ToString();

    [Theory]
    [InlineData("a|b", "c", "a", "b|c")]
    [InlineData("a", "b|c|d", "a|b", "c|d")]
    public async Task References_whose_parts_join_to_the_same_text_are_different_tables(string catalog1, string schema1, string catalog2, string schema2)
    {
        await using var emulator = await DataphinEmulator.StartAsync();
        var tenant = emulator.DefaultTenantId;

        emulator.SeedSystemLineage(tenant, Command(catalog1, schema1));
        emulator.SeedSystemLineage(tenant, Command(catalog2, schema2));

        var edges = emulator.GetLineage(tenant);
        Assert.Equal(2, edges.Count);
        Assert.Equal([(catalog1, schema1), (catalog2, schema2)], edges.Select(e => (e.Source.Catalog, e.Source.Schema)));
    }

    [Fact]
    public async Task Field_references_whose_parts_join_to_the_same_text_are_different_fields()
    {
        await using var emulator = await DataphinEmulator.StartAsync();
        var tenant = emulator.DefaultTenantId;
        const string Json = """
            {"Source":{"ReferenceType":"BY_GUID","MetadataType":"TABLE","Guid":"odps.300001234.ods.a"},
             "Target":{"ReferenceType":"BY_GUID","MetadataType":"TABLE","Guid":"odps.300001234.dw.b"},
             "DetailedLineages":[
               {"Source":{"ReferenceType":"BY_PROPERTY","MetadataType":"COLUMN","Schema":"s|x","Name":"c"},"Target":{"ReferenceType":"BY_GUID","MetadataType":"COLUMN","Guid":"odps.300001234.dw.b.c"}},
               {"Source":{"ReferenceType":"BY_PROPERTY","MetadataType":"COLUMN","Schema":"s","Env":"x|","Name":"c"},"Target":{"ReferenceType":"BY_GUID","MetadataType":"COLUMN","Guid":"odps.300001234.dw.b.c"}}]}
            """;

        emulator.SeedSystemLineage(tenant, Json);

        Assert.Equal(2, Assert.Single(emulator.GetLineage(tenant)).FieldLineages.Count);
    }

    [Fact]
    public async Task The_same_reference_in_another_case_is_still_the_same_table()
    {
        await using var emulator = await DataphinEmulator.StartAsync();
        var tenant = emulator.DefaultTenantId;

        emulator.SeedSystemLineage(tenant, Command("Dataphin", "ODS", "Orders"));
        emulator.SeedSystemLineage(tenant, Command("dataphin", "ods", "orders"));

        Assert.Single(emulator.GetLineage(tenant));
    }
}
