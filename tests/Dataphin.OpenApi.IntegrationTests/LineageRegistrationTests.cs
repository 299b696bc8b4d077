using System.Text.Json;
using System.Text.Json.Nodes;
using Dataphin.OpenApi.IntegrationTests.Support;
using Dataphin.OpenApi.Testing;

namespace Dataphin.OpenApi.IntegrationTests;

public sealed class LineageRegistrationTests
{
    private static readonly DataphinEmulatorOptions NoQuotas = new() { Quotas = EmulatorQuotas.Disabled };

    [Fact]
    public async Task Register_stores_the_table_edge_and_field_edges_with_the_references_as_sent()
    {
        await using var emulator = await DataphinEmulator.StartAsync(NoQuotas);
        using var client = Lineages.Client(emulator);
        var command = Lineages.Add(("pay_amount", "pay_amount_cny"), ("order_id", "order_id"));
        command.RelationProperties["jobName"] = "etl_job_42";

        var response = await client.AddRegisterLineageAsync(emulator.DefaultTenantId, command);

        Assert.Equal("OK", response.Code);
        Assert.Equal(200, response.Status);
        var edge = Assert.Single(emulator.GetLineage(emulator.DefaultTenantId));
        Assert.Equal("BY_PROPERTY", edge.Source.ReferenceType);
        Assert.Equal(Lineages.OdsOrders, edge.Source.Name);
        Assert.Equal("PHYSICAL_TABLE", edge.Source.MetadataSubType);
        Assert.Equal(Lineages.DwdGuid, edge.Target.Guid);
        Assert.Equal(
            """{"Catalog":"dataphin","Env":"PROD","MetadataSubType":"PHYSICAL_TABLE","MetadataType":"TABLE","Name":"ods_trade_order","ReferenceType":"BY_PROPERTY","Schema":"ods_project"}""",
            edge.Source.Json);
        Assert.Equal(["pay_amount", "order_id"], edge.FieldLineages.Select(f => f.Source.Name));
        Assert.Equal(Lineages.DwdGuid + ".pay_amount_cny", edge.FieldLineages[0].Target.Guid);
        Assert.Equal(Lineages.DwdGuid, edge.FieldLineages[0].Target.ParentGuid);
        Assert.Equal("""{"jobName":"etl_job_42"}""", edge.RelationPropertiesJson);
        Assert.True(edge.RegisteredThroughApi);
    }

    [Fact]
    public async Task Registering_the_same_lineage_twice_leaves_one_copy_and_a_new_field_is_merged_in()
    {
        await using var emulator = await DataphinEmulator.StartAsync(NoQuotas);
        using var client = Lineages.Client(emulator);

        await client.AddRegisterLineageAsync(emulator.DefaultTenantId, Lineages.Add(("pay_amount", "pay_amount_cny")));
        await client.AddRegisterLineageAsync(emulator.DefaultTenantId, Lineages.Add(("pay_amount", "pay_amount_cny")));
        await client.AddRegisterLineageAsync(emulator.DefaultTenantId, Lineages.Add(("pay_amount", "pay_amount_cny"), ("order_id", "order_id")));

        var edge = Assert.Single(emulator.GetLineage(emulator.DefaultTenantId));
        Assert.Equal(["pay_amount", "order_id"], edge.FieldLineages.Select(f => f.Source.Name));
    }

    [Fact]
    public async Task Deleting_a_field_lineage_keeps_the_others_and_deleting_the_last_one_cascades_to_the_table_edge()
    {
        await using var emulator = await DataphinEmulator.StartAsync(NoQuotas);
        using var client = Lineages.Client(emulator);
        var tenant = emulator.DefaultTenantId;
        await client.AddRegisterLineageAsync(tenant, Lineages.Add(("pay_amount", "pay_amount_cny"), ("order_id", "order_id")));

        await client.DeleteRegisterLineageAsync(tenant, Lineages.Delete(cascade: null, ("pay_amount", "pay_amount_cny")));
        var edge = Assert.Single(emulator.GetLineage(tenant));
        Assert.Equal("order_id", Assert.Single(edge.FieldLineages).Source.Name);

        await client.DeleteRegisterLineageAsync(tenant, Lineages.Delete(cascade: null, ("order_id", "order_id")));
        Assert.Empty(emulator.GetLineage(tenant));
    }

    [Fact]
    public async Task Without_cascade_the_table_edge_stays_when_its_last_field_lineage_is_deleted()
    {
        await using var emulator = await DataphinEmulator.StartAsync(NoQuotas);
        using var client = Lineages.Client(emulator);
        var tenant = emulator.DefaultTenantId;
        await client.AddRegisterLineageAsync(tenant, Lineages.Add(("pay_amount", "pay_amount_cny")));

        await client.DeleteRegisterLineageAsync(tenant, Lineages.Delete(cascade: false, ("pay_amount", "pay_amount_cny")));

        var edge = Assert.Single(emulator.GetLineage(tenant));
        Assert.Empty(edge.FieldLineages);
    }

    [Fact]
    public async Task A_delete_without_field_lineages_removes_the_table_edge_and_its_field_edges()
    {
        await using var emulator = await DataphinEmulator.StartAsync(NoQuotas);
        using var client = Lineages.Client(emulator);
        var tenant = emulator.DefaultTenantId;
        await client.AddRegisterLineageAsync(tenant, Lineages.Add(("pay_amount", "pay_amount_cny"), ("order_id", "order_id")));

        await client.DeleteRegisterLineageAsync(tenant, Lineages.Delete(cascade: false));

        Assert.Empty(emulator.GetLineage(tenant));
    }

    [Fact]
    public async Task Delete_leaves_lineage_that_was_not_registered_through_the_api()
    {
        await using var emulator = await DataphinEmulator.StartAsync(NoQuotas);
        using var client = Lineages.Client(emulator);
        var tenant = emulator.DefaultTenantId;
        emulator.SeedSystemLineage(tenant, """{"Source":{"Guid":"odps.300001234.ods.a","MetadataType":"TABLE","ReferenceType":"BY_GUID"},"Target":{"Guid":"odps.300001234.dw.b","MetadataType":"TABLE","ReferenceType":"BY_GUID"}}""");

        var response = await client.DeleteRegisterLineageAsync(tenant, new DeleteRegisterLineageCommand(AssetReference.ByGuid("odps.300001234.ods.a"), AssetReference.ByGuid("odps.300001234.dw.b")));

        Assert.Equal("OK", response.Code);
        var edge = Assert.Single(emulator.GetLineage(tenant));
        Assert.False(edge.RegisteredThroughApi);
    }

    [Fact]
    public async Task Lineage_is_kept_per_tenant()
    {
        await using var emulator = await DataphinEmulator.StartAsync(NoQuotas);
        emulator.AddAccessKey(new EmulatorAccessKey(emulator.AccessKeyId, emulator.AccessKeySecret, emulator.DefaultTenantId, 300009999));
        using var client = Lineages.Client(emulator);

        await client.AddRegisterLineageAsync(300009999, Lineages.Add(("pay_amount", "pay_amount_cny")));

        Assert.Empty(emulator.GetLineage(emulator.DefaultTenantId));
        Assert.Single(emulator.GetLineage(300009999));
    }

    [Fact]
    public async Task GetTableLineages_reads_the_registered_table_edges_back_over_the_wire()
    {
        await using var emulator = await DataphinEmulator.StartAsync(NoQuotas);
        using var client = Lineages.Client(emulator);
        var tenant = emulator.DefaultTenantId;
        await client.AddRegisterLineageAsync(tenant, Lineages.Add(("pay_amount", "pay_amount_cny")));
        await client.AddRegisterLineageAsync(tenant, new AddRegisterLineageCommand(Lineages.DwdTable(), AssetReference.ByGuid("odps.300001234.ads.ads_sales")));

        var upstream = await client.SendAsync(new DataphinOperationRequest("GetTableLineages", tenant)
            .AddQuery("TableGuid", Lineages.DwdGuid)
            .AddFormJson("FilterQuery", new JsonObject { ["NeedUpstream"] = true, ["NeedDownstream"] = false }));
        var both = await client.SendAsync(new DataphinOperationRequest("GetTableLineages", tenant).AddQuery("TableGuid", Lineages.DwdGuid));

        var item = Assert.Single(upstream.Content.GetProperty("TableLineageList").EnumerateArray());
        Assert.Equal("dataphin.ods_project.ods_trade_order", item.GetProperty("InputTableGuid").GetString());
        Assert.Equal("ods_trade_order", item.GetProperty("InputTableName").GetString());
        Assert.Equal(Lineages.DwdGuid, item.GetProperty("OutputTableGuid").GetString());
        Assert.Equal(
            ["dataphin.ods_project.ods_trade_order", Lineages.DwdGuid],
            both.Content.GetProperty("TableLineageList").EnumerateArray().Select(e => e.GetProperty("InputTableGuid").GetString()));
    }

    [Fact]
    public async Task Other_known_operations_get_the_generic_success_answer_and_are_recorded()
    {
        await using var emulator = await DataphinEmulator.StartAsync(NoQuotas);
        using var client = Lineages.Client(emulator);

        var response = await client.SendAsync(new DataphinOperationRequest("ListProjects", emulator.DefaultTenantId)
            .AddFormJson("ListQuery", new JsonObject { ["Page"] = 1, ["Name"] = "a b+c" }));

        Assert.Equal("OK", response.Code);
        Assert.True(response.Content.GetProperty("Success").GetBoolean());
        var recorded = Assert.Single(emulator.Requests);
        Assert.Equal("ListProjects", recorded.Action);
        Assert.Equal(emulator.DefaultTenantId, recorded.TenantId);
        Assert.True(recorded.Applied);
        var form = Assert.Single(recorded.Form);
        Assert.Equal("ListQuery", form.Key);
        Assert.Equal("a b+c", JsonDocument.Parse(form.Value).RootElement.GetProperty("Name").GetString());
    }

    [Fact]
    public async Task An_unknown_action_is_answered_with_InvalidAction_NotFound()
    {
        await using var emulator = await DataphinEmulator.StartAsync(NoQuotas);
        using var client = Lineages.Client(emulator);

        var error = await Assert.ThrowsAsync<DataphinRequestException>(() => client.SendAsync(new DataphinOperationRequest("RegisterEverything", emulator.DefaultTenantId)));

        Assert.Equal(404, error.Status);
        Assert.Equal("InvalidAction.NotFound", error.ErrorCode);
        Assert.NotNull(error.RequestId);
        Assert.NotNull(error.Recommend);
    }
}
