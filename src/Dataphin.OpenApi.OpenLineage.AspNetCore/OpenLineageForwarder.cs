using System.Security.Cryptography;
using System.Text;
using Dataphin.OpenApi.Bulk;
using Dataphin.OpenApi.OpenLineage.AspNetCore.Queue;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Dataphin.OpenApi.OpenLineage.AspNetCore;

/// <summary>
/// Forwards queued events to Dataphin. It takes the events that are ready (their run ended, they waited
/// <see cref="DataphinOpenLineageOptions.RunCompletionWait"/>, or they have no run), merges them with the importer
/// (one register command per table pair, the column lineage of all their events together), and sends the pairs with
/// <see cref="DataphinBulkLineage"/> through the client (its rate limiter, retries and pauses). An event leaves the
/// queue when every pair it contributed to was sent (or refused with an error of its own); each pair's outcome is
/// recorded before the next pair is taken, so a crash sends again at most the pairs in flight. A pair identical to
/// one sent recently is not sent again. When the application stops, it goes on for
/// <see cref="DataphinOpenLineageOptions.ShutdownDrainTimeout"/>; what is left stays queued.
/// </summary>
internal sealed class OpenLineageForwarder : BackgroundService
{
    private static readonly TimeSpan RetryAfterStop = TimeSpan.FromSeconds(30);
    private readonly IServiceProvider _services;
    private readonly DataphinOpenLineageOptions _options;
    private readonly OpenLineageQueueHolder _queueHolder;
    private readonly OpenLineageServerMetrics _metrics;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly OpenLineageImporter _importer;
    private readonly Dictionary<string, DateTimeOffset> _recentlySent = new(StringComparer.Ordinal);

    public OpenLineageForwarder(
        IServiceProvider services,
        IOptions<DataphinOpenLineageOptions> options,
        OpenLineageQueueHolder queue,
        OpenLineageServerMetrics metrics,
        ILogger<OpenLineageForwarder> logger)
    {
        _services = services;
        _options = options.Value;
        _queueHolder = queue;
        _metrics = metrics;
        _logger = logger;
        _time = _options.TimeProvider ?? TimeProvider.System;
        _importer = new OpenLineageImporter(_options.MappingRules!, _options.ImportOptions);
    }

    /// <summary>Opens the queue before the server takes requests, so a queue in use or damaged stops the start with its reason.</summary>
    public override Task StartAsync(CancellationToken cancellationToken)
    {
        _queueHolder.Get();
        return base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var queue = _queueHolder.Get();
        var client = _services.GetRequiredService<DataphinClient>();
        using var drainEnd = new CancellationTokenSource();
        using var onStop = stoppingToken.Register(() => drainEnd.CancelAfter(_options.ShutdownDrainTimeout));
        while (!drainEnd.IsCancellationRequested)
        {
            var stopping = stoppingToken.IsCancellationRequested;
            try
            {
                var (ready, next) = queue.TakeReady(_options.MaxBatchEvents, _options.RunCompletionWait, all: stopping);
                if (ready.Count == 0)
                {
                    if (stopping)
                    {
                        break; // Nothing left that can be sent.
                    }

                    // Wait for new events (or a held run to become ready), then a moment for more to come along.
                    await WaitForAsync(queue, next, stoppingToken).ConfigureAwait(false);
                    if (_options.BatchDelay > TimeSpan.Zero && queue.Count < _options.MaxBatchEvents)
                    {
                        await Task.Delay(_options.BatchDelay, _time, stoppingToken).ConfigureAwait(false);
                    }

                    continue;
                }

                var stop = await ForwardAsync(queue, client, ready, drainEnd.Token).ConfigureAwait(false);
                if (queue.Count == 0)
                {
                    OpenLineageServerLog.QueueDrained(_logger, _metrics.Forwarded);
                }

                if (stop is not null && !stopping)
                {
                    OpenLineageServerLog.ForwardingStopped(_logger, stop.Value.Reason, stop.Value.Message, (int)RetryAfterStop.TotalSeconds);
                    await Task.Delay(RetryAfterStop, _time, stoppingToken).ConfigureAwait(false);
                }
                else if (stop is not null)
                {
                    break;
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                // The application stops: forward what can be forwarded until the drain ends.
            }
        }

        if (queue.Count > 0)
        {
            OpenLineageServerLog.ShutdownLeft(_logger, queue.Count, queue.Path);
        }
    }

    /// <summary>A key for a pair (both tables, as referenced) and a digest of the command (the pair and its field lineages, in order).</summary>
    internal static (string Pair, string Digest) Identify(LineageCommand command)
    {
        var pair = Reference(command.Source) + "\u001e" + Reference(command.Target);
        var fields = command.DetailedLineages.Select(f => Reference(f.Source) + "\u001e" + Reference(f.Target) + "\u001e" + f.IsDirect).OrderBy(f => f, StringComparer.Ordinal);
        var text = pair + "\u001d" + string.Join("\u001d", fields);
        return (pair, Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(text)), 0, 16).ToLowerInvariant());
    }

    private static string Reference(AssetReference? r)
        => r is null ? string.Empty : string.Join("\u001f", r.ReferenceType, r.MetadataType, r.Guid, r.ParentGuid, r.Catalog, r.Schema, r.Name, r.Env?.ToString(), r.MetadataSubType?.ToString());

    private async Task WaitForAsync(OpenLineageEventQueue queue, DateTimeOffset? next, CancellationToken cancellationToken)
    {
        using var wait = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var changed = queue.WhenChangedAsync(wait.Token);
        if (next is { } due)
        {
            var delay = due - _time.GetUtcNow();
            if (delay <= TimeSpan.Zero)
            {
                return;
            }

            await Task.WhenAny(changed, Task.Delay(delay, _time, wait.Token)).ConfigureAwait(false);
        }
        else
        {
            await changed.ConfigureAwait(false);
        }

        await wait.CancelAsync().ConfigureAwait(false);
        cancellationToken.ThrowIfCancellationRequested();
    }

    /// <summary>Forwards one batch; returns why the run stopped early, if it did (the batch's unfinished events stay queued).</summary>
    private async Task<(string Reason, string Message)?> ForwardAsync(OpenLineageEventQueue queue, DataphinClient client, List<QueuedEvent> batch, CancellationToken cancellationToken)
    {
        try
        {
            var parsed = batch.Select(e => OpenLineageServerJsonContext.Deserialize(e.Json)).ToList();

            // Which pairs each event gives, and the pairs of the batch merged.
            var pairsOf = new Dictionary<string, List<QueuedEvent>>(StringComparer.Ordinal);
            var remaining = new Dictionary<QueuedEvent, int>();
            var merged = _importer.Import(parsed).Items;
            var mergedKeys = new HashSet<string>(merged.Select(i => Identify(i.Command!).Pair), StringComparer.Ordinal);
            var noLineage = new List<QueuedEvent>();
            for (var i = 0; i < batch.Count; i++)
            {
                var count = 0;
                foreach (var pair in _importer.Import([parsed[i]]).Items.Select(item => Identify(item.Command!).Pair).Distinct(StringComparer.Ordinal))
                {
                    if (!mergedKeys.Contains(pair))
                    {
                        continue; // e.g. a self pair without column lineage, which the merge leaves out.
                    }

                    if (!pairsOf.TryGetValue(pair, out var list))
                    {
                        pairsOf[pair] = list = new List<QueuedEvent>();
                    }

                    list.Add(batch[i]);
                    count++;
                }

                if (count == 0)
                {
                    noLineage.Add(batch[i]);
                }
                else
                {
                    remaining[batch[i]] = count;
                }
            }

            var tracker = new PairTracker(this, queue, pairsOf, remaining);
            if (noLineage.Count > 0)
            {
                await tracker.CompleteAsync(noLineage, null).ConfigureAwait(false);
            }

            var toSend = new List<(LineageItem Item, string Pair, string Digest)>();
            var skipped = 0;
            var now = _time.GetUtcNow();
            PruneRecentlySent(now);
            foreach (var item in merged)
            {
                var (pair, digest) = Identify(item.Command!);
                if (_recentlySent.ContainsKey(digest) || queue.WasSent(digest))
                {
                    skipped++;
                    await tracker.PairDoneAsync(pair, null).ConfigureAwait(false);
                    continue;
                }

                toSend.Add((item, pair, digest));
            }

            tracker.Items = toSend;
            BulkSummary? summary = null;
            if (toSend.Count > 0)
            {
                var bulk = new DataphinBulkLineage(client, _options.TenantId);
                summary = await bulk.RunToSummaryAsync(
                    toSend.Select(s => s.Item),
                    new BulkOptions { MaxConcurrency = _options.MaxConcurrency, MaxPause = _options.MaxPause, RunStore = tracker, TimeProvider = _time },
                    cancellationToken: cancellationToken).ConfigureAwait(false);
            }

            OpenLineageServerLog.BatchForwarded(_logger, batch.Count, toSend.Count, skipped);
            if (summary is { StopReason: not BulkStopReason.None and not BulkStopReason.Cancelled } s)
            {
                return (s.StopReason.ToString(), s.StopError?.Message ?? s.StopReason.ToString());
            }

            if (tracker.KeptForLater && summary is { WasCancelled: false })
            {
                return ("ServiceError", "Dataphin did not take some pairs (a server or network error after the retries)");
            }

            return summary is { WasCancelled: true } ? ("Cancelled", "stopping") : null;
        }
#pragma warning disable CA1031 // A batch that cannot be forwarded must not end the worker: its events stay queued and are tried again.
        catch (Exception error) when (error is not OperationCanceledException)
#pragma warning restore CA1031
        {
            OpenLineageServerLog.ForwardingFailed(_logger, error);
            return ("Failed", error.Message);
        }
        finally
        {
            queue.Release(batch);
        }
    }

    private void PruneRecentlySent(DateTimeOffset now)
    {
        const int max = 100_000;
        var window = TimeSpan.FromHours(1);
        if (_recentlySent.Count < max / 2)
        {
            return;
        }

        foreach (var key in _recentlySent.Where(p => now - p.Value > window || _recentlySent.Count > max).Select(p => p.Key).ToList())
        {
            _recentlySent.Remove(key);
        }
    }

    /// <summary>The run store of one batch: a pair's outcome lets the events that gave it leave the queue once all their pairs are done.</summary>
    private sealed class PairTracker(OpenLineageForwarder owner, OpenLineageEventQueue queue, Dictionary<string, List<QueuedEvent>> pairsOf, Dictionary<QueuedEvent, int> remaining) : IBulkRunStore
    {
        private readonly object _gate = new();

        public List<(LineageItem Item, string Pair, string Digest)> Items { get; set; } = new();

        /// <summary>Whether a pair failed with an error that is not its own (the service, the network, the credential): the batch is tried again later.</summary>
        public bool KeptForLater { get; private set; }

        public bool IsSucceeded(long index, string id) => false;

        /// <summary>An error of the pair's own (a table Dataphin does not know, a parameter it refuses), which sending again would not change.</summary>
        private static bool IsItsOwn(Exception? error)
            => error is DataphinValidationException
               || (error is DataphinRequestException { Status: >= 400 and < 500, ResponseSnippet: null }
                   && error is not (DataphinAuthenticationException or DataphinForbiddenException or DataphinEditionException or DataphinThrottledException));

        public async ValueTask RecordAsync(BulkItemResult result, CancellationToken cancellationToken)
        {
            var (item, pair, digest) = Items[(int)result.Index];
            switch (result.Status)
            {
                case BulkItemStatus.Succeeded:
                    owner._metrics.AddPairRegistered();
                    lock (owner._recentlySent)
                    {
                        owner._recentlySent[digest] = owner._time.GetUtcNow();
                    }

                    await PairDoneAsync(pair, digest).ConfigureAwait(false);
                    break;
                case BulkItemStatus.Failed when !IsItsOwn(result.Error):
                    // Dataphin or the network had trouble, or the credential was refused: the events stay queued.
                    KeptForLater = true;
                    break;
                case BulkItemStatus.Failed or BulkItemStatus.SkippedInvalid:
                    owner._metrics.AddPairFailed();
                    var why = result.Error?.Message ?? string.Join("; ", result.ValidationErrors.Select(e => e.Message));
                    OpenLineageServerLog.PairFailed(owner._logger, item.Id, why);
                    await PairDoneAsync(pair, null).ConfigureAwait(false);
                    break;
                default:
                    break; // Cancelled: the events stay queued and are sent again.
            }
        }

        public Task PairDoneAsync(string pair, string? digest)
        {
            var done = new List<QueuedEvent>();
            lock (_gate)
            {
                if (pairsOf.Remove(pair, out var events))
                {
                    foreach (var e in events)
                    {
                        if (--remaining[e] == 0)
                        {
                            done.Add(e);
                        }
                    }
                }
            }

            return CompleteAsync(done, digest);
        }

        public async Task CompleteAsync(List<QueuedEvent> events, string? digest)
        {
            await queue.MarkDoneAsync(events, digest).ConfigureAwait(false);
            if (events.Count > 0)
            {
                owner._metrics.AddForwarded(events.Count);
            }
        }
    }
}
