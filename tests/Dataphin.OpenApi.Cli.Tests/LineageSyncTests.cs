using System.Globalization;
using System.Text;
using System.Text.Json;
using Dataphin.OpenApi.Bulk;
using Dataphin.OpenApi.Testing;

namespace Dataphin.OpenApi.Cli.Tests;

/// <summary>
/// Issue 16: lineage as desired state. 'lineage plan' and 'lineage apply' against the emulator over loopback: the
/// plan shows exactly the changes a manifest edit makes, apply makes the store equal to the manifest, lineage the
/// state never registered is reported and never deleted, and the exit codes gate CI (0 nothing, 2 changes, 1 error).
/// </summary>
public sealed class LineageSyncTests : IAsyncLifetime
{
    private readonly string _folder = Directory.CreateTempSubdirectory("dataphin-sync-").FullName;
    private DataphinEmulator _emulator = null!;

    private string StatePath => Path.Combine(_folder, "lineage.state.json");

    private long Tenant => _emulator.DefaultTenantId;

    public async Task InitializeAsync() => _emulator = await DataphinEmulator.StartAsync(new DataphinEmulatorOptions { Quotas = EmulatorQuotas.Disabled });

    public async Task DisposeAsync()
    {
        await _emulator.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public async Task A_changed_manifest_plans_exactly_its_three_changes_apply_makes_the_store_equal_and_foreign_lineage_is_never_deleted()
    {
        // Lineage this state never registers: one pair Dataphin parsed itself, one registered by someone else through the API,
        // both on tables the manifest manages.
        _emulator.SeedSystemLineage(Tenant, Pair("ods.orders", "dw.orders_parsed"));
        var foreign = Write("foreign.jsonl", Pair("ods.users", "dw.users_audit", Field("ods.users", "id", "dw.users_audit", "id")));
        Assert.Equal(0, (await RunAsync("lineage", "add", "--file", foreign)).ExitCode);

        var v1 = Write("desired.jsonl",
            Pair("ods.orders", "dw.orders", Field("ods.orders", "order_id", "dw.orders", "order_id"), Field("ods.orders", "amount", "dw.orders", "amount_cny")),
            Pair("ods.users", "dw.users", Field("ods.users", "id", "dw.users", "user_id")),
            Pair("ods.items", "dw.items"));

        var first = await RunAsync("lineage", "plan", "--file", v1, "--state", StatePath, "--json");
        Assert.Equal(2, first.ExitCode);
        using (var plan = JsonDocument.Parse(first.Stdout))
        {
            Assert.Equal(2, plan.RootElement.GetProperty("exitCode").GetInt32());
            Assert.Equal(["add", "add", "add"], plan.RootElement.GetProperty("changes").EnumerateArray().Select(c => c.GetProperty("action").GetString()));
            Assert.Equal(3, plan.RootElement.GetProperty("summary").GetProperty("add").GetInt32());
            Assert.Equal(
                ["odps.1.dw.orders_parsed", "odps.1.dw.users_audit"],
                plan.RootElement.GetProperty("unmanaged").EnumerateArray().Select(p => p.GetProperty("targetGuid").GetString()).Order(StringComparer.Ordinal));
        }

        var applied = await RunAsync("lineage", "apply", "--file", v1, "--state", StatePath, "--auto-approve");
        Assert.True(applied.ExitCode == 0, applied.Stdout + applied.Stderr);
        Assert.Contains("Applied 3 of 3 change(s)", applied.Stdout);
        Assert.Equal(3, LineageState.Load(StatePath).Entries.Count);

        var unchanged = await RunAsync("lineage", "plan", "--file", v1, "--state", StatePath);
        Assert.Equal(0, unchanged.ExitCode);
        Assert.Contains("No changes", unchanged.Stdout);
        Assert.Contains("= odps.1.ods.users -> odps.1.dw.users_audit", unchanged.Stdout);

        // One pair removed (items), one field remapped (amount_cny now from pay_amount), one pair added (shops).
        var v2 = Write("desired.jsonl",
            Pair("ods.orders", "dw.orders", Field("ods.orders", "order_id", "dw.orders", "order_id"), Field("ods.orders", "pay_amount", "dw.orders", "amount_cny")),
            Pair("ods.users", "dw.users", Field("ods.users", "id", "dw.users", "user_id")),
            Pair("ods.shops", "dw.shops"));
        var second = await RunAsync("lineage", "plan", "--file", v2, "--state", StatePath, "--json");
        Assert.Equal(2, second.ExitCode);
        using (var plan = JsonDocument.Parse(second.Stdout))
        {
            var changes = plan.RootElement.GetProperty("changes").EnumerateArray().ToList();
            Assert.Equal(3, changes.Count);
            Assert.Equal(("add", "odps.1.dw.shops"), (changes[0].GetProperty("action").GetString(), changes[0].GetProperty("target").GetProperty("Guid").GetString()));
            Assert.Equal(("update", "odps.1.dw.orders"), (changes[1].GetProperty("action").GetString(), changes[1].GetProperty("target").GetProperty("Guid").GetString()));
            Assert.Equal("odps.1.ods.orders.pay_amount", Assert.Single(changes[1].GetProperty("fieldLineagesAdded").EnumerateArray()).GetProperty("source").GetProperty("Guid").GetString());
            Assert.Equal("odps.1.ods.orders.amount", Assert.Single(changes[1].GetProperty("fieldLineagesRemoved").EnumerateArray()).GetProperty("source").GetProperty("Guid").GetString());
            Assert.Equal(("delete", "odps.1.dw.items"), (changes[2].GetProperty("action").GetString(), changes[2].GetProperty("target").GetProperty("Guid").GetString()));
            var summary = plan.RootElement.GetProperty("summary");
            Assert.Equal((1, 1, 1, 0), (summary.GetProperty("add").GetInt32(), summary.GetProperty("update").GetInt32(), summary.GetProperty("delete").GetInt32(), summary.GetProperty("drift").GetInt32()));
            Assert.Equal(2, plan.RootElement.GetProperty("unmanaged").GetArrayLength());
        }

        _emulator.ClearRequests();
        var again = await RunAsync("lineage", "apply", "--file", v2, "--state", StatePath, "--auto-approve", "--json");
        Assert.True(again.ExitCode == 0, again.Stdout + again.Stderr);

        // The remapped field was deleted with the delete operation's field form, keeping the pair.
        var fieldDelete = Assert.Single(_emulator.Requests, r => r.Action == "DeleteRegisterLineage" && r.Form.Any(f => f.Value.Contains("amount_cny", StringComparison.Ordinal)));
        using (var command = JsonDocument.Parse(fieldDelete.Form.Single(f => f.Key == "DeleteRegisterLineageCommand").Value))
        {
            Assert.False(command.RootElement.GetProperty("CascadeDeleteLineage").GetBoolean());
            Assert.Equal("odps.1.ods.orders.amount", Assert.Single(command.RootElement.GetProperty("DetailedLineages").EnumerateArray()).GetProperty("Source").GetProperty("Guid").GetString());
        }

        Assert.Equal(
            [
                "odps.1.ods.orders -> odps.1.dw.orders: odps.1.ods.orders.order_id>odps.1.dw.orders.order_id, odps.1.ods.orders.pay_amount>odps.1.dw.orders.amount_cny",
                "odps.1.ods.orders -> odps.1.dw.orders_parsed: ",
                "odps.1.ods.shops -> odps.1.dw.shops: ",
                "odps.1.ods.users -> odps.1.dw.users: odps.1.ods.users.id>odps.1.dw.users.user_id",
                "odps.1.ods.users -> odps.1.dw.users_audit: odps.1.ods.users.id>odps.1.dw.users_audit.id",
            ],
            Store());

        var last = await RunAsync("lineage", "plan", "--file", v2, "--state", StatePath, "--json");
        Assert.Equal(0, last.ExitCode);
        using (var plan = JsonDocument.Parse(last.Stdout))
        {
            Assert.Equal(0, plan.RootElement.GetProperty("changes").GetArrayLength());
            Assert.Equal(2, plan.RootElement.GetProperty("unmanaged").GetArrayLength());
        }

        // An empty manifest deletes every pair the state registered, and still nothing else.
        var empty = Write("empty.jsonl");
        var none = await RunAsync("lineage", "apply", "--file", empty, "--state", StatePath, "--auto-approve");
        Assert.True(none.ExitCode == 0, none.Stdout + none.Stderr);
        Assert.Equal(["odps.1.ods.orders -> odps.1.dw.orders_parsed: ", "odps.1.ods.users -> odps.1.dw.users_audit: odps.1.ods.users.id>odps.1.dw.users_audit.id"], Store());
        Assert.Empty(LineageState.Load(StatePath).Entries);
    }

    [Fact]
    public async Task A_pair_deleted_outside_the_state_is_drift_and_apply_registers_it_again()
    {
        var desired = Write("desired.jsonl", Pair("ods.a", "dw.a"), Pair("ods.b", "dw.b", Field("ods.b", "x", "dw.b", "x")));
        Assert.Equal(0, (await RunAsync("lineage", "apply", "--file", desired, "--state", StatePath, "--auto-approve")).ExitCode);
        var outside = Write("outside.jsonl", Pair("ods.b", "dw.b"));
        Assert.Equal(0, (await RunAsync("lineage", "delete", "--file", outside)).ExitCode);

        var plan = await RunAsync("lineage", "plan", "--file", desired, "--state", StatePath);
        Assert.Equal(2, plan.ExitCode);
        Assert.Contains("0 to add, 0 to update, 0 to delete, 1 drifted", plan.Stdout);
        Assert.Contains("! drift  TABLE:odps.1.ods.b -> TABLE:odps.1.dw.b (registered by this state, no longer in Dataphin: registered again)", plan.Stdout);

        Assert.Equal(0, (await RunAsync("lineage", "apply", "--file", desired, "--state", StatePath, "--auto-approve")).ExitCode);
        Assert.Equal(["odps.1.ods.a -> odps.1.dw.a: ", "odps.1.ods.b -> odps.1.dw.b: odps.1.ods.b.x>odps.1.dw.b.x"], Store());
        Assert.Equal(0, (await RunAsync("lineage", "plan", "--file", desired, "--state", StatePath)).ExitCode);
    }

    [Fact]
    public async Task Field_lineage_changes_of_one_pair_go_in_calls_of_at_most_100_and_removing_them_all_keeps_the_pair()
    {
        var many = Enumerable.Range(0, 250).Select(i => Field("ods.wide", $"c{i}", "dw.wide", $"c{i}")).ToArray();
        var desired = Write("desired.jsonl", Pair("ods.wide", "dw.wide", many));
        var wide = await RunAsync("lineage", "apply", "--file", desired, "--state", StatePath, "--auto-approve");
        Assert.True(wide.ExitCode == 0, wide.Stdout + wide.Stderr);
        Assert.Equal([100, 100, 50], FieldsPerCall("AddRegisterLineage"));

        _emulator.ClearRequests();
        var none = Write("desired.jsonl", Pair("ods.wide", "dw.wide"));
        var plan = await RunAsync("lineage", "plan", "--file", none, "--state", StatePath);
        Assert.Contains("~ update TABLE:odps.1.ods.wide -> TABLE:odps.1.dw.wide (+0 -250 field lineage(s))", plan.Stdout);
        Assert.Equal(0, (await RunAsync("lineage", "apply", "--file", none, "--state", StatePath, "--auto-approve")).ExitCode);
        Assert.Equal([100, 100, 50], FieldsPerCall("DeleteRegisterLineage"));
        Assert.Equal(["odps.1.ods.wide -> odps.1.dw.wide: "], Store());
    }

    [Fact]
    public async Task Apply_asks_for_confirmation_and_changes_nothing_unless_the_answer_is_yes()
    {
        var desired = Write("desired.jsonl", Pair("ods.a", "dw.a"));

        var noInput = await RunAsync("lineage", "apply", "--file", desired, "--state", StatePath);
        Assert.Equal(2, noInput.ExitCode);
        Assert.Contains("pass --auto-approve", noInput.Stderr);

        var refused = await RunAsync(new StringReader("y\n"), "lineage", "apply", "--file", desired, "--state", StatePath);
        Assert.Equal(1, refused.ExitCode);
        Assert.Contains("Deletes cannot be undone. Type yes to go on:", refused.Stderr);
        Assert.Contains("Nothing was changed", refused.Stderr);
        Assert.Empty(Store());
        Assert.False(File.Exists(StatePath));
        Assert.DoesNotContain(_emulator.Requests, r => r.Action == "AddRegisterLineage");

        var accepted = await RunAsync(new StringReader("yes\n"), "lineage", "apply", "--file", desired, "--state", StatePath);
        Assert.Equal(0, accepted.ExitCode);
        Assert.Equal(["odps.1.ods.a -> odps.1.dw.a: "], Store());
    }

    [Fact]
    public async Task Plan_exits_1_on_errors_naming_what_is_wrong_and_sends_nothing_for_bad_input()
    {
        var twice = Write("twice.jsonl", Pair("ods.a", "dw.a"), Pair("ods.a", "dw.a"));
        var duplicate = await RunAsync("lineage", "plan", "--file", twice, "--state", StatePath, "--json");
        Assert.Equal(1, duplicate.ExitCode);
        using (var error = JsonDocument.Parse(duplicate.Stdout))
        {
            Assert.Equal(1, error.RootElement.GetProperty("exitCode").GetInt32());
            Assert.Contains("is already listed by item", error.RootElement.GetProperty("error").GetString());
        }

        var badState = Path.Combine(_folder, "bad.state.json");
        File.WriteAllText(badState, """{"pairs":[]}""");
        var unreadable = await RunAsync("lineage", "plan", "--file", Write("ok.jsonl", Pair("ods.a", "dw.a")), "--state", badState);
        Assert.Equal(1, unreadable.ExitCode);
        Assert.Contains("bad.state.json: The lineage state has no \"version\"", unreadable.Stderr);

        var invalid = Write("invalid.jsonl", """{"Id":"bad","Source":{"ReferenceType":"BY_GUID","MetadataType":"TABLE"},"Target":{"ReferenceType":"BY_GUID","MetadataType":"TABLE","Guid":"t"}}""");
        var rejected = await RunAsync("lineage", "plan", "--file", invalid, "--state", StatePath);
        Assert.Equal(1, rejected.ExitCode);
        Assert.Contains("item bad", rejected.Stderr);
        Assert.Contains("Source.Guid", rejected.Stderr);
        Assert.Empty(_emulator.Requests);

        Assert.Equal(1, (await RunAsync("lineage", "plan", "--state", StatePath)).ExitCode);

        var variables = Variables();
        variables["DATAPHIN_ENDPOINT"] = "http://127.0.0.1:9";
        var unreachable = await CliRun.RunAsync(null, variables, "lineage", "plan", "--file", Write("ok.jsonl", Pair("ods.a", "dw.a")), "--state", StatePath);
        Assert.Equal(1, unreachable.ExitCode);
        Assert.Contains("Reading what Dataphin holds failed", unreachable.Stderr);
    }

    [Fact]
    public async Task The_emulator_answers_the_read_operations_from_what_it_holds()
    {
        _emulator.SeedSystemLineage(Tenant, """{"Source":{"ReferenceType":"BY_PROPERTY","MetadataType":"TABLE","Catalog":"dataphin","Schema":"ods","Name":"orders","Env":"PROD"},"Target":{"ReferenceType":"BY_GUID","MetadataType":"TABLE","Guid":"odps.1.dw.orders"},"DetailedLineages":[{"Source":{"ReferenceType":"BY_PROPERTY","MetadataType":"COLUMN","Name":"amount"},"Target":{"ReferenceType":"BY_GUID","MetadataType":"COLUMN","Guid":"odps.1.dw.orders.amount_cny"}}]}""");
        using var client = new DataphinClient(_emulator.Endpoint, new DataphinCredential(_emulator.AccessKeyId, _emulator.AccessKeySecret));

        var assets = await client.DataAsset.ListCatalogAssetsAsync(Tenant, new Models.ListCatalogAssetsRequest { ListCatalogAssetsQuery = new() { Name = "orders", QueryMode = "EXACT_MATCH" } });
        Assert.Equal(2L, assets.Data!.TotalCount);
        var found = assets.Data.AssetList![0];
        Assert.Equal(("dataphin.ods.orders", "ods", "ods.orders"), (found.Guid, found.ProjectName, found.AssetFullName));
        Assert.Equal(("odps.1.dw.orders", null, "orders"), (assets.Data.AssetList[1].Guid, assets.Data.AssetList[1].ProjectName, assets.Data.AssetList[1].AssetFullName));
        var missing = await client.DataAsset.ListCatalogAssetsAsync(Tenant, new Models.ListCatalogAssetsRequest { ListCatalogAssetsQuery = new() { Name = "order" } });
        Assert.Empty(missing.Data!.AssetList!);
        var search = await client.DataAsset.ListCatalogAssetsAsync(Tenant, new Models.ListCatalogAssetsRequest { ListCatalogAssetsQuery = new() { Name = "order", QueryMode = "ASSET_SEARCH", PageSize = 1, PageNum = 2 } });
        Assert.Equal((2L, "odps.1.dw.orders"), (search.Data!.TotalCount, Assert.Single(search.Data.AssetList!).Guid));

        var details = await client.DataAsset.GetCatalogAssetDetailsAsync(Tenant, new Models.GetCatalogAssetDetailsRequest { GetCatalogAssetDetailsQuery = new() { Guid = "odps.1.dw.orders", IncludeColumns = true } });
        Assert.Equal("orders", details.Data!.AssetName);
        Assert.Equal("amount_cny", Assert.Single(details.Data.Columns!).Name);
        var unknown = await client.DataAsset.GetCatalogAssetDetailsAsync(Tenant, new Models.GetCatalogAssetDetailsRequest { GetCatalogAssetDetailsQuery = new() { Guid = "odps.1.nothing" } });
        Assert.Null(unknown.Data);

        var columns = await client.DataAsset.GetTableColumnLineagesAsync(Tenant, new Models.GetTableColumnLineagesRequest { TableGuid = "odps.1.dw.orders", FilterQuery = new() { NeedUpstream = true, NeedDownstream = false } });
        var row = Assert.Single(columns.TableColumnLineageList!);
        Assert.Equal(("dataphin.ods.orders", "amount", "odps.1.dw.orders", "odps.1.dw.orders.amount_cny"), (row.InputTableGuid, row.InputColumnName, row.OutputTableGuid, row.OutputColumnGuid));
        var downstream = await client.DataAsset.GetTableColumnLineagesAsync(Tenant, new Models.GetTableColumnLineagesRequest { TableGuid = "odps.1.dw.orders", FilterQuery = new() { NeedUpstream = false, NeedDownstream = true } });
        Assert.Empty(downstream.TableColumnLineageList!);
    }

    private int[] FieldsPerCall(string action) => _emulator.Requests
        .Where(r => r.Action == action)
        .Select(r =>
        {
            using var command = JsonDocument.Parse(r.Form.Single(f => f.Key == action + "Command").Value);
            return command.RootElement.TryGetProperty("DetailedLineages", out var fields) ? fields.GetArrayLength() : 0;
        })
        .Order()
        .Reverse()
        .ToArray();

    /// <summary>The store as "source -> target: field>field, …", sorted.</summary>
    private string[] Store() => _emulator.GetLineage(Tenant)
        .Select(e => $"{e.Source.EmulatorGuid} -> {e.Target.EmulatorGuid}: " + string.Join(", ", e.FieldLineages.Select(f => $"{f.Source.EmulatorGuid}>{f.Target.EmulatorGuid}")))
        .Order(StringComparer.Ordinal)
        .ToArray();

    private string Write(string name, params string[] lines)
    {
        var path = Path.Combine(_folder, name);
        File.WriteAllText(path, string.Join("\n", lines) + (lines.Length == 0 ? string.Empty : "\n"));
        return path;
    }

    internal static string Pair(string source, string target, params string[] fields)
    {
        var details = fields.Length == 0 ? string.Empty : ",\"DetailedLineages\":[" + string.Join(",", fields) + "]";
        return "{\"Source\":" + Table(source) + ",\"Target\":" + Table(target) + details + "}";
    }

    internal static string Field(string sourceTable, string source, string targetTable, string target)
        => "{\"Source\":" + Column(sourceTable, source) + ",\"Target\":" + Column(targetTable, target) + "}";

    private static string Table(string name) => $$"""{"ReferenceType":"BY_GUID","MetadataType":"TABLE","Guid":"odps.1.{{name}}"}""";

    private static string Column(string table, string name) => $$"""{"ReferenceType":"BY_GUID","MetadataType":"COLUMN","Guid":"odps.1.{{table}}.{{name}}"}""";

    private Dictionary<string, string> Variables() => new()
    {
        ["ALIBABA_CLOUD_ACCESS_KEY_ID"] = _emulator.AccessKeyId,
        ["ALIBABA_CLOUD_ACCESS_KEY_SECRET"] = _emulator.AccessKeySecret,
        ["DATAPHIN_ENDPOINT"] = _emulator.Endpoint.ToString(),
        ["DATAPHIN_TENANT_ID"] = Tenant.ToString(CultureInfo.InvariantCulture),
        ["XDG_STATE_HOME"] = Path.Combine(_folder, "runs"),
    };

    private Task<CliRun> RunAsync(params string[] args) => RunAsync(null, args);

    private async Task<CliRun> RunAsync(TextReader? input, params string[] args)
    {
        var variables = Variables();
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var environment = new CliEnvironment { GetVariable = name => variables.TryGetValue(name, out var value) ? value : null, Input = input, Interactive = false };
        var code = await CliApp.RunAsync(args, stdout, stderr, environment);
        var run = new CliRun(code, stdout.ToString(), stderr.ToString());
        Assert.DoesNotContain(_emulator.AccessKeySecret, run.Stdout + run.Stderr, StringComparison.Ordinal);
        return run;
    }
}
