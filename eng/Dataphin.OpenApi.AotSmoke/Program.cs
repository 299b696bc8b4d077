// Native AOT smoke test: the shipped libraries as a trimmed, natively compiled application uses them, against a
// running emulator. Every step checks its outcome; the first failure ends the run with exit code 1.
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Dataphin.OpenApi;
using Dataphin.OpenApi.AotSmoke;
using Dataphin.OpenApi.Bulk;
using Dataphin.OpenApi.OpenLineage;
using Dataphin.OpenApi.Serialization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

if (args.Length != 2 || !Uri.TryCreate(args[0], UriKind.Absolute, out var endpoint) || !Directory.Exists(args[1]))
{
    Console.Error.WriteLine("""
        Usage: Dataphin.OpenApi.AotSmoke <emulator endpoint> <samples folder>
          The credential comes from ALIBABA_CLOUD_ACCESS_KEY_ID and ALIBABA_CLOUD_ACCESS_KEY_SECRET
          (the emulator's defaults are testAccessKeyId / testAccessKeySecret), the tenant from
          DATAPHIN_TENANT_ID (default 300001234).
        """);
    return 2;
}

var samples = args[1];
var tenant = long.Parse(Environment.GetEnvironmentVariable("DATAPHIN_TENANT_ID") ?? "300001234", CultureInfo.InvariantCulture);
var checks = 0;

try
{
    // 1. Dependency injection and the configuration binder (no reflection), as a worker service sets it up.
    var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
    builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
    {
        ["Dataphin:Endpoint"] = endpoint.ToString(),
        ["Dataphin:Edition"] = "Basic",
        ["Dataphin:Retry:MaxAttempts"] = "3",
        ["Dataphin:Timeouts:TotalTimeout"] = "00:01:00",
    });
    builder.Services.AddDataphinClient(builder.Configuration.GetSection("Dataphin"));
    using var host = builder.Build();
    await host.StartAsync();
    var client = host.Services.GetRequiredService<DataphinClient>();
    Pass("the host starts with AddDataphinClient(configuration) and resolves a DataphinClient");

    // 2. Register lineage, read it back, delete it.
    var source = $"odps.{tenant}.ods_project.aot_smoke_orders";
    var target = $"odps.{tenant}.dw_project.aot_smoke_orders_di";
    var command = new AddRegisterLineageCommand(AssetReference.ByGuid(source), AssetReference.ByGuid(target))
    {
        DetailedLineages = { new FieldLineage(AssetReference.FieldByGuid(source + ".order_id", source), AssetReference.FieldByGuid(target + ".order_id", target)) },
        RelationProperties = { ["jobName"] = "aot_smoke" },
    };
    var added = await client.AddRegisterLineageAsync(tenant, command);
    Expect(!string.IsNullOrEmpty(added.RequestId), "AddRegisterLineage returns the service's RequestId");
    Expect(await UpstreamOf(client, tenant, target) == source, $"GetTableLineages shows {source} upstream of {target}");
    Pass("AddRegisterLineage, then GetTableLineages (SendAsync with a JSON form field) reads the lineage back");

    await client.DeleteRegisterLineageAsync(tenant, new DeleteRegisterLineageCommand(command.Source!, command.Target!) { CascadeDeleteLineage = true });
    Expect(await UpstreamOf(client, tenant, target) is null, "the lineage is gone after DeleteRegisterLineage");
    Pass("DeleteRegisterLineage removes it");

    // 3. Bulk runs from manifests (JSON Lines through the strict reader, CSV), and one with broken items.
    var bulk = new DataphinBulkLineage(client, tenant);
    foreach (var name in new[] { "lineage.jsonl", "lineage.csv" })
    {
        var summary = await bulk.RunToSummaryAsync(LineageManifestReader.ReadFileAsync(Path.Combine(samples, "manifests", name), LineageManifestOperation.Add));
        Expect(summary.Total > 0 && summary.Succeeded == summary.Total, $"every item of {name} registered ({summary.Succeeded} of {summary.Total})");
        Pass($"bulk run of samples/manifests/{name}: {summary.Succeeded} of {summary.Total} items registered");
    }

    var checkedOnly = await bulk.RunToSummaryAsync(
        LineageManifestReader.ReadFileAsync(Path.Combine(samples, "manifests", "lineage-with-errors.jsonl"), LineageManifestOperation.Add),
        new BulkOptions { DryRun = true });
    Expect(checkedOnly.SkippedInvalid > 0 && checkedOnly.CallsSent == 0, $"the broken items are reported invalid and nothing is sent ({checkedOnly.SkippedInvalid} invalid, {checkedOnly.CallsSent} calls)");
    Pass($"dry run of samples/manifests/lineage-with-errors.jsonl: {checkedOnly.SkippedInvalid} of {checkedOnly.Total} items reported invalid, no call sent");

    // 4. OpenLineage import, registered through the bulk runner.
    var importer = new OpenLineageImporter(OpenLineageMappingRules.Parse(await File.ReadAllTextAsync(Path.Combine(samples, "openlineage", "openlineage-rules.json"))));
    OpenLineageImportResult imported;
    await using (var events = File.OpenRead(Path.Combine(samples, "openlineage", "spark-events.jsonl")))
    {
        imported = await importer.ImportJsonLinesAsync(events);
    }

    Expect(imported.Items.Count > 0 && imported.FieldLineageCount > 0, $"the Spark events give table and field lineage ({imported.Items.Count} pairs, {imported.FieldLineageCount} field lineages)");
    var importedSummary = await bulk.RunToSummaryAsync(imported.Items);
    Expect(importedSummary.Succeeded == imported.Items.Count, $"every imported pair registered ({importedSummary.Succeeded} of {imported.Items.Count})");
    Pass($"OpenLineage import of samples/openlineage/spark-events.jsonl: {imported.Items.Count} pairs registered");

    // 5. Errors: validation before any call, a rejected signature mapped to its typed exception.
    var invalid = await Catch<DataphinValidationException>(() => client.AddRegisterLineageAsync(tenant, new AddRegisterLineageCommand { Source = AssetReference.ByGuid(source) }));
    Expect(invalid.Errors.Any(e => e.Path == "Target"), "the validation error names Target");
    Pass("a command without Target is a DataphinValidationException naming Target");

    var accessKeyId = Environment.GetEnvironmentVariable(DataphinCredential.AccessKeyIdVariable) ?? "testAccessKeyId";
    using (var wrong = new DataphinClient(endpoint, new DataphinCredential(accessKeyId, "not-the-secret-aot")))
    {
        var denied = await Catch<DataphinAuthenticationException>(() => wrong.AddRegisterLineageAsync(tenant, command));
        Expect(!string.IsNullOrEmpty(denied.RequestId) && !denied.ToString().Contains("not-the-secret-aot", StringComparison.Ordinal), "the exception carries the RequestId and not the secret");
        Pass($"a wrong secret is a DataphinAuthenticationException ({denied.ErrorCode}) without the secret in it");
    }

    // 6. A typo in the configuration stops the host's start with the binder's own message.
    var typo = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
    typo.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
    {
        ["Dataphin:Endpoint"] = endpoint.ToString(),
        ["Dataphin:Retyr:MaxAttempts"] = "3",
    });
    typo.Services.AddDataphinClient(typo.Configuration.GetSection("Dataphin"));
    using (var typoHost = typo.Build())
    {
        var rejected = await Catch<OptionsValidationException>(() => typoHost.StartAsync());
        Expect(rejected.Message.Contains("Dataphin:Retyr is not a setting", StringComparison.Ordinal), "the message names Dataphin:Retyr");
        Pass("'Dataphin:Retyr' stops the start: " + rejected.Message.Split('\n')[0]);
    }

    // 7. JSON: the service's form of a command round-trips, and an application's own source-generated
    //    context can hold the SDK's models (the value-set converter must be creatable from this assembly).
    var json = DataphinJson.Serialize(command);
    Expect(DataphinJson.Serialize(DataphinJson.DeserializeAddCommand(json)) == json, "DataphinJson round-trips a command");
    var message = new LineageMessage(AssetReference.ByGuid(target), "BI_DATASET");
    var messageJson = JsonSerializer.Serialize(message, SmokeJsonContext.Default.LineageMessage);
    var back = JsonSerializer.Deserialize(messageJson, SmokeJsonContext.Default.LineageMessage)!;
    Expect(messageJson.Contains("\"ReferenceType\":\"BY_GUID\"", StringComparison.Ordinal) && back.Kind == "BI_DATASET" && back.Table.Guid == target, $"an application's JsonSerializerContext writes the value sets as strings: {messageJson}");
    Pass("DataphinJson round-trips a command; an application's source-generated context serializes AssetReference and value sets");

    await host.StopAsync();
}
catch (Exception e) when (e is SmokeFailure or DataphinException or HttpRequestException or IOException or JsonException or InvalidOperationException or ArgumentException)
{
    Console.Error.WriteLine($"FAILED after {checks} checks: {e}");
    return 1;
}

Console.WriteLine($"aot smoke: {checks} checks passed");
return 0;

void Pass(string what) => Console.WriteLine($"ok {++checks}: {what}");

static void Expect(bool condition, string what)
{
    if (!condition)
    {
        throw new SmokeFailure(what);
    }
}

static async Task<T> Catch<T>(Func<Task> call)
    where T : Exception
{
    try
    {
        await call();
    }
    catch (T expected)
    {
        return expected;
    }

    throw new SmokeFailure($"expected a {typeof(T).Name}, but the call succeeded");
}

static async Task<string?> UpstreamOf(DataphinClient client, long tenant, string table)
{
    var response = await client.SendAsync(
        new DataphinOperationRequest("GetTableLineages", tenant)
            .AddQuery("TableGuid", table)
            .AddFormJson("FilterQuery", new JsonObject { ["NeedUpstream"] = true, ["NeedDownstream"] = false }));
    var edges = response.Content.GetProperty("TableLineageList");
    return edges.GetArrayLength() == 0 ? null : edges[0].GetProperty("InputTableGuid").GetString();
}

namespace Dataphin.OpenApi.AotSmoke
{
    /// <summary>A check that did not hold.</summary>
    internal sealed class SmokeFailure(string message) : Exception(message);

    /// <summary>An application's own message that holds SDK models.</summary>
    internal sealed record LineageMessage(AssetReference Table, MetadataSubType Kind);

    /// <summary>An application's own source-generated context (not the SDK's).</summary>
    [JsonSerializable(typeof(LineageMessage))]
    internal sealed partial class SmokeJsonContext : JsonSerializerContext;
}
