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

    /// <summary><paramref name="count"/> distinct table pairs, each with <paramref name="fieldLineages"/> field lineages.</summary>
    public static IEnumerable<AddRegisterLineageCommand> Pairs(int count, int fieldLineages = 3)
    {
        for (var i = 0; i < count; i++)
        {
            var targetGuid = $"odps.300001234.dw_project.dwd_table_{i}";
            var command = new AddRegisterLineageCommand(
                AssetReference.ByProperty($"ods_table_{i}", schema: "ods_project", catalog: "dataphin", env: DataphinEnvironment.Prod, subType: MetadataSubType.PhysicalTable),
                AssetReference.ByGuid(targetGuid));
            for (var f = 0; f < fieldLineages; f++)
            {
                command.DetailedLineages.Add(new FieldLineage(
                    AssetReference.FieldByProperty($"source_column_{f}", schema: "ods_project", catalog: "dataphin", env: DataphinEnvironment.Prod),
                    AssetReference.FieldByGuid($"{targetGuid}.target_column_{f}", parentGuid: targetGuid)));
            }

            yield return command;
        }
    }
}
