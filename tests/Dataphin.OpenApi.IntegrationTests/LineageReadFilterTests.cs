using Dataphin.OpenApi.IntegrationTests.Support;
using Dataphin.OpenApi.Models;
using Dataphin.OpenApi.Testing;

namespace Dataphin.OpenApi.IntegrationTests;

/// <summary>
/// Issue 16: the emulator honours every field of GetTableLineages' and GetTableColumnLineages' FilterQuery
/// (NeedUpstream, NeedDownstream, NeedNotExistObject, NodeEnv, NodeIdList), read back over the wire with the typed client.
/// </summary>
public sealed class LineageReadFilterTests : IAsyncLifetime
{
    private const string Up = "odps.1.p.up";
    private const string Mid = "odps.1.p.mid";
    private const string Down = "odps.1.p.down";
    private const string Gone = "odps.1.p.gone";

    private DataphinEmulator _emulator = null!;
    private DataphinClient _client = null!;

    private long Tenant => _emulator.DefaultTenantId;

    public async Task InitializeAsync()
    {
        _emulator = await DataphinEmulator.StartAsync(new DataphinEmulatorOptions { Quotas = EmulatorQuotas.Disabled });
        _client = Lineages.Client(_emulator, configure: o => o.RateLimit.Enabled = false);
        await AddAsync(Up, Mid, "id");
        await AddAsync(Mid, Down, "id");
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _emulator.DisposeAsync();
    }

    [Fact]
    public async Task NeedUpstream_and_NeedDownstream_pick_the_edges_into_and_out_of_the_table()
    {
        Assert.Equal(["up>mid"], await PairsAsync(new() { NeedUpstream = true, NeedDownstream = false }));
        Assert.Equal(["mid>down"], await PairsAsync(new() { NeedUpstream = false, NeedDownstream = true }));
        Assert.Empty(await PairsAsync(new() { NeedUpstream = false, NeedDownstream = false }));
        Assert.Equal(["up>mid", "mid>down"], await PairsAsync(null));
        Assert.Equal(["id"], (await ColumnsAsync(new() { NeedUpstream = false, NeedDownstream = true })).Select(r => r.OutputColumnName));
    }

    [Fact]
    public async Task Lineage_to_a_dropped_table_is_answered_only_with_NeedNotExistObject_and_marked_deleted()
    {
        await AddAsync(Mid, Gone, "id");
        _emulator.DropTable(Tenant, Gone);

        Assert.Equal(["up>mid", "mid>down"], await PairsAsync(new() { NeedNotExistObject = false }));
        Assert.Equal(["up>mid", "mid>down"], await PairsAsync(null));
        var all = await RowsAsync(new() { NeedNotExistObject = true });
        var dropped = Assert.Single(all, r => r.OutputTableGuid == Gone);
        Assert.True(dropped.OutputTableDeleted);
        Assert.False(dropped.InputTableDeleted);
        Assert.All(all.Where(r => r != dropped), r => Assert.False(r.OutputTableDeleted));
        Assert.Equal(2, (await ColumnsAsync(new() { NeedNotExistObject = false })).Count);
        Assert.Equal(3, (await ColumnsAsync(new() { NeedNotExistObject = true })).Count);

        // The catalog no longer knows it either.
        var assets = await _client.DataAsset.ListCatalogAssetsAsync(Tenant, new ListCatalogAssetsRequest
        {
            ListCatalogAssetsQuery = new ListCatalogAssetsRequest.ListCatalogAssetsQueryObject { PageNum = 1, PageSize = 100 },
        });
        Assert.DoesNotContain(assets.Data!.AssetList!, a => a.Guid == Gone);
        Assert.Contains(assets.Data!.AssetList!, a => a.Guid == Down);
        var details = await _client.DataAsset.GetCatalogAssetDetailsAsync(Tenant, new GetCatalogAssetDetailsRequest
        {
            GetCatalogAssetDetailsQuery = new GetCatalogAssetDetailsRequest.GetCatalogAssetDetailsQueryObject { Guid = Gone },
        });
        Assert.Null(details.Data);
    }

    [Fact]
    public async Task NodeEnv_keeps_the_lineage_of_tables_of_that_environment()
    {
        await _client.AddRegisterLineageAsync(Tenant, new AddRegisterLineageCommand(
            AssetReference.ByProperty("dev_copy", schema: "p", catalog: "odps", env: DataphinEnvironment.Dev, subType: MetadataSubType.PhysicalTable),
            AssetReference.ByGuid(Mid)));

        var dev = await RowsAsync(new() { NodeEnv = "DEV", NeedDownstream = false });
        var prod = await RowsAsync(new() { NodeEnv = "PROD", NeedDownstream = false });

        // Registered lineage has no task node: the tables' environment stands for it (a table without one matches any).
        Assert.Equal(["odps.1.p.up", "odps.p.dev_copy"], dev.Select(r => r.InputTableGuid).Order(StringComparer.Ordinal));
        Assert.Equal(["odps.1.p.up"], prod.Select(r => r.InputTableGuid));
    }

    [Fact]
    public async Task NodeIdList_keeps_the_lineage_found_in_those_task_nodes()
    {
        _emulator.SeedSystemLineage(Tenant, """{"Source":{"ReferenceType":"BY_GUID","MetadataType":"TABLE","Guid":"odps.1.p.parsed1"},"Target":{"ReferenceType":"BY_GUID","MetadataType":"TABLE","Guid":"odps.1.p.mid"}}""", "n_1");
        _emulator.SeedSystemLineage(Tenant, """{"Source":{"ReferenceType":"BY_GUID","MetadataType":"TABLE","Guid":"odps.1.p.parsed2"},"Target":{"ReferenceType":"BY_GUID","MetadataType":"TABLE","Guid":"odps.1.p.mid"}}""", "n_2");

        var one = await RowsAsync(new() { NodeIdList = ["n_1"] });
        var both = await RowsAsync(new() { NodeIdList = ["n_1", "n_2"] });
        var none = await RowsAsync(new() { NodeIdList = ["n_3"] });
        var unfiltered = await RowsAsync(new() { NodeIdList = [] });

        var row = Assert.Single(one);
        Assert.Equal("odps.1.p.parsed1", row.InputTableGuid);
        Assert.Equal("n_1", row.NodeId);
        Assert.Equal(["n_1", "n_2"], both.Select(r => r.NodeId).Order(StringComparer.Ordinal));
        Assert.Empty(none);
        Assert.Equal(4, unfiltered.Count);
        Assert.Equal(2, unfiltered.Count(r => r.NodeId is null));
        Assert.Throws<ArgumentException>(() => _emulator.SeedSystemLineage(Tenant, """{"Source":{"ReferenceType":"BY_GUID","MetadataType":"TABLE","Guid":"x"},"Target":{"ReferenceType":"BY_GUID","MetadataType":"TABLE","Guid":"y"}}""", " "));
    }

    private async Task AddAsync(string source, string target, string field)
    {
        var add = new AddRegisterLineageCommand(AssetReference.ByGuid(source), AssetReference.ByGuid(target));
        add.DetailedLineages.Add(new FieldLineage(AssetReference.FieldByGuid(source + "." + field, source), AssetReference.FieldByGuid(target + "." + field, target)));
        await _client.AddRegisterLineageAsync(Tenant, add);
    }

    private async Task<List<GetTableLineagesResponse.TableLineageListItem>> RowsAsync(GetTableLineagesRequest.FilterQueryObject? filter)
        => (await _client.DataAsset.GetTableLineagesAsync(Tenant, new GetTableLineagesRequest { TableGuid = Mid, FilterQuery = filter })).TableLineageList!.ToList();

    private async Task<List<string>> PairsAsync(GetTableLineagesRequest.FilterQueryObject? filter)
        => (await RowsAsync(filter)).Select(r => r.InputTableGuid!.Split('.')[^1] + ">" + r.OutputTableGuid!.Split('.')[^1]).ToList();

    private async Task<List<GetTableColumnLineagesResponse.TableColumnLineageListItem>> ColumnsAsync(GetTableColumnLineagesRequest.FilterQueryObject filter)
    {
        var request = new GetTableColumnLineagesRequest { TableGuid = Mid, FilterQuery = filter };
        return (await _client.DataAsset.GetTableColumnLineagesAsync(Tenant, request)).TableColumnLineageList!.ToList();
    }
}
