namespace Dataphin.OpenApi.OpenLineage.AspNetCore.Queue;

/// <summary>An accepted event in the durable queue: its JSON as kept (the parts lineage uses), and what the forwarder needs to group it.</summary>
internal sealed class QueuedEvent
{
    public QueuedEvent(long sequence, byte[] json, string? runKey, bool endsRun, DateTimeOffset accepted)
    {
        Sequence = sequence;
        Json = json;
        RunKey = runKey;
        EndsRun = endsRun;
        Accepted = accepted;
    }

    /// <summary>The event's number in the queue, from 1, never reused.</summary>
    public long Sequence { get; }

    /// <summary>The event's JSON (UTF-8).</summary>
    public byte[] Json { get; }

    /// <summary>The job and run the event belongs to, or <see langword="null"/> when it has no run id.</summary>
    public string? RunKey { get; }

    /// <summary>Whether the event ends its run (COMPLETE, FAIL or ABORT).</summary>
    public bool EndsRun { get; }

    /// <summary>When the event was accepted.</summary>
    public DateTimeOffset Accepted { get; }

    /// <summary>Whether the forwarder is working on it (guarded by the queue's lock).</summary>
    public bool InFlight { get; set; }

    /// <summary>The events' run key: job namespace, job name and run id.</summary>
    public static string? RunKeyOf(OpenLineageRunEvent e)
        => e.Run?.RunId is { Length: > 0 } runId ? string.Join("\u001f", e.Job?.Namespace, e.Job?.Name, runId) : null;

    /// <summary>Whether an event type ends a run.</summary>
    public static bool IsEnd(string? eventType)
        => eventType is not null && (string.Equals(eventType, "COMPLETE", StringComparison.OrdinalIgnoreCase)
            || string.Equals(eventType, "FAIL", StringComparison.OrdinalIgnoreCase)
            || string.Equals(eventType, "ABORT", StringComparison.OrdinalIgnoreCase));
}
