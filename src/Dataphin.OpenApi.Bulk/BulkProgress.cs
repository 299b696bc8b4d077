namespace Dataphin.OpenApi.Bulk;

/// <summary>
/// A snapshot of a running bulk run, reported through <see cref="IProgress{T}"/> after every item, when the run pauses,
/// and once more when it ends (<see cref="IsFinal"/>).
/// </summary>
public sealed class BulkProgress
{
    internal BulkProgress(in Counts counts, bool isPaused, TimeSpan pausedFor, BulkStopReason stopReason, Exception? stopError, bool isFinal)
    {
        Read = counts.Read;
        Succeeded = counts.Succeeded;
        Failed = counts.Failed;
        SkippedInvalid = counts.SkippedInvalid;
        Cancelled = counts.Cancelled;
        Validated = counts.Validated;
        AlreadyDone = counts.AlreadyDone;
        CallsSent = counts.CallsSent;
        CallsShortCircuited = counts.CallsShortCircuited;
        RequestsSent = counts.RequestsSent;
        ThrottledAnswers = counts.ThrottledAnswers;
        IsPaused = isPaused;
        PausedFor = pausedFor;
        StopReason = stopReason;
        StopError = stopError;
        IsFinal = isFinal;
    }

    /// <summary>Items taken from the input so far.</summary>
    public long Read { get; }

    /// <summary>Items that succeeded.</summary>
    public long Succeeded { get; }

    /// <summary>Items that failed.</summary>
    public long Failed { get; }

    /// <summary>Items skipped because they could not be read or were invalid.</summary>
    public long SkippedInvalid { get; }

    /// <summary>Items cut short because the run stopped.</summary>
    public long Cancelled { get; }

    /// <summary>Items a dry run found valid.</summary>
    public long Validated { get; }

    /// <summary>Items an earlier run already did (<see cref="BulkOptions.RunStore"/>), not sent again.</summary>
    public long AlreadyDone { get; }

    /// <summary>Items finished, whatever their outcome.</summary>
    public long Completed => Succeeded + Failed + SkippedInvalid + Cancelled + Validated + AlreadyDone;

    /// <summary>Items read but not finished yet.</summary>
    public long InFlight => Read - Completed;

    /// <summary>
    /// Calls made to the service so far that the client did not refuse on its own (an item with more than 100 field
    /// lineages needs several calls; each call may be several HTTP requests when the client retries).
    /// </summary>
    public long CallsSent { get; }

    /// <summary>Calls the client refused without sending: an open circuit, a rate-limit wait over its budget, an edition check.</summary>
    public long CallsShortCircuited { get; }

    /// <summary>HTTP requests that left the process during the run, retries included; <see langword="null"/> without a <see cref="BulkOptions.RequestTracker"/>.</summary>
    public long? RequestsSent { get; }

    /// <summary>Throttling answers from the service during the run, retried ones included; <see langword="null"/> without a <see cref="BulkOptions.RequestTracker"/>.</summary>
    public long? ThrottledAnswers { get; }

    /// <summary>Whether the run is paused (waiting for the circuit to close or for the throttling to end).</summary>
    public bool IsPaused { get; }

    /// <summary>How long the run has been paused in all.</summary>
    public TimeSpan PausedFor { get; }

    /// <summary>Why the run is stopping or stopped early, or <see cref="BulkStopReason.None"/>.</summary>
    public BulkStopReason StopReason { get; }

    /// <summary>The error that stopped the run (<see cref="BulkStopReason.AccountError"/>, <see cref="BulkStopReason.PauseBudgetExhausted"/>, <see cref="BulkStopReason.RunStoreFailed"/>), if any.</summary>
    public Exception? StopError { get; }

    /// <summary>Whether this is the last snapshot: the run has ended.</summary>
    public bool IsFinal { get; }

    /// <inheritdoc />
    public override string ToString() => $"{Completed}/{Read} done: {Succeeded} succeeded, {Failed} failed, {SkippedInvalid} invalid, {Cancelled} cancelled, {Validated} validated, {AlreadyDone} already done{(IsPaused ? " (paused)" : string.Empty)}";

    /// <summary>The counters of a run at one moment.</summary>
    internal struct Counts
    {
        public long Read;
        public long Succeeded;
        public long Failed;
        public long SkippedInvalid;
        public long Cancelled;
        public long Validated;
        public long AlreadyDone;
        public long CallsSent;
        public long CallsShortCircuited;
        public long? RequestsSent;
        public long? ThrottledAnswers;
    }
}
