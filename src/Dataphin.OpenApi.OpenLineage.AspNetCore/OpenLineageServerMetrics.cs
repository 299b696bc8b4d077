using System.Diagnostics.Metrics;
using Dataphin.OpenApi.OpenLineage.AspNetCore.Queue;

namespace Dataphin.OpenApi.OpenLineage.AspNetCore;

/// <summary>
/// The endpoint's metrics, on the meter <see cref="MeterName"/>: events accepted, rejected (by reason), unmapped
/// datasets, events queued (a gauge), events forwarded, pairs registered and failed, and the forwarding lag (the age
/// of the oldest queued event, in seconds).
/// </summary>
internal sealed class OpenLineageServerMetrics : IDisposable
{
    public const string MeterName = "Dataphin.OpenApi.OpenLineage.AspNetCore";

    private readonly Meter _meter;
    private readonly Counter<long> _accepted;
    private readonly Counter<long> _rejected;
    private readonly Counter<long> _unmapped;
    private readonly Counter<long> _forwarded;
    private readonly Counter<long> _pairsRegistered;
    private readonly Counter<long> _pairsFailed;
    private long _acceptedTotal;
    private long _forwardedTotal;
    private long _pairsRegisteredTotal;
    private long _pairsFailedTotal;

    public OpenLineageServerMetrics(IMeterFactory meters, OpenLineageQueueHolder queue, TimeProvider time)
    {
        _meter = meters.Create(MeterName);
        _accepted = _meter.CreateCounter<long>("dataphin.openlineage.events.accepted", "{event}", "Events accepted (validated and queued, or giving no lineage).");
        _rejected = _meter.CreateCounter<long>("dataphin.openlineage.events.rejected", "{event}", "Events or requests refused, by reason: unauthorized, invalid, too_large, unsupported_encoding, queue_full, queue_error.");
        _unmapped = _meter.CreateCounter<long>("dataphin.openlineage.datasets.unmapped", "{dataset}", "Dataset references no mapping rule maps (each occurrence).");
        _forwarded = _meter.CreateCounter<long>("dataphin.openlineage.events.forwarded", "{event}", "Queued events whose lineage was sent to Dataphin (or failed there with an error of its own) and left the queue.");
        _pairsRegistered = _meter.CreateCounter<long>("dataphin.openlineage.pairs.registered", "{pair}", "Table pairs registered in Dataphin.");
        _pairsFailed = _meter.CreateCounter<long>("dataphin.openlineage.pairs.failed", "{pair}", "Table pairs Dataphin refused with an error of their own (e.g. a table it does not know).");
        _meter.CreateObservableGauge("dataphin.openlineage.queue.depth", () => queue.TryGet()?.Count ?? 0, "{event}", "Events accepted and not yet forwarded.");
        _meter.CreateObservableGauge(
            "dataphin.openlineage.forwarding.lag",
            () => queue.TryGet()?.OldestAccepted is { } oldest ? Math.Max(0, (time.GetUtcNow() - oldest).TotalSeconds) : 0,
            "s",
            "How long the oldest queued event has waited.");
    }

    public long Accepted => Interlocked.Read(ref _acceptedTotal);

    public long Forwarded => Interlocked.Read(ref _forwardedTotal);

    public long PairsRegistered => Interlocked.Read(ref _pairsRegisteredTotal);

    public long PairsFailed => Interlocked.Read(ref _pairsFailedTotal);

    public void AddAccepted(int count)
    {
        Interlocked.Add(ref _acceptedTotal, count);
        _accepted.Add(count);
    }

    public void AddRejected(int count, string reason) => _rejected.Add(count, new KeyValuePair<string, object?>("reason", reason));

    public void AddUnmapped(int count) => _unmapped.Add(count);

    public void AddForwarded(int count)
    {
        Interlocked.Add(ref _forwardedTotal, count);
        _forwarded.Add(count);
    }

    public void AddPairRegistered()
    {
        Interlocked.Increment(ref _pairsRegisteredTotal);
        _pairsRegistered.Add(1);
    }

    public void AddPairFailed()
    {
        Interlocked.Increment(ref _pairsFailedTotal);
        _pairsFailed.Add(1);
    }

    public void Dispose() => _meter.Dispose();
}
