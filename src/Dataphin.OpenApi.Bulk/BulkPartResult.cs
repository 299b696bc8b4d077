namespace Dataphin.OpenApi.Bulk;

/// <summary>
/// The outcome of one call of a bulk item. An item with more field lineages than one call may carry is sent as
/// several calls (parts) for the same table pair, in order.
/// </summary>
public sealed class BulkPartResult
{
    internal BulkPartResult(int index, LineageCommand command, BulkPartStatus status, string? requestId, Exception? error)
    {
        Index = index;
        Command = command;
        Status = status;
        RequestId = requestId;
        Error = error;
    }

    /// <summary>The 0-based position of this part among the item's parts.</summary>
    public int Index { get; }

    /// <summary>The command of this part (the item's table pair with a slice of its field lineages).</summary>
    public LineageCommand Command { get; }

    /// <summary>How many field lineages this part carries.</summary>
    public int FieldLineageCount => Command.DetailedLineages?.Count ?? 0;

    /// <summary>The outcome of the call.</summary>
    public BulkPartStatus Status { get; }

    /// <summary>The service's request id when the call succeeded.</summary>
    public string? RequestId { get; }

    /// <summary>
    /// Why the call failed: a <see cref="DataphinRequestException"/> (or subclass such as <see cref="DataphinThrottledException"/>),
    /// a <see cref="DataphinTransportException"/> for a connection failure (refused, dropped, an answer cut off), or
    /// whatever else the client threw; <see langword="null"/> otherwise.
    /// </summary>
    public Exception? Error { get; }

    /// <inheritdoc />
    public override string ToString() => $"part {Index + 1}: {Status} ({FieldLineageCount} field lineages){(Error is null ? string.Empty : ": " + Error.Message)}";
}
