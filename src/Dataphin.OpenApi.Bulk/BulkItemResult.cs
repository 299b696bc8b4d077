namespace Dataphin.OpenApi.Bulk;

/// <summary>The outcome of one input item of a bulk run, under the item's identity.</summary>
public sealed class BulkItemResult
{
    internal BulkItemResult(
        long index,
        LineageItem item,
        BulkItemStatus status,
        IReadOnlyList<BulkPartResult> parts,
        IReadOnlyList<DataphinValidationError> validationErrors,
        LineageCommand? remainingCommand)
    {
        Index = index;
        Item = item;
        Status = status;
        Parts = parts;
        ValidationErrors = validationErrors;
        RemainingCommand = remainingCommand;
        foreach (var part in parts)
        {
            if (part.Status == BulkPartStatus.Failed)
            {
                Error = part.Error;
                break;
            }
        }
    }

    /// <summary>The item's 0-based position in the input, the key a run store (<see cref="BulkOptions.RunStore"/>) records it under.</summary>
    public long Index { get; }

    /// <summary>The input item.</summary>
    public LineageItem Item { get; }

    /// <summary>The item's identity (<see cref="LineageItem.Id"/>).</summary>
    public string Id => Item.Id;

    /// <summary>The manifest line the item starts on, if it was read from a manifest.</summary>
    public int? LineNumber => Item.LineNumber;

    /// <summary>The outcome.</summary>
    public BulkItemStatus Status { get; }

    /// <summary>One entry per call the item needed, in order; empty when the item was skipped (invalid, or already done).</summary>
    public IReadOnlyList<BulkPartResult> Parts { get; }

    /// <summary>Why the item was skipped (<see cref="BulkItemStatus.SkippedInvalid"/>): every broken rule or read error; otherwise empty.</summary>
    public IReadOnlyList<DataphinValidationError> ValidationErrors { get; }

    /// <summary>The error of the first failed part, or <see langword="null"/>.</summary>
    public Exception? Error { get; }

    /// <summary>
    /// What is left to do for this item, as one command: the field lineages of the parts that failed, were cancelled
    /// or were not sent (the whole command when it was skipped as invalid). <see langword="null"/> when the item
    /// succeeded or could not be read. Write these out (see <c>LineageManifestWriter</c>) to resume a run.
    /// </summary>
    public LineageCommand? RemainingCommand { get; }

    /// <inheritdoc />
    public override string ToString()
        => $"{Id}: {Status}{(Error is null ? string.Empty : " (" + Error.Message + ")")}{(ValidationErrors.Count == 0 ? string.Empty : " (" + ValidationErrors[0] + ")")}";
}
