using System.Text.Json;
using Dataphin.OpenApi.Bulk;
using Dataphin.OpenApi.IntegrationTests.Support;
using Dataphin.OpenApi.Testing;
using Dataphin.OpenApi.TestSupport;

namespace Dataphin.OpenApi.IntegrationTests;

/// <summary>
/// Issue 16, read it back: the traversal walks N hops up and/or down from a table against the emulator, reads each
/// table once, reports each pair once, stops at its bound with a flag, and its reads are paced by the client's limiter.
/// </summary>
public sealed class LineageTraversalTests : IAsyncLifetime
{
    private const string A = "odps.1.p.a";
    private const string B = "odps.1.p.b";
    private const string C = "odps.1.p.c";
    private const string D = "odps.1.p.d";
    private const string E = "odps.1.p.e";

    private DataphinEmulator _emulator = null!;
    private DataphinClient _client = null!;

    private long Tenant => _emulator.DefaultTenantId;

    public async Task InitializeAsync()
    {
        _emulator = await DataphinEmulator.StartAsync(new DataphinEmulatorOptions { Quotas = EmulatorQuotas.Disabled });

        // Pacing is proven on its own below; here the client's limiter would only make the tests wait.
        _client = Lineages.Client(_emulator, configure: o => o.RateLimit.Enabled = false);
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _emulator.DisposeAsync();
    }

    [Fact]
    public async Task A_chain_is_walked_hop_by_hop_downstream_and_upstream()
    {
        await RegisterAsync((A, B), (B, C), (C, D));

        var down = await _client.TraverseLineageAsync(Tenant, A, new LineageTraversalOptions { Direction = LineageDirection.Downstream, Depth = 3 });
        var up = await _client.TraverseLineageAsync(Tenant, D, new LineageTraversalOptions { Direction = LineageDirection.Upstream, Depth = 2 });

        Assert.Equal([A, B, C, D], Guids(down.Graph));
        Assert.Equal(["a>b", "b>c", "c>d"], Pairs(down.Graph));
        Assert.Equal(3, down.TablesRead);
        Assert.False(down.Truncated);
        Assert.Equal([D, C, B], Guids(up.Graph));
        Assert.Equal(["c>d", "b>c"], Pairs(up.Graph));
        Assert.Equal("a (odps.1.p.a)", down.Graph.Nodes[0].Label);
    }

    [Fact]
    public async Task Depth_0_gives_the_table_alone_without_a_call_and_depth_1_and_2_add_a_hop_each()
    {
        await RegisterAsync((A, B), (B, C), (C, D));
        var options = (int depth) => new LineageTraversalOptions { Direction = LineageDirection.Downstream, Depth = depth };

        var zero = await _client.TraverseLineageAsync(Tenant, A, options(0));
        Assert.Equal([A], Guids(zero.Graph));
        Assert.Empty(zero.Graph.Edges);
        Assert.Equal(0, zero.TablesRead);
        Assert.DoesNotContain(_emulator.Requests, r => r.Action == "GetTableLineages");

        var one = await _client.TraverseLineageAsync(Tenant, A, options(1));
        Assert.Equal(["a>b"], Pairs(one.Graph));
        Assert.Equal(1, one.TablesRead);

        var two = await _client.TraverseLineageAsync(Tenant, A, options(2));
        Assert.Equal(["a>b", "b>c"], Pairs(two.Graph));
        Assert.Equal(2, two.TablesRead);
    }

    [Fact]
    public async Task A_diamond_reads_the_shared_table_once_and_reports_each_pair_once()
    {
        await RegisterAsync((A, B), (A, C), (B, D), (C, D), (D, E));

        var result = await _client.TraverseLineageAsync(Tenant, A, new LineageTraversalOptions { Direction = LineageDirection.Downstream, Depth = 5 });

        Assert.Equal([A, B, C, D, E], Guids(result.Graph));
        Assert.Equal(["a>b", "a>c", "b>d", "c>d", "d>e"], Pairs(result.Graph));
        Assert.Equal(5, result.TablesRead);
        AssertEachTableReadOnce();
    }

    [Fact]
    public async Task A_cycle_ends_each_edge_once_and_each_table_read_once_in_both_directions()
    {
        await RegisterAsync((A, B), (B, C), (C, A));

        var result = await _client.TraverseLineageAsync(Tenant, A, new LineageTraversalOptions { Direction = LineageDirection.Both, Depth = 10 });

        Assert.Equal(3, result.Graph.Nodes.Count);
        Assert.Equal(["a>b", "b>c", "c>a"], Pairs(result.Graph).Order(StringComparer.Ordinal));
        Assert.Equal(3, result.TablesRead);
        AssertEachTableReadOnce();
    }

    [Fact]
    public async Task Both_directions_follow_sources_up_and_targets_down_but_not_siblings()
    {
        // x -> B -> C -> d, and B -> sibling: from C, up reaches B and x, down reaches d; B's other target is not C's lineage.
        await RegisterAsync((A, B), (B, C), (C, D), (B, E));

        var both = await _client.TraverseLineageAsync(Tenant, C, new LineageTraversalOptions { Direction = LineageDirection.Both, Depth = 2 });
        var up = await _client.TraverseLineageAsync(Tenant, C, new LineageTraversalOptions { Direction = LineageDirection.Upstream, Depth = 2 });

        Assert.Equal(["b>c", "c>d", "a>b"], Pairs(both.Graph));
        Assert.DoesNotContain(E, Guids(both.Graph));
        Assert.Equal(["b>c", "a>b"], Pairs(up.Graph));

        // Each read of a walk in both directions asks for both; a walk up asks for the upstream only.
        var filters = _emulator.Requests.Where(r => r.Action == "GetTableLineages").Select(r => JsonDocument.Parse(r.Form.Single(f => f.Key == "FilterQuery").Value).RootElement).ToList();
        Assert.All(filters.Take(both.TablesRead), f => Assert.True(f.GetProperty("NeedUpstream").GetBoolean() && f.GetProperty("NeedDownstream").GetBoolean()));
        Assert.All(filters.Skip(both.TablesRead), f => Assert.True(f.GetProperty("NeedUpstream").GetBoolean() && !f.GetProperty("NeedDownstream").GetBoolean()));
    }

    [Fact]
    public async Task A_table_without_lineage_and_an_unknown_guid_give_the_table_alone()
    {
        await RegisterAsync((A, B));
        await _client.AddRegisterLineageAsync(Tenant, new AddRegisterLineageCommand(AssetReference.ByGuid(C), AssetReference.ByGuid(D)));
        await _client.DeleteRegisterLineageAsync(Tenant, new DeleteRegisterLineageCommand(AssetReference.ByGuid(C), AssetReference.ByGuid(D)));

        // The reference documents no error for a table GUID it does not know: the emulator answers an empty list, as for a table without lineage.
        var lonely = await _client.TraverseLineageAsync(Tenant, C, new LineageTraversalOptions { Depth = 3 });
        var unknown = await _client.TraverseLineageAsync(Tenant, "odps.1.p.no_such_table", new LineageTraversalOptions { Depth = 3 });

        Assert.Equal([C], Guids(lonely.Graph));
        Assert.Empty(lonely.Graph.Edges);
        Assert.Equal(1, lonely.TablesRead);
        Assert.Equal(["odps.1.p.no_such_table"], Guids(unknown.Graph));
        Assert.Empty(unknown.Graph.Edges);
        var mermaid = LineageGraphExporter.Export(unknown.Graph, LineageGraphFormat.Mermaid);
        Assert.Contains("odps.1.p.no_such_table", mermaid);
    }

    [Fact]
    public async Task A_service_error_for_the_table_stops_the_walk_with_the_services_error()
    {
        await RegisterAsync((A, B));
        _emulator.SetFault("GetTableLineages", EmulatorFault.AlwaysServerError(500));
        using var client = Lineages.Client(_emulator, configure: o =>
        {
            Lineages.SingleAttempt(o);
            o.RateLimit.Enabled = false;
        });

        var error = await Assert.ThrowsAsync<DataphinRequestException>(() => client.TraverseLineageAsync(Tenant, A));

        Assert.Equal(500, error.Status);
        Assert.Single(_emulator.Requests, r => r.Action == "GetTableLineages");
    }

    [Fact]
    public async Task The_field_lineages_of_the_pairs_come_with_one_column_read_per_table()
    {
        var add = new AddRegisterLineageCommand(AssetReference.ByGuid(A), AssetReference.ByGuid(B));
        add.DetailedLineages.Add(new FieldLineage(AssetReference.FieldByGuid(A + ".id", A), AssetReference.FieldByGuid(B + ".order_id", B)));
        add.DetailedLineages.Add(new FieldLineage(AssetReference.FieldByGuid(A + ".amount", A), AssetReference.FieldByGuid(B + ".amount_cny", B)));
        await _client.AddRegisterLineageAsync(Tenant, add);
        await RegisterAsync((B, C));

        var result = await _client.TraverseLineageAsync(Tenant, A, new LineageTraversalOptions { Direction = LineageDirection.Downstream, Depth = 2, IncludeFields = true });

        var pair = result.Graph.Edges.Single(e => e.Source.Reference.Guid == A);
        Assert.Equal(["id -> order_id", "amount -> amount_cny"], pair.FieldLineages.Select(f => f.ToString()));
        Assert.Empty(result.Graph.Edges.Single(e => e.Source.Reference.Guid == B).FieldLineages);
        Assert.Equal(2, _emulator.Requests.Count(r => r.Action == "GetTableColumnLineages"));
        Assert.Contains("id → order_id", LineageGraphExporter.Export(result.Graph, LineageGraphFormat.Mermaid));
    }

    [Fact]
    public async Task More_tables_than_the_bound_are_cut_there_with_the_truncated_flag()
    {
        await RegisterAsync((A, B), (A, C), (A, D), (A, E));

        var cut = await _client.TraverseLineageAsync(Tenant, A, new LineageTraversalOptions { Direction = LineageDirection.Downstream, Depth = 3, MaxTables = 3 });
        var exact = await _client.TraverseLineageAsync(Tenant, A, new LineageTraversalOptions { Direction = LineageDirection.Downstream, Depth = 3, MaxTables = 5 });

        Assert.True(cut.Truncated);
        Assert.Equal(3, cut.Graph.Nodes.Count);
        Assert.Equal(2, cut.Graph.Edges.Count);
        Assert.All(cut.Graph.Edges, e => Assert.Contains(e.Target, cut.Graph.Nodes));
        Assert.False(exact.Truncated);
        Assert.Equal(5, exact.Graph.Nodes.Count);
    }

    [Fact]
    public async Task Bad_options_are_refused_by_name_before_any_call()
    {
        var depth = await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => _client.TraverseLineageAsync(Tenant, A, new LineageTraversalOptions { Depth = -1 }));
        var most = await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => _client.TraverseLineageAsync(Tenant, A, new LineageTraversalOptions { MaxTables = 0 }));
        var direction = await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => _client.TraverseLineageAsync(Tenant, A, new LineageTraversalOptions { Direction = (LineageDirection)7 }));
        var guid = await Assert.ThrowsAsync<ArgumentException>(() => _client.TraverseLineageAsync(Tenant, " "));

        Assert.Equal("Depth", depth.ParamName);
        Assert.Contains("0 or more", depth.Message);
        Assert.Equal("MaxTables", most.ParamName);
        Assert.Equal("Direction", direction.ParamName);
        Assert.Equal("tableGuid", guid.ParamName);
        Assert.Equal(0, _emulator.RequestsReceived);
    }

    [Fact]
    public async Task Cancellation_stops_the_walk()
    {
        await RegisterAsync((A, B), (B, C));
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => _client.TraverseLineageAsync(Tenant, A, new LineageTraversalOptions { Depth = 2 }, cancelled.Token));

        Assert.DoesNotContain(_emulator.Requests, r => r.Action == "GetTableLineages");
    }

    [Fact]
    public async Task Cancellation_during_a_read_stops_the_walk_there()
    {
        var clock = ManualTimeProvider.AtSystemTime();
        await using var emulator = await DataphinEmulator.StartAsync(new DataphinEmulatorOptions { Quotas = EmulatorQuotas.Disabled, TimeProvider = clock });
        using var client = Lineages.Client(emulator, configure: o =>
        {
            Lineages.SingleAttempt(o);
            o.RateLimit.Enabled = false;
        });
        await client.AddRegisterLineageAsync(emulator.DefaultTenantId, new AddRegisterLineageCommand(AssetReference.ByGuid(A), AssetReference.ByGuid(B)));
        await client.AddRegisterLineageAsync(emulator.DefaultTenantId, new AddRegisterLineageCommand(AssetReference.ByGuid(B), AssetReference.ByGuid(C)));
        emulator.SetFault("GetTableLineages", new EmulatorFault { Latency = TimeSpan.FromSeconds(30) });
        using var cancel = new CancellationTokenSource();

        var walk = client.TraverseLineageAsync(emulator.DefaultTenantId, A, new LineageTraversalOptions { Depth = 5 }, cancel.Token);

        // The first read is held by the emulator (on its manual clock) when the walk is cancelled.
        var held = clock.TimerCreated.WaitAsync();
        Assert.Same(held, await Task.WhenAny(held, walk));
        await cancel.CancelAsync();

        // It ends while the emulator still holds the read (its clock has not moved), so the read itself was cancelled.
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => walk);
        clock.Advance(TimeSpan.FromSeconds(30));
    }

    [Fact]
    public async Task The_reads_are_paced_by_the_clients_level_3_limiter()
    {
        await RegisterAsync((A, B), (B, C));

        // One Level 3 call per 100 s and a wait of at most 1 s: the second read is refused by the client's own limiter
        // (the emulator has no quota), so the walk's reads take the read operations' level and nothing bypasses it.
        using var client = Lineages.Client(_emulator, configure: o =>
        {
            o.RateLimit.Level3Qps = 0.01;
            o.RateLimit.Level1Qps = 1000;
            o.RateLimit.Level2Qps = 1000;
            o.RateLimit.MaxWait = TimeSpan.FromSeconds(1);
        });

        var error = await Assert.ThrowsAsync<DataphinThrottledException>(() => client.TraverseLineageAsync(Tenant, A, new LineageTraversalOptions { Direction = LineageDirection.Downstream, Depth = 2 }));

        Assert.True(error.IsClientSide);
        Assert.Single(_emulator.Requests, r => r.Action == "GetTableLineages");
    }

    [Fact]
    public async Task Lineage_to_a_dropped_table_is_shown_only_when_asked()
    {
        await RegisterAsync((A, B), (A, C));
        _emulator.DropTable(Tenant, C);

        var known = await _client.TraverseLineageAsync(Tenant, A, new LineageTraversalOptions { Direction = LineageDirection.Downstream });
        var all = await _client.TraverseLineageAsync(Tenant, A, new LineageTraversalOptions { Direction = LineageDirection.Downstream, IncludeMissingTables = true });

        Assert.Equal(["a>b"], Pairs(known.Graph));
        Assert.Equal(["a>b", "a>c"], Pairs(all.Graph));
    }

    private async Task RegisterAsync(params (string Source, string Target)[] pairs)
    {
        foreach (var (source, target) in pairs)
        {
            await _client.AddRegisterLineageAsync(Tenant, new AddRegisterLineageCommand(AssetReference.ByGuid(source), AssetReference.ByGuid(target)));
        }

        _emulator.ClearRequests();
    }

    private void AssertEachTableReadOnce()
    {
        var reads = _emulator.Requests.Where(r => r.Action == "GetTableLineages").Select(r => r.Query.Single(q => q.Key == "TableGuid").Value).ToList();
        Assert.Equal(reads.Distinct(StringComparer.OrdinalIgnoreCase).Count(), reads.Count);
    }

    private static List<string> Guids(LineageGraph graph) => graph.Nodes.Select(n => n.Reference.Guid!).ToList();

    private static List<string> Pairs(LineageGraph graph)
        => graph.Edges.Select(e => e.Source.Reference.Guid!.Split('.')[^1] + ">" + e.Target.Reference.Guid!.Split('.')[^1]).ToList();
}
