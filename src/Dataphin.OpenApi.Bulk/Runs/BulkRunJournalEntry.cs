namespace Dataphin.OpenApi.Bulk;

/// <summary>One item outcome recorded in a run journal.</summary>
public sealed class BulkRunJournalEntry
{
    internal BulkRunJournalEntry(long index, string id, BulkItemStatus status, string? code, string? message)
    {
        Index = index;
        Id = id;
        Status = status;
        Code = code;
        Message = message;
    }

    /// <summary>The item's 0-based position in the input (the journal writes it 1-based, as <c>item</c>).</summary>
    public long Index { get; }

    /// <summary>The item's identity.</summary>
    public string Id { get; }

    /// <summary>
    /// The outcome: <see cref="BulkItemStatus.Succeeded"/>, <see cref="BulkItemStatus.Failed"/>,
    /// <see cref="BulkItemStatus.SkippedInvalid"/> or <see cref="BulkItemStatus.Cancelled"/>.
    /// </summary>
    public BulkItemStatus Status { get; }

    /// <summary>The service's error code of a failed item, if it answered with one.</summary>
    public string? Code { get; }

    /// <summary>Why the item failed or was invalid.</summary>
    public string? Message { get; }

    /// <inheritdoc />
    public override string ToString() => $"item {Index + 1} ({Id}): {Status}{(Message is null ? string.Empty : ": " + Message)}";
}
