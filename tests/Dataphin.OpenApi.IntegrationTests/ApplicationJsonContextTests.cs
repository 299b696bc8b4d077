using System.Text.Json;
using System.Text.Json.Serialization;
using Dataphin.OpenApi.IntegrationTests.Support;
using Dataphin.OpenApi.Serialization;
using Dataphin.OpenApi.Testing;

namespace Dataphin.OpenApi.IntegrationTests;

/// <summary>
/// An application's own source-generated <see cref="JsonSerializerContext"/> holding the SDK's models. This assembly
/// sees none of the SDK's internals, as an application does: if the value sets named a converter the application's
/// generator cannot create, this project would not build (SYSLIB1220) and the serializer would fail at run time.
/// </summary>
public sealed class ApplicationJsonContextTests
{
    [Fact]
    public void An_applications_source_generated_context_writes_value_sets_as_strings_and_reads_unknown_ones_back()
    {
        var message = new QueuedLineage(
            "nightly_orders",
            new AddRegisterLineageCommand(
                AssetReference.ByProperty("ods_trade_order", schema: "ods_project", catalog: "dataphin", env: DataphinEnvironment.Prod, subType: "BI_DATASET"),
                AssetReference.ByGuid("odps.300001234.dw_project.dwd_trade_order_di")));

        var json = JsonSerializer.Serialize(message, ApplicationJson.Default.QueuedLineage);
        var back = JsonSerializer.Deserialize(json, ApplicationJson.Default.QueuedLineage)!;

        Assert.Contains("\"MetadataSubType\":\"BI_DATASET\"", json, StringComparison.Ordinal);
        Assert.Contains("\"ReferenceType\":\"BY_GUID\"", json, StringComparison.Ordinal);
        Assert.Contains("\"Env\":\"PROD\"", json, StringComparison.Ordinal);
        Assert.Equal(new MetadataSubType("BI_DATASET"), back.Command.Source!.MetadataSubType);
        Assert.Equal(DataphinJson.Serialize(message.Command), DataphinJson.Serialize(back.Command));
    }

    [Fact]
    public void A_value_set_that_is_not_a_json_string_is_a_json_error_naming_the_value_set()
    {
        var error = Assert.Throws<JsonException>(() => JsonSerializer.Deserialize("""{"Job":"j","Command":{"Source":{"ReferenceType":1}}}""", ApplicationJson.Default.QueuedLineage));

        Assert.StartsWith("Expected a JSON string for ReferenceType, found Number", error.Message, StringComparison.Ordinal);
        Assert.Equal("$.Command.Source.ReferenceType", error.Path);
    }

    [Fact]
    public async Task A_command_kept_in_the_applications_json_registers_the_same_lineage_as_the_original()
    {
        await using var emulator = await DataphinEmulator.StartAsync(new DataphinEmulatorOptions { Quotas = EmulatorQuotas.Disabled });
        using var client = Lineages.Client(emulator);
        var original = Lineages.Add(("pay_amount", "pay_amount_cny"), ("order_id", "order_id"));
        var kept = JsonSerializer.Deserialize(
            JsonSerializer.Serialize(new QueuedLineage("nightly_orders", original), ApplicationJson.Default.QueuedLineage),
            ApplicationJson.Default.QueuedLineage)!;

        await client.AddRegisterLineageAsync(emulator.DefaultTenantId, kept.Command);

        var stored = Assert.Single(emulator.GetLineage(emulator.DefaultTenantId));
        Assert.Equal(2, stored.FieldLineages.Count);
        Assert.Equal(DataphinJson.Serialize(original), emulator.Requests.Single().Form.Single(f => f.Key == "AddRegisterLineageCommand").Value);
    }
}

/// <summary>What an application might put on a queue: a job name and the command to send later.</summary>
public sealed record QueuedLineage(string Job, AddRegisterLineageCommand Command);

[JsonSerializable(typeof(QueuedLineage))]
internal sealed partial class ApplicationJson : JsonSerializerContext;
