using System.Globalization;

namespace Dataphin.OpenApi.Bulk;

/// <summary>
/// The totals of a bulk run. Every item read is counted exactly once, so
/// <see cref="Succeeded"/> + <see cref="Failed"/> + <see cref="SkippedInvalid"/> + <see cref="Cancelled"/> + <see cref="Validated"/> = <see cref="Total"/>.
/// </summary>
public sealed class BulkSummary
{
    /// <summary>Items read from the input.</summary>
    public long Total { get; private set; }

    /// <summary>Items whose every call succeeded.</summary>
    public long Succeeded { get; private set; }

    /// <summary>Items with at least one failed call.</summary>
    public long Failed { get; private set; }

    /// <summary>Items not sent because they could not be read or were invalid.</summary>
    public long SkippedInvalid { get; private set; }

    /// <summary>Items cut short by cancellation.</summary>
    public long Cancelled { get; private set; }

    /// <summary>Items a dry run found valid (nothing sent).</summary>
    public long Validated { get; private set; }

    /// <summary>Calls made to the service.</summary>
    public long CallsSent { get; private set; }

    /// <summary>Calls that failed.</summary>
    public long CallsFailed { get; private set; }

    /// <summary>
    /// Whether the run was cancelled before the input was exhausted; items never read are not counted anywhere.
    /// Set by <see cref="DataphinBulkLineage.RunToSummaryAsync(IAsyncEnumerable{LineageItem}, BulkOptions?, IProgress{BulkProgress}?, Func{BulkItemResult, ValueTask}?, CancellationToken)"/>; set it yourself when you count results with <see cref="Add"/>.
    /// </summary>
    public bool WasCancelled { get; set; }

    /// <summary><see langword="true"/> when every item read succeeded (or, in a dry run, was valid).</summary>
    public bool AllSucceeded => Failed == 0 && SkippedInvalid == 0 && Cancelled == 0 && !WasCancelled;

    /// <summary>Counts one result.</summary>
    /// <param name="result">The result of one item.</param>
    /// <exception cref="ArgumentNullException"><paramref name="result"/> is null.</exception>
    public void Add(BulkItemResult result)
    {
        if (result is null)
        {
            throw new ArgumentNullException(nameof(result));
        }

        Total++;
        switch (result.Status)
        {
            case BulkItemStatus.Succeeded: Succeeded++; break;
            case BulkItemStatus.Failed: Failed++; break;
            case BulkItemStatus.SkippedInvalid: SkippedInvalid++; break;
            case BulkItemStatus.Cancelled: Cancelled++; break;
            case BulkItemStatus.Validated: Validated++; break;
        }

        foreach (var part in result.Parts)
        {
            if (part.Status is BulkPartStatus.Succeeded or BulkPartStatus.Failed or BulkPartStatus.Cancelled)
            {
                CallsSent++;
            }

            if (part.Status == BulkPartStatus.Failed)
            {
                CallsFailed++;
            }
        }
    }

    /// <inheritdoc />
    public override string ToString() => string.Format(
        CultureInfo.InvariantCulture,
        "{0} items: {1} succeeded, {2} failed, {3} invalid, {4} cancelled, {5} validated; {6} calls ({7} failed){8}",
        Total,
        Succeeded,
        Failed,
        SkippedInvalid,
        Cancelled,
        Validated,
        CallsSent,
        CallsFailed,
        WasCancelled ? "; the run was cancelled" : string.Empty);
}
