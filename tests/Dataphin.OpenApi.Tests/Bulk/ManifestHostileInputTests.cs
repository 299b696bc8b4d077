using System.Text;
using Dataphin.OpenApi.Bulk;
using Dataphin.OpenApi.Serialization;
using static Dataphin.OpenApi.Tests.Bulk.ManifestTestFiles;

namespace Dataphin.OpenApi.Tests.Bulk;

/// <summary>Manifests as a hostile or careless producer writes them: repeated keys, bytes that are not UTF-8, a directory for a file.</summary>
public class ManifestHostileInputTests
{
    private const string Item = "{\"Source\":{\"Guid\":\"odps.1.p.a\",\"MetadataType\":\"TABLE\",\"ReferenceType\":\"BY_GUID\"},\"Target\":{\"Guid\":\"odps.1.p.b\",\"MetadataType\":\"TABLE\",\"ReferenceType\":\"BY_GUID\"}}";

    private static string ItemNamed(string name)
        => "{\"Source\":{\"MetadataType\":\"TABLE\",\"Name\":\"" + name + "\",\"ReferenceType\":\"BY_PROPERTY\"},\"Target\":{\"Guid\":\"odps.1.p.b\",\"MetadataType\":\"TABLE\",\"ReferenceType\":\"BY_GUID\"}}";

    /// <summary>UTF-8 text with raw bytes spliced in where <c>{bytes}</c> stands.</summary>
    private static MemoryStream WithBytes(string text, params byte[] bytes)
    {
        var marker = text.IndexOf("{bytes}", StringComparison.Ordinal);
        var data = new List<byte>(Encoding.UTF8.GetBytes(text.Substring(0, marker)));
        data.AddRange(bytes);
        data.AddRange(Encoding.UTF8.GetBytes(text.Substring(marker + "{bytes}".Length)));
        return new MemoryStream(data.ToArray());
    }

    private static DataphinValidationError SingleError(LineageItem item)
    {
        Assert.Null(item.Command);
        var error = Assert.Single(item.ReadErrors);
        Assert.Equal(DataphinValidationRules.Malformed, error.Rule);
        return error;
    }

    private static void AssertNoReplacementCharacter(IEnumerable<LineageItem> items)
    {
        foreach (var item in items.Where(i => i.Command is not null))
        {
            Assert.DoesNotContain('\uFFFD', DataphinJson.Serialize(item.Command!));
        }
    }

    [Fact]
    public async Task A_repeated_key_on_one_json_line_is_that_items_error_and_reading_goes_on()
    {
        var text = Item + "\n"
            + "{\"Source\":{\"Guid\":\"odps.1.p.a\",\"MetadataType\":\"TABLE\",\"ReferenceType\":\"BY_GUID\"},\"Source\":{},\"Target\":{}}\n"
            + ItemNamed("orders").Replace("\"Name\":\"orders\"", "\"Name\":\"orders\",\"Name\":\"users\"", StringComparison.Ordinal) + "\n"
            + Item + "\n";

        var items = await ReadAllAsync(text, LineageManifestFormat.JsonLines);

        Assert.Equal(4, items.Count);
        Assert.NotNull(items[0].Command);
        var top = SingleError(items[1]);
        Assert.Equal(2, items[1].LineNumber);
        Assert.Equal("$.Source", top.Path);
        Assert.Contains("Line 2", top.Message, StringComparison.Ordinal);
        Assert.Contains("\"Source\" appears twice", top.Message, StringComparison.Ordinal);
        var nested = SingleError(items[2]);
        Assert.Equal("$.Source.Name", nested.Path);
        Assert.Contains("Line 3", nested.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("Parameter", nested.Message, StringComparison.Ordinal);
        Assert.NotNull(items[3].Command);
    }

    [Fact]
    public async Task A_repeated_key_deep_in_a_json_manifest_names_its_own_line_and_path()
    {
        var text = "{\"items\": [\n"
            + "  " + Item + ",\n"
            + "  {\"Id\": \"dup\",\n"
            + "   \"DetailedLineages\": [{\"Source\": {\"Guid\": \"odps.1.p.a.c\", \"MetadataType\": \"COLUMN\", \"ReferenceType\": \"BY_GUID\"},\n"
            + "                        \"Target\": {\"Guid\": \"odps.1.p.b.c\", \"MetadataType\": \"COLUMN\", \"MetadataType\": \"COLUMN\", \"ReferenceType\": \"BY_GUID\"}}],\n"
            + "   \"Source\": {}, \"Target\": {}},\n"
            + "  " + Item + "\n"
            + "]}\n";

        var items = await ReadAllAsync(text, LineageManifestFormat.Json);

        Assert.Equal(3, items.Count);
        Assert.Equal(3, items[1].LineNumber);
        var error = SingleError(items[1]);
        Assert.Equal("$.DetailedLineages[0].Target.MetadataType", error.Path);
        Assert.Contains("Line 5", error.Message, StringComparison.Ordinal);
        Assert.NotNull(items[0].Command);
        Assert.NotNull(items[2].Command);
    }

    [Fact]
    public async Task Json_lines_that_are_not_utf8_are_item_errors_naming_line_and_byte_offset()
    {
        // Line 2: a stray 0xFF; line 4: a UTF-16 surrogate encoded as UTF-8 (CESU); line 5: an overlong '/' (0xC0 0xAF).
        var prefix = "{\"Source\":{\"MetadataType\":\"TABLE\",\"Name\":\"";
        var line2 = prefix + "{bytes}";
        var text = Item + "\r\n" + line2 + "orders\",\"ReferenceType\":\"BY_PROPERTY\"},\"Target\":{\"Guid\":\"odps.1.p.b\",\"MetadataType\":\"TABLE\",\"ReferenceType\":\"BY_GUID\"}}\r\n" + ItemNamed("表_ok") + "\r\n";
        using var stream = WithBytes(text, 0xFF);
        var extra = new MemoryStream();
        stream.CopyTo(extra);
        extra.Write(Encoding.UTF8.GetBytes(prefix));
        extra.Write([0xED, 0xA0, 0x80]);
        extra.Write(Encoding.UTF8.GetBytes("x\",\"ReferenceType\":\"BY_PROPERTY\"},\"Target\":{\"Guid\":\"b\",\"MetadataType\":\"TABLE\",\"ReferenceType\":\"BY_GUID\"}}\n" + prefix));
        extra.Write([0xC0, 0xAF]);
        extra.Write(Encoding.UTF8.GetBytes("\"}}\n" + Item));
        extra.Position = 0;

        var items = await ReadAllAsync(extra, LineageManifestFormat.JsonLines);

        Assert.Equal(6, items.Count);
        Assert.NotNull(items[0].Command);
        var stray = SingleError(items[1]);
        Assert.Equal("line 2", items[1].Id);
        Assert.Equal(2, items[1].LineNumber);
        var line1Length = Encoding.UTF8.GetByteCount(Item) + 2;
        Assert.Equal(
            $"Line 2 is not valid UTF-8: the byte 0xFF at byte offset {prefix.Length} of the line (byte offset {line1Length + prefix.Length} in the file) does not form a UTF-8 character. "
            + "The item is not read (its text would carry U+FFFD in place of those bytes); save the manifest as UTF-8.",
            stray.Message);
        Assert.Equal("表_ok", items[2].Command!.Source!.Name);
        Assert.Contains($"Line 4 is not valid UTF-8: the byte 0xED at byte offset {prefix.Length} of the line", SingleError(items[3]).Message, StringComparison.Ordinal);
        Assert.Contains($"Line 5 is not valid UTF-8: the byte 0xC0 at byte offset {prefix.Length} of the line", SingleError(items[4]).Message, StringComparison.Ordinal);
        Assert.NotNull(items[5].Command);
        AssertNoReplacementCharacter(items);
    }

    [Fact]
    public async Task A_json_lines_manifest_cut_inside_a_character_reports_its_last_line()
    {
        var bytes = Encoding.UTF8.GetBytes(Item + "\n{\"Name\":\"orders_\U0001F600");
        var items = await ReadAllAsync(new MemoryStream(bytes[..^1]), LineageManifestFormat.JsonLines);

        Assert.Equal(2, items.Count);
        Assert.Contains("Line 2 is not valid UTF-8: the bytes 0xF0 0x9F 0x98", SingleError(items[1]).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Valid_multibyte_text_across_every_read_buffer_boundary_is_read_unchanged()
    {
        // Enough 4-byte and 3-byte characters that some straddle the 16 KiB chunks the readers take.
        var name = string.Concat(Enumerable.Repeat("\U0001F600表é", 3000));
        var jsonl = string.Join("\n", Enumerable.Range(0, 4).Select(_ => ItemNamed(name)));
        var csv = "source_table,source_field,target_table,target_field\n" + string.Join("\n", Enumerable.Range(0, 4).Select(i => $"{name},a{i},t,b{i}")) + "\n";
        var json = "{\"items\":[" + string.Join(",\n", Enumerable.Range(0, 4).Select(_ => ItemNamed(name))) + "]}";

        foreach (var (text, format) in new[] { (jsonl, LineageManifestFormat.JsonLines), (csv, LineageManifestFormat.Csv), (json, LineageManifestFormat.Json) })
        {
            var items = await ReadAllAsync(text, format);
            Assert.All(items, i => Assert.Equal(name, i.Command!.Source!.Name));
        }
    }

    [Fact]
    public async Task A_json_manifest_item_that_is_not_utf8_is_its_error_and_the_others_are_read()
    {
        var text = "{\"items\": [\n  " + Item + ",\n  " + ItemNamed("a") + ",\n  {\"Source\": {\"MetadataType\": \"TABLE\",\n    \"Name\": \"x{bytes}y\", \"ReferenceType\": \"BY_PROPERTY\"}, \"Target\": {}},\n  " + Item + "\n]}";
        using var stream = WithBytes(text, 0xE2, 0x82);

        var items = await ReadAllAsync(stream, LineageManifestFormat.Json);

        Assert.Equal(4, items.Count);
        Assert.Equal(4, items[2].LineNumber);
        var error = SingleError(items[2]);
        var offset = Encoding.UTF8.GetByteCount(text.AsSpan(0, text.IndexOf("{bytes}", StringComparison.Ordinal)));
        Assert.Equal(
            $"Line 5 is not valid UTF-8: the bytes 0xE2 0x82 at byte offset 14 of the line (byte offset {offset} in the file) do not form a UTF-8 character. "
            + "The item is not read (its text would carry U+FFFD in place of those bytes); save the manifest as UTF-8.",
            error.Message);
        Assert.NotNull(items[0].Command);
        Assert.NotNull(items[1].Command);
        Assert.NotNull(items[3].Command);
    }

    [Fact]
    public async Task A_csv_row_that_is_not_utf8_is_its_own_item_error_and_the_groups_around_it_are_kept()
    {
        var text = "source_table,source_field,target_table,target_field\r\n"
            + "orders,a,dwd,a\r\n"
            + "orders,b{bytes},dwd,b\r\n"
            + "orders,c,dwd,c\r\n"
            + "users,\"multi\nline\",dwd_users,x\r\n"
            + "users,\"second\nline \u00ff\",dwd_users,y\r\n";
        using var stream = WithBytes(text, 0x80);

        var items = await ReadAllAsync(stream, LineageManifestFormat.Csv);

        Assert.Equal(["line 3", "lines 2-4", "lines 5-8"], items.Select(i => i.Id));
        var error = SingleError(items[0]);
        Assert.Equal(3, items[0].LineNumber);
        Assert.StartsWith("Line 3 is not valid UTF-8: the byte 0x80 at byte offset 8 of the line", error.Message, StringComparison.Ordinal);
        Assert.Equal(["a", "c"], items[1].Command!.DetailedLineages.Select(f => f.Source!.Name));
        Assert.Equal(["multi\nline", "second\nline \u00ff"], items[2].Command!.DetailedLineages.Select(f => f.Source!.Name));
        AssertNoReplacementCharacter(items);
    }

    [Fact]
    public async Task A_csv_field_spanning_lines_reports_the_line_that_holds_the_bad_byte()
    {
        using var stream = WithBytes("source_table,source_field,target_table,target_field\n\"ord\ners\",\"a\r\nb{bytes}\",dwd,a\n", 0xFE);

        var items = await ReadAllAsync(stream, LineageManifestFormat.Csv);

        Assert.Equal("lines 2-4", items.Single().Id);
        Assert.StartsWith("Line 4 is not valid UTF-8: the byte 0xFE at byte offset 1 of the line", SingleError(items.Single()).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_csv_header_that_is_not_utf8_ends_reading_with_a_clear_message()
    {
        const string Header = "source_table,source_field,target_table,target{bytes}_field\norders,a,dwd,a\n";
        using var stream = WithBytes(Header, 0xC3);

        var error = await Assert.ThrowsAsync<LineageManifestException>(() => ReadAllAsync(stream, LineageManifestFormat.Csv));

        Assert.Equal(1, error.LineNumber);
        Assert.StartsWith($"The CSV header cannot be read: Line 1 is not valid UTF-8: the byte 0xC3 at byte offset {Header.IndexOf("{bytes}", StringComparison.Ordinal)} of the line", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_directory_is_not_taken_for_a_manifest_of_unknown_format()
    {
        var directory = Directory.CreateTempSubdirectory("manifest-dir").FullName;
        try
        {
            var error = Assert.Throws<ArgumentException>(() => LineageManifestReader.ReadFileAsync(directory, LineageManifestOperation.Add));
            Assert.Contains("is a directory, not a manifest file", error.Message, StringComparison.Ordinal);
            Assert.DoesNotContain("Cannot tell the manifest format", error.Message, StringComparison.Ordinal);

            var named = Directory.CreateDirectory(Path.Combine(directory, "looks-like.csv")).FullName;
            error = Assert.Throws<ArgumentException>(() => LineageManifestReader.ReadFileAsync(named, LineageManifestOperation.Add, LineageManifestFormat.Csv));
            Assert.Contains("is a directory", error.Message, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }

        await Task.CompletedTask;
    }
}
