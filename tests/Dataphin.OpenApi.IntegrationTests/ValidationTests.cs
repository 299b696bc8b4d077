using System.Text.Json.Nodes;
using Dataphin.OpenApi.IntegrationTests.Support;
using Dataphin.OpenApi.Testing;

namespace Dataphin.OpenApi.IntegrationTests;

public sealed class ValidationTests
{
    private static readonly DataphinEmulatorOptions NoQuotas = new() { Quotas = EmulatorQuotas.Disabled };

    [Fact]
    public async Task More_than_100_field_lineages_are_rejected_by_the_client_before_any_request()
    {
        await using var emulator = await DataphinEmulator.StartAsync(NoQuotas);
        using var client = Lineages.Client(emulator);
        var command = Lineages.Add(Enumerable.Range(0, 101).Select(i => ($"c{i}", $"c{i}")).ToArray());

        var error = await Assert.ThrowsAsync<DataphinValidationException>(() => client.AddRegisterLineageAsync(emulator.DefaultTenantId, command));

        Assert.Contains(error.Errors, e => e.Path == "DetailedLineages");
        Assert.Empty(emulator.Requests);
    }

    [Fact]
    public async Task More_than_100_field_lineages_are_rejected_by_the_emulator_when_a_client_skips_validation()
    {
        await using var emulator = await DataphinEmulator.StartAsync(NoQuotas);
        using var client = Lineages.Client(emulator);
        var lineages = new JsonArray();
        for (var i = 0; i < 101; i++)
        {
            lineages.Add(new JsonObject
            {
                ["Source"] = new JsonObject { ["MetadataType"] = "COLUMN", ["Name"] = $"c{i}", ["ReferenceType"] = "BY_PROPERTY" },
                ["Target"] = new JsonObject { ["Guid"] = $"{Lineages.DwdGuid}.c{i}", ["MetadataType"] = "COLUMN", ["ReferenceType"] = "BY_GUID" },
            });
        }

        var command = new JsonObject
        {
            ["DetailedLineages"] = lineages,
            ["Source"] = new JsonObject { ["MetadataType"] = "TABLE", ["Name"] = "ods_trade_order", ["ReferenceType"] = "BY_PROPERTY" },
            ["Target"] = new JsonObject { ["Guid"] = Lineages.DwdGuid, ["MetadataType"] = "TABLE", ["ReferenceType"] = "BY_GUID" },
        };

        var error = await Assert.ThrowsAsync<DataphinRequestException>(() => client.SendAsync(
            new DataphinOperationRequest("AddRegisterLineage", emulator.DefaultTenantId).AddFormJson("AddRegisterLineageCommand", command)));

        Assert.Equal(400, error.Status);
        Assert.Equal("InvalidParameter", error.ErrorCode);
        Assert.Contains("DetailedLineages", error.ServiceMessage, StringComparison.Ordinal);
        Assert.Contains("100", error.ServiceMessage, StringComparison.Ordinal);
        Assert.Empty(emulator.GetLineage(emulator.DefaultTenantId));
        Assert.False(Assert.Single(emulator.Requests).Applied);
    }

    [Fact]
    public async Task A_command_without_Source_is_rejected_by_the_emulator_naming_the_field()
    {
        await using var emulator = await DataphinEmulator.StartAsync(NoQuotas);
        using var client = Lineages.Client(emulator);
        var command = new JsonObject { ["Target"] = new JsonObject { ["Guid"] = Lineages.DwdGuid, ["MetadataType"] = "TABLE", ["ReferenceType"] = "BY_GUID" } };

        var error = await Assert.ThrowsAsync<DataphinRequestException>(() => client.SendAsync(
            new DataphinOperationRequest("DeleteRegisterLineage", emulator.DefaultTenantId).AddFormJson("DeleteRegisterLineageCommand", command)));

        Assert.Equal(400, error.Status);
        Assert.Equal("InvalidParameter", error.ErrorCode);
        Assert.Contains("DeleteRegisterLineageCommand.Source is mandatory", error.ServiceMessage, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_lineage_call_without_its_command_field_is_answered_with_MissingParameter()
    {
        await using var emulator = await DataphinEmulator.StartAsync(NoQuotas);
        using var client = Lineages.Client(emulator);

        var error = await Assert.ThrowsAsync<DataphinRequestException>(() => client.SendAsync(new DataphinOperationRequest("AddRegisterLineage", emulator.DefaultTenantId)));

        Assert.Equal(400, error.Status);
        Assert.Equal("MissingAddRegisterLineageCommand", error.ErrorCode);
    }

    private const string Guid = "{\"Guid\":\"odps.300001234.dw_project.dwd_trade_order_di\",\"MetadataType\":\"TABLE\",\"ReferenceType\":\"BY_GUID\"}";

    [Theory]
    [InlineData("{\"MetadataType\":\"TABLE\",\"Name\":\"ods\\ud800x\",\"ReferenceType\":\"BY_PROPERTY\"}", "AddRegisterLineageCommand.Source.Name has an unpaired UTF-16 surrogate")]
    [InlineData("{\"MetadataType\":\"TABLE\",\"Name\":\"ods\",\"ReferenceType\":\"BY_PROPERTY\",\"ExtProperties\":{\"k\\udc00\":1}}", "AddRegisterLineageCommand.Source.ExtProperties has a property name that has an unpaired UTF-16 surrogate")]
    [InlineData("{\"MetadataType\":\"TABLE\",\"Name\":\"ods\",\"ReferenceType\":\"by_property\"}", "AddRegisterLineageCommand.Source.ReferenceType 'by_property' is not BY_GUID or BY_PROPERTY (values are case-sensitive and unpadded: BY_PROPERTY)")]
    [InlineData("{\"MetadataType\":\"TABLE\",\"Name\":\"ods\",\"ReferenceType\":\"BY_FOO\"}", "AddRegisterLineageCommand.Source.ReferenceType 'BY_FOO' is not BY_GUID or BY_PROPERTY.")]
    [InlineData("{\"MetadataType\":\"TABLE\",\"Name\":\"ods\",\"ReferenceType\":\" \"}", "AddRegisterLineageCommand.Source.ReferenceType is mandatory")]
    [InlineData("{\"MetadataType\":\"TABLE\",\"Name\":\"ods\",\"ReferenceType\":\"by_guid\"}", "AddRegisterLineageCommand.Source.Guid is mandatory when ReferenceType is BY_GUID.")]
    [InlineData("{\"MetadataType\":\"table\",\"Name\":\"ods\",\"ReferenceType\":\"BY_PROPERTY\"}", "AddRegisterLineageCommand.Source.MetadataType 'table' is not TABLE")]
    [InlineData("{\"MetadataType\":\" \",\"Name\":\"ods\",\"ReferenceType\":\"BY_PROPERTY\"}", "AddRegisterLineageCommand.Source.MetadataType is mandatory.")]
    [InlineData("{\"MetadataSubType\":\"physical_table\",\"MetadataType\":\"TABLE\",\"Name\":\"ods\",\"ReferenceType\":\"BY_PROPERTY\"}", "AddRegisterLineageCommand.Source.MetadataSubType 'physical_table' is not PHYSICAL_TABLE")]
    [InlineData("{\"Env\":\"prod\",\"MetadataType\":\"TABLE\",\"Name\":\"ods\",\"ReferenceType\":\"BY_PROPERTY\"}", "AddRegisterLineageCommand.Source.Env 'prod' is not PROD")]
    [InlineData("{\"MetadataType\":\"TABLE\",\"Name\":\"ods \",\"ReferenceType\":\"BY_PROPERTY\"}", "AddRegisterLineageCommand.Source.Name has leading or trailing white space or control characters.")]
    [InlineData("{\"MetadataType\":\"TABLE\",\"Name\":\"ods\",\"ParentGuid\":\"odps.1.p\",\"ReferenceType\":\"BY_PROPERTY\"}", "AddRegisterLineageCommand.Source.ParentGuid is only allowed on field references.")]
    public async Task The_emulator_refuses_what_the_documentation_does_not_allow_naming_the_field(string source, string expected)
    {
        await using var emulator = await DataphinEmulator.StartAsync(NoQuotas);
        using var client = Lineages.Client(emulator, configure: Lineages.SingleAttempt);
        var command = "{\"Source\":" + source + ",\"Target\":" + Guid + "}";

        var error = await Assert.ThrowsAsync<DataphinRequestException>(() => client.SendAsync(
            new DataphinOperationRequest("AddRegisterLineage", emulator.DefaultTenantId).AddForm("AddRegisterLineageCommand", command)));

        Assert.Equal(400, error.Status);
        Assert.Equal("InvalidParameter", error.ErrorCode);
        Assert.Contains(expected, error.ServiceMessage, StringComparison.Ordinal);
        Assert.Empty(emulator.GetLineage(emulator.DefaultTenantId));
    }

    [Fact]
    public async Task The_emulator_accepts_sub_types_and_metadata_types_the_documentation_leaves_open()
    {
        // operations.json gives MetadataSubType's 14 values and Env's two as exampleValues, not as an enum (ReferenceType has an enum).
        await using var emulator = await DataphinEmulator.StartAsync(NoQuotas);
        using var client = Lineages.Client(emulator, configure: Lineages.SingleAttempt);
        var command = new AddRegisterLineageCommand(
            AssetReference.ByProperty("ext_orders", schema: "lake", catalog: "hive", env: "STAGING", subType: "EXTERNAL_TABLE"),
            AssetReference.ByProperty("orders_dashboard", metadataType: "BI_DATASET"));

        await client.AddRegisterLineageAsync(emulator.DefaultTenantId, command);

        var edge = Assert.Single(emulator.GetLineage(emulator.DefaultTenantId));
        Assert.Equal("EXTERNAL_TABLE", edge.Source.MetadataSubType);
        Assert.Equal("BI_DATASET", edge.Target.MetadataType);
    }

    [Fact]
    public async Task A_name_with_an_unpaired_surrogate_is_refused_by_the_client_never_sent_as_a_replacement_character()
    {
        await using var emulator = await DataphinEmulator.StartAsync(NoQuotas);
        using var client = Lineages.Client(emulator);
        var command = Lineages.Add(("amount\uD800", "amount"));

        var error = await Assert.ThrowsAsync<DataphinValidationException>(() => client.AddRegisterLineageAsync(emulator.DefaultTenantId, command));

        var problem = Assert.Single(error.Errors);
        Assert.Equal("DetailedLineages[0].Source.Name", problem.Path);
        Assert.Equal(DataphinValidationRules.InvalidUtf16, problem.Rule);
        Assert.Equal(0, emulator.RequestsReceived);
    }
}
