using Dataphin.OpenApi.OpenLineage;
using static Dataphin.OpenApi.Tests.Bulk.ManifestTestFiles;

namespace Dataphin.OpenApi.Tests.Bulk;

public class OpenLineageImporterTests
{
    private static OpenLineageImporter Importer(OpenLineageImportOptions? options = null)
        => new(OpenLineageMappingRules.Parse(File.ReadAllText(Fixture("openlineage-rules.json"))), options);

    private static async Task<OpenLineageImportResult> ImportAsync(string fixture, OpenLineageImportOptions? options = null)
    {
        await using var events = File.OpenRead(Fixture(fixture));
        return await Importer(options).ImportJsonLinesAsync(events);
    }

    [Fact]
    public async Task Spark_events_become_table_and_column_lineage_through_hive_symlinks_and_guid_templates()
    {
        var result = await ImportAsync("spark-events.jsonl");

        Assert.Equal(3, result.EventsRead);
        Assert.Equal(1, result.EventsIgnored);
        Assert.Equal(2, result.Items.Count);
        var orders = result.Items[0].Command!;
        Assert.Equal("odps.300001234.ods_project.ods_trade_order", orders.Source!.Guid);
        Assert.Equal("odps.300001234.dw_project.dwd_trade_order_di", orders.Target!.Guid);
        Assert.Equal(
            ["order_id->order_id:True", "buyer_id->buyer_nick:False", "pay_amount->pay_amount_cny:True", "currency->pay_amount_cny:True"],
            orders.DetailedLineages.Select(l => $"{l.Source!.Guid!.Split('.')[^1]}->{l.Target!.Guid!.Split('.')[^1]}:{l.IsDirect}"));
        Assert.Equal("odps.300001234.ods_project.ods_trade_order", orders.DetailedLineages[0].Source!.ParentGuid);
        var users = result.Items[1].Command!;
        Assert.Equal("odps.300001234.ods_project.ods_user", users.Source!.Guid);
        Assert.Equal(["nick_name:True", "user_id:False"], users.DetailedLineages.Select(l => $"{l.Source!.Guid!.Split('.')[^1]}:{l.IsDirect}"));
        Assert.DoesNotContain(result.Items, i => i.Command!.Target!.Guid!.Contains("dws_should_not_appear"));
        Assert.All(result.Items, i => Assert.Empty(LineageCommandValidator.Validate(300001234, i.Command!)));

        var unmapped = Assert.Single(result.UnmappedDatasets);
        Assert.Equal("s3a://raw-landing", unmapped.Namespace);
        Assert.Equal("/events/2025/01/01", unmapped.Name);
        Assert.Contains("no rule applies to the namespace 's3a://raw-landing'", unmapped.Reason);
        Assert.Equal(2, unmapped.Occurrences);
        Assert.Equal(1, unmapped.FirstLineNumber);
    }

    [Fact]
    public async Task Dbt_events_map_by_property_merge_start_and_complete_and_report_what_cannot_be_mapped()
    {
        var result = await ImportAsync("dbt-events.jsonl");

        var bad = Assert.Single(result.UnreadableEvents);
        Assert.Equal(4, bad.LineNumber);
        Assert.Equal(3, result.EventsRead);
        Assert.Equal(["stg_orders", "stg_customers"], result.Items.Select(i => i.Command!.Source!.Name));
        var orders = result.Items[0].Command!;
        Assert.Equal(ReferenceType.ByProperty, orders.Source!.ReferenceType);
        Assert.Equal("pg_warehouse", orders.Source.Catalog);
        Assert.Equal("staging", orders.Source.Schema);
        Assert.Equal(DataphinEnvironment.Prod, orders.Source.Env);
        Assert.Equal(MetadataSubType.DatasourceTable, orders.Source.MetadataSubType);
        Assert.Equal("customers", orders.Target!.Name);
        Assert.Equal("marts", orders.Target.Schema);
        Assert.Equal(["ordered_at->first_order_at", "amount->lifetime_value"], orders.DetailedLineages.Select(l => $"{l.Source!.Name}->{l.Target!.Name}"));
        Assert.All(orders.DetailedLineages, l => Assert.Equal("staging", l.Source!.Schema));
        Assert.All(orders.DetailedLineages, l => Assert.Null(l.Source!.MetadataSubType));
        Assert.Equal(["customer_id->customer_id"], result.Items[1].Command!.DetailedLineages.Select(l => $"{l.Source!.Name}->{l.Target!.Name}"));
        Assert.All(result.Items, i => Assert.Empty(LineageCommandValidator.Validate(300001234, i.Command!)));

        Assert.Equal(2, result.UnmappedDatasets.Count);
        var seed = result.UnmappedDatasets.Single(u => u.Namespace == "file");
        Assert.Equal("seeds/country_codes.csv", seed.Name);
        Assert.Equal(2, seed.Occurrences);
        var orphan = result.UnmappedDatasets.Single(u => u.Name == "analytics_marts_orphan");
        Assert.Contains("rule 2: the name does not match '{database}.{schema}.{table}'", orphan.Reason);
        Assert.Equal(5, orphan.FirstLineNumber);
    }

    [Fact]
    public async Task Without_table_level_lineage_only_pairs_with_column_lineage_are_imported()
    {
        var result = await ImportAsync("dbt-events.jsonl", new OpenLineageImportOptions { IncludeTableLevelLineage = false, CheckAssetExist = true });

        Assert.Equal(2, result.Items.Count);
        Assert.All(result.Items, i => Assert.True(((AddRegisterLineageCommand)i.Command!).CheckAssetExist));
        Assert.Equal(3, result.FieldLineageCount);
    }

    [Fact]
    public void A_dataset_read_and_written_by_the_same_job_is_not_registered_as_lineage_to_itself()
    {
        var e = OpenLineageImporter.ParseEvent("""
            {"eventType":"COMPLETE","inputs":[{"namespace":"hive://m","name":"dw.t"}],"outputs":[{"namespace":"hive://m","name":"dw.t"}]}
            """);

        var result = Importer().Import([e]);

        Assert.Empty(result.Items);
        Assert.Equal(1, result.SelfLineagesSkipped);
    }

    [Theory]
    [InlineData("""{"rules":[{"name":"{table}","guid":"x.{table}"}]}""", "exactly one of 'namespace' and 'namespacePrefix'")]
    [InlineData("""{"rules":[{"namespace":"a","name":"{table}","guid":"x.{tenant}.{table}"}]}""", "'guid' uses {tenant}")]
    [InlineData("""{"rules":[{"namespace":"a","guid":"x.{table}","schema":"s"}]}""", "'schema' does not apply to a rule with 'guid'")]
    [InlineData("""{"rules":[{"namespace":"a","name":"{schema}.{schema}"}]}""", "uses {schema} twice")]
    [InlineData("""{"rules":[]}""", "there are no rules")]
    public void Unusable_rules_are_rejected_before_any_import(string json, string expected)
    {
        var error = Assert.Throws<ArgumentException>(() => new OpenLineageImporter(OpenLineageMappingRules.Parse(json)));
        Assert.Contains(expected, error.Message);
    }

    [Fact]
    public void A_typo_in_the_rules_file_is_an_error_not_ignored()
    {
        var error = Assert.Throws<ArgumentException>(() => OpenLineageMappingRules.Parse("""{"rules":[{"namespacePrefx":"hive://"}]}"""));
        Assert.Contains("namespacePrefx", error.Message);
    }
}
