using Microsoft.Extensions.Logging;

namespace Dataphin.OpenApi.OpenLineage.AspNetCore;

/// <summary>The endpoint's log lines. API keys, credentials and event bodies are never logged.</summary>
internal static partial class OpenLineageServerLog
{
    [LoggerMessage(EventId = 1, EventName = "QueueOpened", Level = LogLevel.Information, Message = "OpenLineage queue {Path}: {Replayed} events from before the restart to forward")]
    public static partial void QueueOpened(ILogger logger, string path, int replayed);

    [LoggerMessage(EventId = 2, EventName = "UnmappedDataset", Level = LogLevel.Warning, Message = "No mapping rule maps the OpenLineage dataset {Namespace} {Name}: {Reason}; lineage touching it is not registered")]
    public static partial void UnmappedDataset(ILogger logger, string? @namespace, string? name, string reason);

    [LoggerMessage(EventId = 3, EventName = "EventRejected", Level = LogLevel.Information, Message = "OpenLineage post refused ({Status}): {Reason}")]
    public static partial void Rejected(ILogger logger, int status, string reason);

    [LoggerMessage(EventId = 4, EventName = "QueueFull", Level = LogLevel.Warning, Message = "OpenLineage queue full ({Count} events queued): answering 503, retry after {RetryAfterSeconds} s")]
    public static partial void QueueFull(ILogger logger, int count, int retryAfterSeconds);

    [LoggerMessage(EventId = 5, EventName = "QueueWriteFailed", Level = LogLevel.Error, Message = "The OpenLineage queue could not be written; events are refused until it can")]
    public static partial void QueueWriteFailed(ILogger logger, Exception error);

    [LoggerMessage(EventId = 6, EventName = "PairFailed", Level = LogLevel.Warning, Message = "Dataphin refused the lineage {Pair}: {Error}; the events are dropped from the queue")]
    public static partial void PairFailed(ILogger logger, string pair, string error);

    [LoggerMessage(EventId = 7, EventName = "BatchForwarded", Level = LogLevel.Debug, Message = "Forwarded {Events} OpenLineage events as {Pairs} table pairs ({Skipped} already registered)")]
    public static partial void BatchForwarded(ILogger logger, int events, int pairs, int skipped);

    [LoggerMessage(EventId = 8, EventName = "ForwardingStopped", Level = LogLevel.Error, Message = "Forwarding to Dataphin stopped ({Reason}): {Error}; the events stay queued and are tried again in {RetrySeconds} s")]
    public static partial void ForwardingStopped(ILogger logger, string reason, string error, int retrySeconds);

    [LoggerMessage(EventId = 9, EventName = "ShutdownLeft", Level = LogLevel.Information, Message = "Stopping: {Count} OpenLineage events stay queued in {Path} and are forwarded after the next start")]
    public static partial void ShutdownLeft(ILogger logger, int count, string path);

    [LoggerMessage(EventId = 11, EventName = "QueueDrained", Level = LogLevel.Information, Message = "Every accepted OpenLineage event is forwarded ({Forwarded} since the start)")]
    public static partial void QueueDrained(ILogger logger, long forwarded);

    [LoggerMessage(EventId = 10, EventName = "ForwardingFailed", Level = LogLevel.Error, Message = "Forwarding a batch of OpenLineage events failed; they stay queued")]
    public static partial void ForwardingFailed(ILogger logger, Exception error);
}
