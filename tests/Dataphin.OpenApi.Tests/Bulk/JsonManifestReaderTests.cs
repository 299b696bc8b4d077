using System.Text;
using Dataphin.OpenApi.Bulk;
using Dataphin.OpenApi.Serialization;
using static Dataphin.OpenApi.Tests.Bulk.ManifestTestFiles;

namespace Dataphin.OpenApi.Tests.Bulk;

public class JsonManifestReaderTests
{
    [Fact]
    public async Task Json_lines_sample_reads_every_item_with_its_id_and_line()
    {
        await using var file = File.OpenRead(Sample("lineage.jsonl"));
        var items = await ReadAllAsync(file, LineageManifestFormat.JsonLines);

        Assert.Equal(["orders", "users", "line 3"], items.Select(i => i.Id));
        Assert.Equal([1, 2, 3], items.Select(i => i.LineNumber));
        var users = Assert.IsType<AddRegisterLineageCommand>(items[1].Command);
        Assert.True(users.CheckAssetExist);
        Assert.Equal("nightly_user_sync", users.RelationProperties["job"]!.GetValue<string>());
        Assert.All(items, i => Assert.Empty(LineageCommandValidator.Validate(300001234, i.Command!)));
    }

    [Fact]
    public async Task Bad_json_lines_become_unreadable_items_with_their_line_and_the_good_ones_are_kept()
    {
        await using var file = File.OpenRead(Sample("lineage-with-errors.jsonl"));
        var items = await ReadAllAsync(file, LineageManifestFormat.JsonLines);

        Assert.Equal(4, items.Count);
        Assert.NotNull(items[0].Command);
        var typo = items[1];
        Assert.Null(typo.Command);
        Assert.Equal("typo", typo.Id);
        Assert.Equal(2, typo.LineNumber);
        var error = Assert.Single(typo.ReadErrors);
        Assert.Equal(DataphinValidationRules.Malformed, error.Rule);
        Assert.Contains("Line 2", error.Message);
        Assert.Contains("'Sorce' is not a known property (at $.Sorce;", error.Message);
        Assert.DoesNotContain(".NET", error.Message);
        Assert.NotNull(items[2].Command);
        Assert.Contains(LineageCommandValidator.Validate(1, items[2].Command!), e => e.Path == "Source.Guid");
        Assert.Equal("line 4", items[3].Id);
        var broken = Assert.Single(items[3].ReadErrors).Message;
        Assert.Contains("Line 4 is not valid JSON", broken);
        Assert.DoesNotContain("LineNumber", broken);
        Assert.DoesNotContain("BytePositionInLine", broken);
    }

    [Fact]
    public async Task Delete_reads_an_add_manifest_ignoring_its_add_only_properties_but_a_delete_item_stays_strict()
    {
        var items = await ReadAllAsync(
            "{\"Source\":{\"Guid\":\"a.b\",\"MetadataType\":\"TABLE\",\"ReferenceType\":\"BY_GUID\"},\"Target\":{\"Guid\":\"a.c\",\"MetadataType\":\"TABLE\",\"ReferenceType\":\"BY_GUID\"},\"CascadeDeleteLineage\":false}\n"
            + "{\"Source\":{\"Guid\":\"a.b\",\"MetadataType\":\"TABLE\",\"ReferenceType\":\"BY_GUID\"},\"Target\":{\"Guid\":\"a.c\",\"MetadataType\":\"TABLE\",\"ReferenceType\":\"BY_GUID\"},\"CheckAssetExist\":true,\"RelationProperties\":{\"job\":\"x\"}}\n"
            + "{\"Source\":{\"Guid\":\"a.b\",\"MetadataType\":\"TABLE\",\"ReferenceType\":\"BY_GUID\"},\"Target\":{\"Guid\":\"a.c\",\"MetadataType\":\"TABLE\",\"ReferenceType\":\"BY_GUID\"},\"CascadeDeleteLineage\":true,\"CheckAssetExist\":true}\n"
            + "{\"Source\":{\"Guid\":\"a.b\",\"MetadataType\":\"TABLE\",\"ReferenceType\":\"BY_GUID\"},\"Target\":{\"Guid\":\"a.c\",\"MetadataType\":\"TABLE\",\"ReferenceType\":\"BY_GUID\"},\"Sorce\":1}\n",
            LineageManifestFormat.JsonLines,
            LineageManifestOperation.Delete);

        Assert.False(Assert.IsType<DeleteRegisterLineageCommand>(items[0].Command).CascadeDeleteLineage);
        Assert.Empty(items[0].IgnoredProperties);
        Assert.Equal("a.c", Assert.IsType<DeleteRegisterLineageCommand>(items[1].Command).Target!.Guid);
        Assert.Equal(["CheckAssetExist", "RelationProperties"], items[1].IgnoredProperties);
        Assert.Contains("'CheckAssetExist' is not a known property", Assert.Single(items[2].ReadErrors).Message);
        Assert.DoesNotContain("RegisterLineageCommand", items[2].ReadErrors[0].Message);
        Assert.Contains("'Sorce' is not a known property", Assert.Single(items[3].ReadErrors).Message);
    }

    [Fact]
    public async Task An_add_manifest_keeps_rejecting_delete_only_properties()
    {
        var items = await ReadAllAsync(
            "{\"Source\":{\"Guid\":\"a.b\",\"MetadataType\":\"TABLE\",\"ReferenceType\":\"BY_GUID\"},\"Target\":{\"Guid\":\"a.c\",\"MetadataType\":\"TABLE\",\"ReferenceType\":\"BY_GUID\"},\"CascadeDeleteLineage\":true}\n",
            LineageManifestFormat.JsonLines,
            LineageManifestOperation.Add);

        Assert.Contains("'CascadeDeleteLineage' is not a known property", Assert.Single(items[0].ReadErrors).Message);
    }

    [Fact]
    public async Task Json_sample_reads_items_with_the_line_each_starts_on()
    {
        var lines = await File.ReadAllLinesAsync(Sample("lineage.json"));
        await using var file = File.OpenRead(Sample("lineage.json"));
        var items = await ReadAllAsync(file, LineageManifestFormat.Json);

        Assert.Equal(["orders", "users"], items.Select(i => i.Id));
        Assert.Equal(Array.FindIndex(lines, l => l.Contains("\"Id\": \"orders\"")), items[0].LineNumber);
        Assert.Equal(Array.FindIndex(lines, l => l.Contains("\"Id\": \"users\"")), items[1].LineNumber);
        Assert.Single(items[0].Command!.DetailedLineages);
    }

    [Fact]
    public async Task A_json_manifest_larger_than_the_read_buffer_streams_every_item_with_the_right_line()
    {
        var text = new StringBuilder("{\n  \"$schema\": \"https://example.com/manifest.schema.json\",\n  \"items\": [\n");
        const int count = 3000;
        for (var i = 0; i < count; i++)
        {
            var command = LineageItems.Pair(i, fieldLineages: i % 5);
            text.Append("    ").Append(Encoding.UTF8.GetString(LineageManifestWriter.ItemJson("n" + i, command))).Append(i + 1 < count ? ",\n" : "\n");
        }

        text.Append("  ]\n}\n");
        var items = await ReadAllAsync(text.ToString(), LineageManifestFormat.Json);

        Assert.Equal(count, items.Count);
        for (var i = 0; i < count; i++)
        {
            Assert.Equal("n" + i, items[i].Id);
            Assert.Equal(4 + i, items[i].LineNumber);
            Assert.Equal(DataphinJson.Serialize(LineageItems.Pair(i, i % 5)), DataphinJson.Serialize(items[i].Command!));
        }
    }

    [Fact]
    public async Task A_json_manifest_broken_in_the_middle_throws_with_the_line_after_the_items_before_it()
    {
        var text = "{\"items\": [\n" + Encoding.UTF8.GetString(LineageManifestWriter.ItemJson("a", LineageItems.Pair(1))) + ",\n{\"Id\": \"b\", \"Source\": ]\n]}";
        var read = new List<LineageItem>();
        var error = await Assert.ThrowsAsync<LineageManifestException>(async () =>
        {
            await foreach (var item in LineageManifestReader.ReadAsync(Utf8(text), LineageManifestFormat.Json, LineageManifestOperation.Add))
            {
                read.Add(item);
            }
        });

        Assert.Equal("a", Assert.Single(read).Id);
        Assert.Equal(3, error.LineNumber);
        Assert.Contains("line 3", error.Message);
    }

    [Theory]
    [InlineData("[]", "must be a JSON object")]
    [InlineData("{\"itemz\": []}", "Unknown top-level property \"itemz\"")]
    [InlineData("{}", "no \"items\" array")]
    [InlineData("{\"items\": {}}", "must be a JSON array")]
    [InlineData("{\"items\": [", "not well-formed at line 1")]
    public async Task A_json_manifest_with_the_wrong_structure_is_rejected_with_a_clear_message(string text, string expected)
    {
        var error = await Assert.ThrowsAsync<LineageManifestException>(() => ReadAllAsync(text, LineageManifestFormat.Json));
        Assert.Contains(expected, error.Message);
    }

    [Fact]
    public async Task A_json_item_that_is_not_an_object_is_unreadable_but_the_rest_is_read()
    {
        var items = await ReadAllAsync("{\"items\": [\n42,\n" + Encoding.UTF8.GetString(LineageManifestWriter.ItemJson("ok", LineageItems.Pair(1))) + "\n]}", LineageManifestFormat.Json);

        Assert.Equal(2, items.Count);
        Assert.Equal(2, items[0].LineNumber);
        Assert.Null(items[0].Command);
        Assert.Equal("ok", items[1].Id);
    }

    [Fact]
    public void The_format_follows_the_file_extension()
    {
        Assert.Equal(LineageManifestFormat.Json, LineageManifestReader.FormatFromPath("a/b.JSON"));
        Assert.Equal(LineageManifestFormat.JsonLines, LineageManifestReader.FormatFromPath("b.ndjson"));
        Assert.Equal(LineageManifestFormat.Csv, LineageManifestReader.FormatFromPath("b.csv"));
        Assert.Contains(".jsonl", Assert.Throws<ArgumentException>(() => LineageManifestReader.FormatFromPath("b.txt")).Message);
    }
}
