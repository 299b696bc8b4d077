namespace Dataphin.OpenApi.Benchmarks;

internal static class Commands
{
    public const long TenantId = 300001234;

    public static AddRegisterLineageCommand Add(int fieldLineages)
    {
        const string targetGuid = "odps.300001234.dw_project.dwd_trade_order_di";
        var command = new AddRegisterLineageCommand(
            AssetReference.ByProperty("ods_trade_order", schema: "ods_project", catalog: "dataphin", env: DataphinEnvironment.Prod, subType: MetadataSubType.PhysicalTable),
            AssetReference.ByGuid(targetGuid));
        command.RelationProperties["jobName"] = "nightly_orders_etl";
        for (var i = 0; i < fieldLineages; i++)
        {
            command.DetailedLineages.Add(new FieldLineage(
                AssetReference.FieldByProperty($"source_column_{i}", schema: "ods_project", catalog: "dataphin", env: DataphinEnvironment.Prod),
                AssetReference.FieldByGuid($"{targetGuid}.target_column_{i}", parentGuid: targetGuid)));
        }

        return command;
    }
}
