using Dataphin.OpenApi.Bulk;
using static Dataphin.OpenApi.Tests.Bulk.ManifestTestFiles;

namespace Dataphin.OpenApi.Tests.Bulk;

/// <summary>Counting a manifest's items cheaply gives exactly the number of items reading it yields.</summary>
public class ManifestCountTests
{
    [Theory]
    [InlineData("lineage.csv", LineageManifestFormat.Csv)]
    [InlineData("lineage.jsonl", LineageManifestFormat.JsonLines)]
    [InlineData("lineage.json", LineageManifestFormat.Json)]
    [InlineData("lineage-with-errors.jsonl", LineageManifestFormat.JsonLines)]
    public async Task The_count_is_the_number_of_items_read_unreadable_ones_included(string sample, LineageManifestFormat format)
    {
        await using var forCount = File.OpenRead(Sample(sample));
        await using var forRead = File.OpenRead(Sample(sample));

        var count = await LineageManifestReader.CountItemsAsync(forCount, format);

        Assert.Equal((await ReadAllAsync(forRead, format)).Count, count);
        Assert.True(count > 0);
    }

    [Theory]
    [InlineData("", LineageManifestFormat.JsonLines, 0)]
    [InlineData("\n  \n{\"x\":1}\n\nnot json\n", LineageManifestFormat.JsonLines, 2)]
    [InlineData("{\"items\":[]}", LineageManifestFormat.Json, 0)]
    [InlineData("{\"$schema\":\"x\",\"items\":[{\"a\":[1,2,{\"b\":3}]},{},\"not an object\"]}", LineageManifestFormat.Json, 3)]
    [InlineData("source_table,source_field,target_table,target_field\n", LineageManifestFormat.Csv, 0)]
    public async Task Edge_cases_count_as_reading_them_would(string text, LineageManifestFormat format, long expected)
    {
        var count = await LineageManifestReader.CountItemsAsync(Utf8(text), format);

        Assert.Equal(expected, count);
        Assert.Equal(expected, (await ReadAllAsync(text, format)).Count);
    }

    [Fact]
    public async Task A_broken_structure_is_reported_as_reading_reports_it()
    {
        const string text = "{\"items\": [\n{\"Source\":{}},\n{\"Source\": nope\n";

        var error = await Assert.ThrowsAsync<LineageManifestException>(() => LineageManifestReader.CountItemsAsync(Utf8(text), LineageManifestFormat.Json));

        Assert.Equal(3, error.LineNumber);
        Assert.Contains("not well-formed at line 3", error.Message);
    }
}
