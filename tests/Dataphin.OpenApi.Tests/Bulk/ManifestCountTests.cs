using System.Text;
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

    [Theory]
    [InlineData(LineageManifestFormat.JsonLines)]
    [InlineData(LineageManifestFormat.Json)]
    [InlineData(LineageManifestFormat.Csv)]
    public async Task Items_with_bytes_that_are_not_utf8_or_a_repeated_property_are_counted_as_the_unreadable_items_reading_yields(LineageManifestFormat format)
    {
        const string pair = "{\"Source\":{\"ReferenceType\":\"BY_GUID\",\"MetadataType\":\"TABLE\",\"Guid\":\"odps.1.a.s\"},\"Target\":{\"ReferenceType\":\"BY_GUID\",\"MetadataType\":\"TABLE\",\"Guid\":\"odps.1.a.t\"}}";
        const string repeated = "{\"Source\":{\"ReferenceType\":\"BY_GUID\",\"ReferenceType\":\"BY_GUID\",\"MetadataType\":\"TABLE\",\"Guid\":\"odps.1.a.s\"},\"Target\":{\"ReferenceType\":\"BY_GUID\",\"MetadataType\":\"TABLE\",\"Guid\":\"odps.1.a.t\"}}";
        var text = format switch
        {
            LineageManifestFormat.JsonLines => $"{pair}\n{pair.Replace("odps.1.a.s", "odps.1.a.\u0001", StringComparison.Ordinal)}\n{repeated}\n",
            LineageManifestFormat.Json => $"{{\"items\":[\n{pair},\n{pair.Replace("odps.1.a.s", "odps.1.a.\u0001", StringComparison.Ordinal)},\n{repeated}\n]}}",
            _ => "source_table,source_field,target_table,target_field\ns1,a,t1,a\ns\u0001,a,t2,a\ns3,a,t3,a\n",
        };
        var bytes = Encoding.UTF8.GetBytes(text);
        bytes[Array.IndexOf(bytes, (byte)1)] = 0xFF; // a byte that is never UTF-8

        var count = await LineageManifestReader.CountItemsAsync(new MemoryStream(bytes), format);
        var items = await ReadAllAsync(new MemoryStream(bytes), format);

        Assert.Equal(3, count);
        Assert.Equal(count, items.Count);
        Assert.Equal(format == LineageManifestFormat.Csv ? 2 : 1, items.Count(item => item.Command is not null));
        Assert.Contains(items, item => item.ReadErrors.Any(e => e.Message.Contains("UTF-8", StringComparison.Ordinal)));
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
