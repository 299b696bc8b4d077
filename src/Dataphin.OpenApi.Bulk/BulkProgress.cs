namespace Dataphin.OpenApi.Bulk;

/// <summary>A snapshot of a running bulk run, reported through <see cref="IProgress{T}"/> after every item.</summary>
public sealed class BulkProgress
{
    internal BulkProgress(long read, long succeeded, long failed, long skippedInvalid, long cancelled, long validated, long callsSent)
    {
        Read = read;
        Succeeded = succeeded;
        Failed = failed;
        SkippedInvalid = skippedInvalid;
        Cancelled = cancelled;
        Validated = validated;
        CallsSent = callsSent;
    }

    /// <summary>Items taken from the input so far.</summary>
    public long Read { get; }

    /// <summary>Items that succeeded.</summary>
    public long Succeeded { get; }

    /// <summary>Items that failed.</summary>
    public long Failed { get; }

    /// <summary>Items skipped because they could not be read or were invalid.</summary>
    public long SkippedInvalid { get; }

    /// <summary>Items cut short by cancellation.</summary>
    public long Cancelled { get; }

    /// <summary>Items a dry run found valid.</summary>
    public long Validated { get; }

    /// <summary>Items finished, whatever their outcome.</summary>
    public long Completed => Succeeded + Failed + SkippedInvalid + Cancelled + Validated;

    /// <summary>Items read but not finished yet.</summary>
    public long InFlight => Read - Completed;

    /// <summary>Calls made to the service so far (an item with more than 100 field lineages needs several).</summary>
    public long CallsSent { get; }

    /// <inheritdoc />
    public override string ToString() => $"{Completed}/{Read} done: {Succeeded} succeeded, {Failed} failed, {SkippedInvalid} invalid, {Cancelled} cancelled, {Validated} validated";
}
