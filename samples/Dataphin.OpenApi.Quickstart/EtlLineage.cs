namespace Dataphin.OpenApi.Quickstart;

/// <summary>
/// A small but realistic ETL lineage: an order system's MySQL tables are loaded into ODS staging tables, cleaned
/// into warehouse (DW) tables, and aggregated into the ADS table behind a BI sales dashboard. Source-system and
/// staging tables are referenced by property, warehouse and ADS tables by GUID.
/// </summary>
public sealed class EtlLineage
{
    public EtlLineage(long tenantId)
    {
        DwdOrders = $"odps.{tenantId}.dw_project.dwd_trade_order_di";
        DimCustomer = $"odps.{tenantId}.dw_project.dim_customer_df";
        AdsSalesReport = $"odps.{tenantId}.ads_project.ads_sales_daily_report";

        var orders = SourceTable("orders");
        var customers = SourceTable("customers");
        var odsOrders = StagingTable("ods_oms_orders_di");
        var odsCustomers = StagingTable("ods_oms_customers_df");

        Hops =
        [
            Hop(orders, odsOrders, [SourceField("order_id"), SourceField("customer_id"), SourceField("order_amount"), SourceField("order_status"), SourceField("created_at")],
                [StagingField("order_id"), StagingField("customer_id"), StagingField("order_amount"), StagingField("order_status"), StagingField("created_at")]),
            Hop(customers, odsCustomers, [SourceField("customer_id"), SourceField("customer_name"), SourceField("region")],
                [StagingField("customer_id"), StagingField("customer_name"), StagingField("region")]),
            Hop(odsOrders, AssetReference.ByGuid(DwdOrders),
                [StagingField("order_id"), StagingField("customer_id"), StagingField("order_amount"), StagingField("created_at")],
                [Field(DwdOrders, "order_id"), Field(DwdOrders, "customer_id"), Field(DwdOrders, "pay_amount_cny"), Field(DwdOrders, "order_date")],
                indirect: [false, false, false, true]),
            Hop(odsCustomers, AssetReference.ByGuid(DimCustomer),
                [StagingField("customer_id"), StagingField("customer_name"), StagingField("region")],
                [Field(DimCustomer, "customer_id"), Field(DimCustomer, "customer_name"), Field(DimCustomer, "region_name")]),
            Hop(AssetReference.ByGuid(DwdOrders), AssetReference.ByGuid(AdsSalesReport),
                [Field(DwdOrders, "pay_amount_cny"), Field(DwdOrders, "order_id"), Field(DwdOrders, "order_date")],
                [Field(AdsSalesReport, "gmv_cny"), Field(AdsSalesReport, "order_cnt"), Field(AdsSalesReport, "stat_date")],
                indirect: [false, true, false]),
            Hop(AssetReference.ByGuid(DimCustomer), AssetReference.ByGuid(AdsSalesReport),
                [Field(DimCustomer, "region_name")],
                [Field(AdsSalesReport, "region_name")]),
        ];
    }

    public string DwdOrders { get; }

    public string DimCustomer { get; }

    /// <summary>The ADS table a BI dashboard ("daily sales") reads.</summary>
    public string AdsSalesReport { get; }

    /// <summary>Every hop of the pipeline, upstream first.</summary>
    public IReadOnlyList<AddRegisterLineageCommand> Hops { get; }

    /// <summary>The hop deleted by the quick start: dim_customer_df -> ads_sales_daily_report.</summary>
    public AddRegisterLineageCommand HopToDelete => Hops[5];

    private static AssetReference SourceTable(string name)
        => AssetReference.ByProperty(name, schema: "oms", catalog: "mysql_oms", env: DataphinEnvironment.Prod, subType: MetadataSubType.DatasourceTable);

    private static AssetReference StagingTable(string name)
        => AssetReference.ByProperty(name, schema: "ods_project", catalog: "dataphin", env: DataphinEnvironment.Prod, subType: MetadataSubType.PhysicalTable);

    private static AssetReference SourceField(string name) => AssetReference.FieldByProperty(name, schema: "oms", catalog: "mysql_oms", env: DataphinEnvironment.Prod);

    private static AssetReference StagingField(string name) => AssetReference.FieldByProperty(name, schema: "ods_project", catalog: "dataphin", env: DataphinEnvironment.Prod);

    private static AssetReference Field(string tableGuid, string name) => AssetReference.FieldByGuid(tableGuid + "." + name, tableGuid);

    private static AddRegisterLineageCommand Hop(AssetReference source, AssetReference target, AssetReference[] sourceFields, AssetReference[] targetFields, bool[]? indirect = null)
    {
        var command = new AddRegisterLineageCommand(source, target);
        command.RelationProperties["jobName"] = "quickstart_etl_" + (target.Name ?? target.Guid!.Split('.')[^1]);
        for (var i = 0; i < sourceFields.Length; i++)
        {
            command.DetailedLineages.Add(new FieldLineage(sourceFields[i], targetFields[i], isDirect: !(indirect?[i] ?? false)));
        }

        return command;
    }
}
