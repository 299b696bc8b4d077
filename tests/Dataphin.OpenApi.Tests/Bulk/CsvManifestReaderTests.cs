using static Dataphin.OpenApi.Tests.Bulk.ManifestTestFiles;

namespace Dataphin.OpenApi.Tests.Bulk;

public class CsvManifestReaderTests
{
    [Fact]
    public async Task Consecutive_rows_of_the_same_table_pair_form_one_item()
    {
        await using var file = File.OpenRead(Sample("lineage.csv"));
        var items = await ReadAllAsync(file, LineageManifestFormat.Csv);

        Assert.Equal(["lines 2-4", "lines 5-6", "line 7"], items.Select(i => i.Id));
        Assert.Equal([2, 5, 7], items.Select(i => i.LineNumber));
        Assert.Equal([3, 2, 0], items.Select(i => i.Command!.DetailedLineages.Count));
        var orders = items[0].Command!;
        Assert.Equal("ods_trade_order", orders.Source!.Name);
        Assert.Equal("ods_project", orders.Source.Schema);
        Assert.Equal(DataphinEnvironment.Prod, orders.Source.Env);
        Assert.Equal("pay_amount_cny", orders.DetailedLineages[1].Target!.Name);
        Assert.Equal("dw_project", orders.DetailedLineages[1].Target!.Schema);
        Assert.Equal(MetadataType.Column, orders.DetailedLineages[1].Target!.MetadataType);
        Assert.All(items, i => Assert.Empty(LineageCommandValidator.Validate(300001234, i.Command!)));
    }

    [Fact]
    public async Task Guid_columns_make_guid_references_and_field_guids_under_the_table()
    {
        var items = await ReadAllAsync("source_guid,source_field,target_guid,target_field,is_direct\nodps.1.ods.t1,a,odps.1.dw.t2,b,false\n", LineageManifestFormat.Csv);

        var command = Assert.Single(items).Command!;
        Assert.Equal(ReferenceType.ByGuid, command.Source!.ReferenceType);
        var field = Assert.Single(command.DetailedLineages);
        Assert.Equal("odps.1.ods.t1.a", field.Source!.Guid);
        Assert.Equal("odps.1.ods.t1", field.Source.ParentGuid);
        Assert.Equal("odps.1.dw.t2.b", field.Target!.Guid);
        Assert.False(field.IsDirect);
        Assert.Empty(LineageCommandValidator.Validate(1, command));
    }

    [Fact]
    public async Task Bad_rows_are_reported_with_their_line_and_do_not_stop_the_reading()
    {
        const string csv = "source_table,source_field,target_table,target_field,is_direct\r\n"
            + "t1,a,t2,a,\r\n"
            + "t1,b,t2\r\n"
            + "t1,c,t2,c,\r\n"
            + "t1,,t2,d,\r\n"
            + "\"t1\",\"e,with comma\",t2,\"multi\nline\",true\r\n"
            + "t1,f,t2,f,maybe\r\n"
            + ",g,t2,g,\r\n"
            + "t1,\"h\"x,t2,h,\r\n";
        var items = await ReadAllAsync(csv, LineageManifestFormat.Csv);

        var unreadable = items.Where(i => i.Command is null).ToDictionary(i => i.LineNumber!.Value, i => Assert.Single(i.ReadErrors).Message);
        Assert.Equal([3, 5, 8, 9, 10], unreadable.Keys.Order());
        Assert.Contains("3 values but the header has 5 columns", unreadable[3]);
        Assert.Contains("must both be given", unreadable[5]);
        Assert.Contains("is_direct must be true, false or empty", unreadable[8]);
        Assert.Contains("source_table (or source_guid) is required", unreadable[9]);
        Assert.Contains("after a closing quote", unreadable[10]);
        var group = Assert.Single(items, i => i.Command is not null);
        Assert.Equal(["a", "c", "e,with comma"], group.Command!.DetailedLineages.Select(l => l.Source!.Name));
        Assert.Equal("multi\nline", group.Command.DetailedLineages[2].Target!.Name);
        Assert.Equal("lines 2-7", group.Id);
    }

    [Fact]
    public async Task Rows_of_different_ids_form_different_items_even_for_the_same_tables()
    {
        var items = await ReadAllAsync("id,source_table,source_field,target_table,target_field\nx,t1,a,t2,a\nx,t1,b,t2,b\ny,t1,c,t2,c\n", LineageManifestFormat.Csv, LineageManifestOperation.Delete);

        Assert.Equal(["x", "y"], items.Select(i => i.Id));
        Assert.All(items, i => Assert.IsType<DeleteRegisterLineageCommand>(i.Command));
    }

    [Theory]
    [InlineData("source_table,source_field,target_table,target_field,colour\n", "unknown column 'colour'")]
    [InlineData("source_table,source_field,target_table\n", "target_field")]
    [InlineData("source_table,source_table,source_field,target_table,target_field\n", "twice")]
    public async Task A_bad_header_is_rejected_with_line_1(string csv, string expected)
    {
        var error = await Assert.ThrowsAsync<LineageManifestException>(() => ReadAllAsync(csv, LineageManifestFormat.Csv));
        Assert.Equal(1, error.LineNumber);
        Assert.Contains(expected, error.Message);
    }

    [Theory]
    [InlineData("")]
    [InlineData("\n\n")]
    public async Task An_empty_csv_is_rejected_for_its_missing_header_rather_than_read_as_nothing_to_do(string csv)
    {
        var error = await Assert.ThrowsAsync<LineageManifestException>(() => ReadAllAsync(csv, LineageManifestFormat.Csv));
        Assert.Contains("has no header", error.Message);
        Assert.Contains("source_table,source_field,target_table,target_field", error.Message);
    }

    [Fact]
    public async Task Values_are_kept_exactly_so_that_validation_reports_stray_white_space()
    {
        var items = await ReadAllAsync("source_table,source_field,target_table,target_field\nt1, a,t2,a\n", LineageManifestFormat.Csv);

        Assert.Equal(" a", items[0].Command!.DetailedLineages[0].Source!.Name);
        Assert.Contains(LineageCommandValidator.Validate(1, items[0].Command!), e => e.Rule == DataphinValidationRules.InvalidText);
    }
}
