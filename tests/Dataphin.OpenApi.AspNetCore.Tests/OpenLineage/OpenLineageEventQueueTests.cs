using System.Text;
using Dataphin.OpenApi.OpenLineage.AspNetCore.Queue;

namespace Dataphin.OpenApi.AspNetCore.Tests.OpenLineage;

/// <summary>The durable queue on its own: what survives a restart, a torn last line, a damaged file, a second server, and compaction.</summary>
public sealed class OpenLineageEventQueueTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("dataphin-olq-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static (byte[] Json, string? RunKey, bool EndsRun) Event(int i)
        => (Encoding.UTF8.GetBytes($$"""{"eventType":"COMPLETE","eventTime":"2025-01-01T00:00:00Z","run":{"runId":"r{{i}}"},"job":{"namespace":"n","name":"j"},"inputs":[],"outputs":[]}"""), $"n\u001fj\u001fr{i}", true);

    private OpenLineageEventQueue Open(int capacity = 1000) => OpenLineageEventQueue.Open(_folder, TimeProvider.System, capacity, 64L * 1024 * 1024);

    [Fact]
    public async Task Events_not_marked_done_are_replayed_after_a_restart_and_sequence_numbers_are_not_reused()
    {
        long lastSequence;
        using (var queue = Open())
        {
            Assert.True(await queue.TryAppendAsync([Event(1), Event(2), Event(3)]));
            var (ready, _) = queue.TakeReady(10, TimeSpan.Zero, all: false);
            await queue.MarkDoneAsync([ready[1]], "digest-1");
            lastSequence = ready[2].Sequence;
        }

        using var reopened = Open();
        Assert.Equal(2, reopened.Replayed);
        Assert.True(reopened.WasSent("digest-1"));
        var (again, _) = reopened.TakeReady(10, TimeSpan.Zero, all: false);
        Assert.Equal(["r1", "r3"], again.Select(e => System.Text.Json.JsonDocument.Parse(e.Json).RootElement.GetProperty("run").GetProperty("runId").GetString()));
        Assert.True(await reopened.TryAppendAsync([Event(4)]));
        var (next, _) = reopened.TakeReady(10, TimeSpan.Zero, all: false);
        Assert.True(Assert.Single(next).Sequence > lastSequence);
    }

    [Fact]
    public async Task A_torn_last_line_is_dropped_and_a_damaged_line_before_it_refuses_the_queue_naming_the_line()
    {
        using (var queue = Open())
        {
            Assert.True(await queue.TryAppendAsync([Event(1)]));
        }

        var path = Path.Combine(_folder, OpenLineageEventQueue.FileName);
        File.AppendAllText(path, """{"seq":9,"accepted":"2025-01-01T00:00:00.000Z","event":{"eventTy""");
        using (var queue = Open())
        {
            Assert.Equal(1, queue.Replayed);
        }

        var lines = File.ReadAllLines(path).ToList();
        lines.Insert(1, "{damaged");
        File.WriteAllLines(path, lines);
        var error = Assert.Throws<InvalidOperationException>(() => Open());
        Assert.Contains("damaged at line 2", error.Message);
    }

    [Fact]
    public void A_second_server_on_the_same_folder_is_refused()
    {
        using var first = Open();
        var error = Assert.Throws<InvalidOperationException>(() => Open());
        Assert.Contains("in use by another server", error.Message);
    }

    [Fact]
    public async Task The_journal_is_cut_back_when_everything_was_forwarded_and_rewritten_when_it_grows_with_events_queued()
    {
        using var queue = Open(capacity: 100_000);
        queue.CompactAbove = 256 * 1024;

        // One event stays queued throughout; thousands pass through.
        Assert.True(await queue.TryAppendAsync([Event(0)]));
        var (kept, _) = queue.TakeReady(1, TimeSpan.Zero, all: false);
        for (var round = 0; round < 40; round++)
        {
            Assert.True(await queue.TryAppendAsync(Enumerable.Range(1, 100).Select(i => Event((round * 100) + i)).ToList()));
            var (ready, _) = queue.TakeReady(1000, TimeSpan.Zero, all: false);
            await queue.MarkDoneAsync(ready, null);
        }

        Assert.True(queue.Compactions > 0);
        Assert.InRange(queue.FileLength, 1, 2 * 256 * 1024);
        Assert.Equal(1, queue.Count);

        await queue.MarkDoneAsync(kept, null);
        Assert.True(await queue.TryAppendAsync([Event(9999)]));
        var (last, _) = queue.TakeReady(10, TimeSpan.Zero, all: false);
        await queue.MarkDoneAsync(last, null);
        queue.Dispose();
        using var reopened = Open();
        Assert.Equal(0, reopened.Replayed);
    }

    [Fact]
    public async Task A_full_queue_refuses_a_post_as_a_whole()
    {
        using var queue = Open(capacity: 3);
        Assert.True(await queue.TryAppendAsync([Event(1), Event(2)]));
        Assert.False(await queue.TryAppendAsync([Event(3), Event(4)]));
        Assert.Equal(2, queue.Count);
        Assert.True(await queue.TryAppendAsync([Event(3)]));
        Assert.True(queue.IsFull);
    }
}
