using System.Globalization;

namespace Dataphin.OpenApi.Bulk;

/// <summary>
/// The totals of a bulk run. Every item read is counted exactly once, so
/// <see cref="Succeeded"/> + <see cref="Failed"/> + <see cref="SkippedInvalid"/> + <see cref="Cancelled"/> + <see cref="Validated"/>
/// + <see cref="AlreadyDone"/> = <see cref="Total"/>.
/// </summary>
public sealed class BulkSummary
{
    /// <summary>Items read from the input.</summary>
    public long Total { get; private set; }

    /// <summary>Items whose every call succeeded in this run.</summary>
    public long Succeeded { get; private set; }

    /// <summary>Items with at least one failed call.</summary>
    public long Failed { get; private set; }

    /// <summary>Items not sent because they could not be read or were invalid.</summary>
    public long SkippedInvalid { get; private set; }

    /// <summary>Items read but cut short because the run stopped; a later run sends them again.</summary>
    public long Cancelled { get; private set; }

    /// <summary>Items a dry run found valid (nothing sent).</summary>
    public long Validated { get; private set; }

    /// <summary>Items an earlier run already did (recorded as succeeded in <see cref="BulkOptions.RunStore"/>), not sent again.</summary>
    public long AlreadyDone { get; private set; }

    /// <summary>
    /// Calls made to the service that the client did not refuse on its own. Counted by the run (retries of a call after
    /// a pause included) when the summary comes from <see cref="DataphinBulkLineage.RunToSummaryAsync(IAsyncEnumerable{LineageItem}, BulkOptions?, IProgress{BulkProgress}?, Func{BulkItemResult, ValueTask}?, CancellationToken)"/>;
    /// one per part sent when you count results yourself with <see cref="Add"/>.
    /// </summary>
    public long CallsSent { get; private set; }

    /// <summary>Calls that failed.</summary>
    public long CallsFailed { get; private set; }

    /// <summary>Calls the client refused without sending: an open circuit, a rate-limit wait over its budget, an edition check. Set by the run.</summary>
    public long CallsShortCircuited { get; private set; }

    /// <summary>HTTP requests that left the process, retries included; <see langword="null"/> without a <see cref="BulkOptions.RequestTracker"/>. Set by the run.</summary>
    public long? RequestsSent { get; private set; }

    /// <summary>Throttling answers from the service, retried ones included; <see langword="null"/> without a <see cref="BulkOptions.RequestTracker"/>. Set by the run.</summary>
    public long? ThrottledAnswers { get; private set; }

    /// <summary>How long the run was paused in all (an open circuit, throttling). Set by the run.</summary>
    public TimeSpan PausedFor { get; private set; }

    /// <summary>Why the run stopped before reading all of its input, or <see cref="BulkStopReason.None"/>. Set by the run.</summary>
    public BulkStopReason StopReason { get; private set; }

    /// <summary>The error that stopped the run early, if one did. Set by the run.</summary>
    public Exception? StopError { get; private set; }

    /// <summary>
    /// Whether the run was cancelled before the input was exhausted; items never read are not counted anywhere.
    /// Set by <see cref="DataphinBulkLineage.RunToSummaryAsync(IAsyncEnumerable{LineageItem}, BulkOptions?, IProgress{BulkProgress}?, Func{BulkItemResult, ValueTask}?, CancellationToken)"/>; set it yourself when you count results with <see cref="Add"/>.
    /// </summary>
    public bool WasCancelled { get; set; }

    /// <summary><see langword="true"/> when every item read succeeded (or was already done, or, in a dry run, was valid) and the run was not stopped.</summary>
    public bool AllSucceeded => Failed == 0 && SkippedInvalid == 0 && Cancelled == 0 && !WasCancelled && StopReason == BulkStopReason.None;

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
            case BulkItemStatus.AlreadyDone: AlreadyDone++; break;
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
        "{0} items: {1} succeeded, {2} failed, {3} invalid, {4} cancelled, {5} validated, {6} already done; {7} calls ({8} failed, {9} short-circuited){10}",
        Total,
        Succeeded,
        Failed,
        SkippedInvalid,
        Cancelled,
        Validated,
        AlreadyDone,
        CallsSent,
        CallsFailed,
        CallsShortCircuited,
        StopReason != BulkStopReason.None ? "; the run stopped early: " + StopReason : WasCancelled ? "; the run was cancelled" : string.Empty);

    /// <summary>Takes the run-level figures from the run's last snapshot.</summary>
    internal void ApplyRun(BulkProgress final)
    {
        CallsSent = final.CallsSent;
        CallsShortCircuited = final.CallsShortCircuited;
        RequestsSent = final.RequestsSent;
        ThrottledAnswers = final.ThrottledAnswers;
        PausedFor = final.PausedFor;
        StopReason = final.StopReason;
        StopError = final.StopError;
    }
}
