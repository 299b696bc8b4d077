using Dataphin.OpenApi.Bulk;
using Dataphin.OpenApi.Testing;

namespace Dataphin.OpenApi.IntegrationTests;

public sealed class BulkLineageEmulatorTests
{
    private const int Pairs = 5000;

    [Fact]
    public async Task Five_thousand_pairs_under_5xx_and_dropped_connections_end_registered_or_reported_and_none_is_lost_or_duplicated()
    {
        await using var emulator = await DataphinEmulator.StartAsync(new DataphinEmulatorOptions { Quotas = EmulatorQuotas.Disabled, FaultSeed = 6 });
        emulator.SetFault("AddRegisterLineage", new EmulatorFault { ServerErrorRate = 0.10, DroppedConnectionRate = 0.05 });
        var tenant = emulator.DefaultTenantId;
        using var client = Client(emulator, maxAttempts: 2);
        var items = Enumerable.Range(0, Pairs).Select(i => new LineageItem("pair-" + i, Pair(tenant, i)));
        var results = new List<BulkItemResult>();

        // The run's own retries of server errors are off, so that some items fail and the test can resume them.
        await foreach (var result in new DataphinBulkLineage(client, tenant).RunAsync(items, new BulkOptions { MaxConcurrency = 16, TransientFailureRetries = 0 }))
        {
            results.Add(result);
        }

        Assert.Equal(Pairs, results.Count);
        Assert.Equal(Pairs, results.Select(r => r.Id).Distinct().Count());
        Assert.All(results, r => Assert.Contains(r.Status, new[] { BulkItemStatus.Succeeded, BulkItemStatus.Failed }));
        var failed = results.Where(r => r.Status == BulkItemStatus.Failed).ToList();
        Assert.NotEmpty(failed);
        Assert.All(failed, r => Assert.True(r.Error is DataphinRequestException or DataphinTransportException or DataphinCircuitOpenException or DataphinTimeoutException, r.Error?.GetType().Name));

        var stored = StoredTargets(emulator, tenant);
        Assert.Equal(stored.Count, stored.Distinct().Count());
        var succeeded = results.Where(r => r.Status == BulkItemStatus.Succeeded).Select(r => TargetOf(r)).ToHashSet();
        Assert.Subset(stored.ToHashSet(), succeeded);
        Assert.All(stored, guid => Assert.DoesNotContain(failed, r => TargetOf(r) == guid));
        Assert.Equal(succeeded.Count, stored.Count);

        // Resume: the failures, sent again without faults, complete the set with nothing lost or doubled.
        emulator.ClearFaults();
        var retry = failed.Select(r => new LineageItem(r.Id, r.RemainingCommand!));
        var summary = await new DataphinBulkLineage(client, tenant).RunToSummaryAsync(retry);
        Assert.Equal(failed.Count, summary.Succeeded);
        var all = StoredTargets(emulator, tenant);
        Assert.Equal(Pairs, all.Count);
        Assert.Equal(Pairs, all.Distinct().Count());
    }

    private static AddRegisterLineageCommand Pair(long tenant, int i) => new(
        AssetReference.ByGuid($"odps.{tenant}.ods_project.ods_t{i}"),
        AssetReference.ByGuid($"odps.{tenant}.dw_project.dwd_t{i}"))
    {
        DetailedLineages =
        {
            new FieldLineage(AssetReference.FieldByGuid($"odps.{tenant}.ods_project.ods_t{i}.id", $"odps.{tenant}.ods_project.ods_t{i}"), AssetReference.FieldByGuid($"odps.{tenant}.dw_project.dwd_t{i}.id", $"odps.{tenant}.dw_project.dwd_t{i}")),
        },
    };

    private static string TargetOf(BulkItemResult result) => result.Item.Command!.Target!.Guid!;

    private static List<string> StoredTargets(DataphinEmulator emulator, long tenant)
        => emulator.GetLineage(tenant).Select(edge => edge.Target.Guid!).ToList();

    private static DataphinClient Client(DataphinEmulator emulator, int maxAttempts)
    {
        var options = new DataphinClientOptions();
        options.RateLimit.Enabled = false;
        options.CircuitBreaker.Enabled = false;
        options.Retry.MaxAttempts = maxAttempts;
        options.Retry.BaseDelay = TimeSpan.FromMilliseconds(1);
        options.Retry.MaxDelay = TimeSpan.FromMilliseconds(5);
        return new DataphinClient(emulator.Endpoint, new DataphinCredential(emulator.AccessKeyId, emulator.AccessKeySecret), options);
    }
}
