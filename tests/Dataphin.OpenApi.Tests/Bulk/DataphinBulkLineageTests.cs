using Dataphin.OpenApi.Bulk;
namespace Dataphin.OpenApi.Tests.Bulk;

public class DataphinBulkLineageTests
{
    private const long Tenant = 300001234;

    [Fact]
    public async Task Every_item_is_reported_once_and_the_counts_add_up_under_injected_failures()
    {
        // Items whose target index is divisible by 7 fail; item 13 is invalid (empty schema name with white space).
        var client = new FakeLineageClient((command, _) =>
            int.Parse(command.Target!.Name!.Substring("dwd_t".Length)) % 7 == 0 ? throw FakeLineageClient.ServerError() : Task.CompletedTask);
        var items = LineageItems.Many(500).Select(item => item.Id == "item-13"
            ? new LineageItem(item.Id, new AddRegisterLineageCommand(AssetReference.ByProperty("t"), new AssetReference { ReferenceType = ReferenceType.ByProperty, MetadataType = MetadataType.Table }))
            : item);

        var results = new List<BulkItemResult>();
        await foreach (var result in new DataphinBulkLineage(client, Tenant).RunAsync(items, new BulkOptions { MaxConcurrency = 6, TransientFailureRetries = 0 }))
        {
            results.Add(result);
        }

        Assert.Equal(500, results.Count);
        Assert.Equal(500, results.Select(r => r.Id).Distinct().Count());
        var failed = results.Where(r => r.Status == BulkItemStatus.Failed).ToList();
        Assert.Equal(Enumerable.Range(0, 500).Count(i => i % 7 == 0), failed.Count);
        Assert.All(failed, r => Assert.IsType<DataphinRequestException>(r.Error));
        var invalid = Assert.Single(results, r => r.Status == BulkItemStatus.SkippedInvalid);
        Assert.Equal("item-13", invalid.Id);
        Assert.Contains(invalid.ValidationErrors, e => e.Path == "Target.Name" && e.Rule == DataphinValidationRules.Required);
        Assert.Equal(500 - failed.Count - 1, results.Count(r => r.Status == BulkItemStatus.Succeeded));
        Assert.Equal(499, client.Calls);
        Assert.DoesNotContain(client.Sent, c => c.Target!.Name is null);
    }

    [Fact]
    public async Task Summary_counts_add_up_to_the_input_and_progress_reaches_the_end()
    {
        var client = new FakeLineageClient((command, _) => command.Target!.Name!.EndsWith('3') ? throw new HttpRequestException("connection reset") : Task.CompletedTask);
        var snapshots = new List<BulkProgress>();
        var progress = new SynchronousProgress<BulkProgress>(snapshots.Add);

        var summary = await new DataphinBulkLineage(client, Tenant).RunToSummaryAsync(LineageItems.Many(200), new BulkOptions { TransientFailureRetries = 0 }, progress: progress);

        Assert.Equal(200, summary.Total);
        Assert.Equal(20, summary.Failed);
        Assert.Equal(180, summary.Succeeded);
        Assert.Equal(summary.Total, summary.Succeeded + summary.Failed + summary.SkippedInvalid + summary.Cancelled + summary.Validated);
        Assert.Equal(200, summary.CallsSent);
        Assert.False(summary.AllSucceeded);
        lock (snapshots)
        {
            Assert.Equal(201, snapshots.Count);
            Assert.True(snapshots[^1].IsFinal);
            Assert.Contains(snapshots, s => s.Completed == 200 && s.Failed == 20 && s.Read == 200);
        }
    }

    [Fact]
    public async Task An_item_with_more_than_100_field_lineages_is_sent_in_parts_and_fails_only_with_the_failed_part_remaining()
    {
        var call = 0;
        var client = new FakeLineageClient((_, _) => Interlocked.Increment(ref call) == 2 ? throw FakeLineageClient.ServerError() : Task.CompletedTask);
        var item = new LineageItem("big", LineageItems.Pair(1, fieldLineages: 250));

        var results = new List<BulkItemResult>();
        await foreach (var r in new DataphinBulkLineage(client, Tenant).RunAsync([item], new BulkOptions { MaxConcurrency = 1, TransientFailureRetries = 0 }))
        {
            results.Add(r);
        }

        var result = Assert.Single(results);
        Assert.Equal(BulkItemStatus.Failed, result.Status);
        Assert.Equal([100, 100, 50], result.Parts.Select(p => p.FieldLineageCount));
        Assert.Equal([BulkPartStatus.Succeeded, BulkPartStatus.Failed, BulkPartStatus.Succeeded], result.Parts.Select(p => p.Status));
        Assert.Equal([100, 100, 50], client.Sent.Select(c => c.DetailedLineages.Count));
        var remaining = Assert.IsType<AddRegisterLineageCommand>(result.RemainingCommand);
        Assert.Equal(Enumerable.Range(100, 100).Select(i => "c" + i), remaining.DetailedLineages.Select(l => l.Source!.Name));
        Assert.Equal("dwd_t1", remaining.Target!.Name);
    }

    [Fact]
    public async Task Split_item_succeeds_when_every_part_succeeds()
    {
        var client = new FakeLineageClient();
        var summary = await new DataphinBulkLineage(client, Tenant).RunToSummaryAsync([new LineageItem("big", LineageItems.Pair(1, 201))]);

        Assert.Equal(1, summary.Succeeded);
        Assert.Equal(3, summary.CallsSent);
        Assert.Equal(201, client.Sent.Sum(c => c.DetailedLineages.Count));
    }

    [Fact]
    public async Task Invalid_and_unreadable_items_are_skipped_with_their_errors_and_nothing_is_sent_for_them()
    {
        var client = new FakeLineageClient();
        var bad = new AddRegisterLineageCommand(AssetReference.ByGuid("odps.1.a.b"), AssetReference.ByGuid("odps.1.a.c"));
        bad.DetailedLineages.Add(new FieldLineage { Source = AssetReference.FieldByGuid("odps.1.a.b.x") });
        var unreadable = LineageItem.Unreadable("line 7", 7, [new DataphinValidationError("$", DataphinValidationRules.Malformed, "Line 7 is not valid JSON")]);

        var results = new List<BulkItemResult>();
        await foreach (var r in new DataphinBulkLineage(client, Tenant).RunAsync([new LineageItem("bad", bad), unreadable]))
        {
            results.Add(r);
        }

        Assert.All(results, r => Assert.Equal(BulkItemStatus.SkippedInvalid, r.Status));
        Assert.Contains(results.Single(r => r.Id == "bad").ValidationErrors, e => e.Path == "DetailedLineages[0].Target");
        Assert.Same(bad, results.Single(r => r.Id == "bad").RemainingCommand);
        Assert.Equal(7, results.Single(r => r.Id == "line 7").LineNumber);
        Assert.Equal(0, client.Calls);
    }

    [Fact]
    public async Task Dry_run_validates_and_splits_but_sends_nothing()
    {
        var client = new FakeLineageClient();
        var summary = await new DataphinBulkLineage(client, Tenant).RunToSummaryAsync(LineageItems.Many(10, fieldLineages: 120), new BulkOptions { DryRun = true });

        Assert.Equal(10, summary.Validated);
        Assert.Equal(0, summary.CallsSent);
        Assert.Equal(0, client.Calls);
    }

    [Fact]
    public async Task A_bad_tenant_makes_every_item_invalid_without_calls()
    {
        var client = new FakeLineageClient();
        var summary = await new DataphinBulkLineage(client, 0).RunToSummaryAsync(LineageItems.Many(3));

        Assert.Equal(3, summary.SkippedInvalid);
        Assert.Equal(0, client.Calls);
    }

    [Fact]
    public async Task Cancellation_mid_run_reports_done_and_cancelled_items_that_add_up_to_what_was_read()
    {
        using var cts = new CancellationTokenSource();
        var started = 0;
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var client = new FakeLineageClient(async (_, token) =>
        {
            // The first 20 calls complete at once; later calls hang until cancelled.
            if (Interlocked.Increment(ref started) <= 20)
            {
                return;
            }

            if (started == 24)
            {
                gate.TrySetResult();
            }

            await Task.Delay(Timeout.Infinite, token);
        });
        var source = new LineageItems.CountingSource();
        var results = new List<BulkItemResult>();
        var run = Task.Run(async () =>
        {
            await foreach (var r in new DataphinBulkLineage(client, Tenant).RunAsync(source.Items(10_000), new BulkOptions { MaxConcurrency = 4 }, cancellationToken: cts.Token))
            {
                results.Add(r);
            }
        });

        await gate.Task;
        await cts.CancelAsync();
        await run;

        Assert.Equal(source.Pulled, results.Count);
        Assert.Equal(20, results.Count(r => r.Status == BulkItemStatus.Succeeded));
        Assert.Equal(4, results.Count(r => r.Status == BulkItemStatus.Cancelled));
        Assert.All(results.Where(r => r.Status == BulkItemStatus.Cancelled), r => Assert.NotNull(r.RemainingCommand));
        Assert.True(source.Pulled < 100);
    }

    [Fact]
    public async Task The_summary_says_the_run_was_cancelled()
    {
        using var cts = new CancellationTokenSource();
        var client = new FakeLineageClient(async (command, token) =>
        {
            if (command.Target!.Name == "dwd_t5")
            {
                await cts.CancelAsync();
            }
        });

        var summary = await new DataphinBulkLineage(client, Tenant).RunToSummaryAsync(LineageItems.Many(1000), new BulkOptions { MaxConcurrency = 1 }, cancellationToken: cts.Token);

        Assert.True(summary.WasCancelled);
        Assert.Equal(6, summary.Total);
        Assert.Equal(6, summary.Succeeded);
        Assert.False(summary.AllSucceeded);
    }

    [Fact]
    public async Task The_input_is_read_at_most_a_bounded_distance_ahead_of_the_results_consumed()
    {
        const int concurrency = 4;
        var client = new FakeLineageClient(async (_, _) => await Task.Yield());
        var source = new LineageItems.CountingSource();
        var consumed = 0;
        var maxAhead = 0;
        await foreach (var _ in new DataphinBulkLineage(client, Tenant).RunAsync(source.Items(3000), new BulkOptions { MaxConcurrency = concurrency }))
        {
            consumed++;
            maxAhead = Math.Max(maxAhead, source.Pulled - consumed);
            if (consumed % 100 == 0)
            {
                // A slow consumer: the run must wait for it instead of reading on.
                for (var i = 0; i < 50; i++)
                {
                    await Task.Yield();
                }

                maxAhead = Math.Max(maxAhead, source.Pulled - consumed);
            }
        }

        Assert.Equal(3000, consumed);
        Assert.InRange(maxAhead, 0, (2 * concurrency) + 1);
    }

    [Fact]
    public async Task Stopping_the_enumeration_early_ends_the_workers()
    {
        var client = new FakeLineageClient();
        var source = new LineageItems.CountingSource();
        var taken = 0;
        await foreach (var _ in new DataphinBulkLineage(client, Tenant).RunAsync(source.Items(100_000), new BulkOptions { MaxConcurrency = 2 }))
        {
            if (++taken == 10)
            {
                break;
            }
        }

        var pulledAtStop = source.Pulled;
        Assert.InRange(pulledAtStop, 10, 20);
    }

    [Fact]
    public async Task An_exception_of_the_input_itself_ends_the_stream_after_the_results_of_items_already_read()
    {
        static async IAsyncEnumerable<LineageItem> Broken()
        {
            yield return new LineageItem("a", LineageItems.Pair(1));
            await Task.Yield();
            throw new LineageManifestException("broken at line 3", 3);
        }

        var results = new List<BulkItemResult>();
        var error = await Assert.ThrowsAsync<LineageManifestException>(async () =>
        {
            await foreach (var r in new DataphinBulkLineage(new FakeLineageClient(), Tenant).RunAsync(Broken()))
            {
                results.Add(r);
            }
        });

        Assert.Equal(3, error.LineNumber);
        Assert.Equal("a", Assert.Single(results).Id);
    }

    [Fact]
    public async Task Delete_items_call_DeleteRegisterLineage()
    {
        var client = new FakeLineageClient();
        var delete = new DeleteRegisterLineageCommand(AssetReference.ByGuid("odps.1.a.b"), AssetReference.ByGuid("odps.1.a.c")) { CascadeDeleteLineage = true };

        var summary = await new DataphinBulkLineage(client, Tenant).RunToSummaryAsync([new LineageItem("d", delete)]);

        Assert.Equal(1, summary.Succeeded);
        Assert.IsType<DeleteRegisterLineageCommand>(Assert.Single(client.Sent));
    }

    private sealed class SynchronousProgress<T>(Action<T> report) : IProgress<T>
    {
        public void Report(T value)
        {
            lock (this)
            {
                report(value);
            }
        }
    }
}
