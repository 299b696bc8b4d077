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
}
