using System.Text.Json.Nodes;
using Dataphin.OpenApi.Serialization;
using Dataphin.OpenApi.Tests.Support;
using Dataphin.OpenApi.Transport;

namespace Dataphin.OpenApi.Tests.Lineage;

public sealed class SerializationTests
{
    [Fact]
    public void Commands_are_written_in_wire_order_with_nulls_and_empty_collections_omitted()
    {
        var command = new AddRegisterLineageCommand(AssetReference.ByGuid("odps.1.p.a"), AssetReference.ByProperty("b", schema: "p", catalog: "dataphin", env: DataphinEnvironment.Dev));
        Assert.Equal(
            "{\"Source\":{\"Guid\":\"odps.1.p.a\",\"MetadataType\":\"TABLE\",\"ReferenceType\":\"BY_GUID\"},"
            + "\"Target\":{\"Catalog\":\"dataphin\",\"Env\":\"DEV\",\"MetadataType\":\"TABLE\",\"Name\":\"b\",\"ReferenceType\":\"BY_PROPERTY\",\"Schema\":\"p\"}}",
            DataphinJson.Serialize(command));
    }

    [Fact]
    public void Every_field_is_written_and_false_values_are_kept()
    {
        var command = TestClients.ValidAddCommand(1);
        command.CheckAssetExist = false;
        command.DetailedLineages[0].IsDirect = false;
        command.TenantId = 300001234;
        command.UserId = "300004567";
        command.RelationProperties["description"] = "订单明细 ETL & load <external>";
        command.RelationProperties["retries"] = 3;

        var json = DataphinJson.Serialize(command);

        Assert.StartsWith("{\"CheckAssetExist\":false,\"DetailedLineages\":[{\"IsDirect\":false,", json, StringComparison.Ordinal);
        Assert.Contains("\"RelationProperties\":{\"description\":\"订单明细 ETL & load <external>\",\"retries\":3},\"Source\":", json, StringComparison.Ordinal);
        Assert.EndsWith(",\"TenantId\":300001234,\"UserId\":\"300004567\"}", json, StringComparison.Ordinal);
        Assert.Contains("\"MetadataSubType\":\"PHYSICAL_TABLE\"", json, StringComparison.Ordinal);
        Assert.Contains("\"ParentGuid\":\"odps.300001234.dw_project.dwd_trade_order_di\"", json, StringComparison.Ordinal);
    }

    [Fact]
    public void Delete_commands_write_CascadeDeleteLineage_first()
    {
        var command = new DeleteRegisterLineageCommand(AssetReference.ByGuid("g1"), AssetReference.ByGuid("g2")) { CascadeDeleteLineage = false };
        Assert.StartsWith("{\"CascadeDeleteLineage\":false,\"Source\":", DataphinJson.Serialize(command), StringComparison.Ordinal);
    }

    [Fact]
    public void Commands_round_trip_including_values_the_sdk_does_not_know()
    {
        var command = TestClients.ValidAddCommand(2);
        command.Target = AssetReference.ByProperty("sales_dashboard", metadataType: "BI_DATASET", env: "STAGING");
        command.Target.ExtProperties = new Dictionary<string, JsonNode?> { ["tool"] = "superset", ["nested"] = new JsonObject { ["a"] = 1 } };
        var json = DataphinJson.Serialize(command);

        var back = DataphinJson.DeserializeAddCommand(json);

        Assert.Equal((MetadataType)"BI_DATASET", back.Target!.MetadataType);
        Assert.False(back.Target.MetadataType.IsKnown);
        Assert.Equal("STAGING", back.Target.Env.ToString());
        Assert.Equal(json, DataphinJson.Serialize(back));
    }

    [Fact]
    public void Value_sets_know_all_documented_values()
    {
        Assert.Equal(14, MetadataSubType.KnownValues.Count);
        Assert.Contains(MetadataSubType.KnownValues, v => v.ToString() == "FACT_SNAPSHOT");
        Assert.True(((MetadataSubType)"SUM_BIZ_UNIT").IsKnown);
        Assert.Equal(ReferenceType.ByGuid, (ReferenceType)"BY_GUID");
        Assert.NotEqual(ReferenceType.ByGuid, (ReferenceType)"by_guid");
        Assert.Equal(["DEV", "PROD"], DataphinEnvironment.KnownValues.Select(v => v.ToString()));
    }

    [Fact]
    public void The_command_travels_in_one_form_field_with_the_tenant_in_the_query()
    {
        var rpc = RpcRequestBuilder.BuildLineage(300001234, TestClients.ValidAddCommand(1), opUserId: "30001011");
        Assert.Equal("/?OpTenantId=300001234&OpUserId=30001011", rpc.PathAndQuery);
        var body = System.Text.Encoding.UTF8.GetString(rpc.Body);
        Assert.StartsWith("AddRegisterLineageCommand=%7B%22DetailedLineages%22", body, StringComparison.Ordinal);
        Assert.DoesNotContain("&", body, StringComparison.Ordinal);
        Assert.Equal(DataphinJson.Serialize(TestClients.ValidAddCommand(1)), Uri.UnescapeDataString(body.Split('=', 2)[1]));
    }
}
