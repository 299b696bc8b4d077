namespace Dataphin.OpenApi.Bulk;

/// <summary>
/// Where a bulk run records the outcome of every item as it happens, and from which it learns the items an earlier
/// run already did (see <see cref="BulkOptions.RunStore"/>). <see cref="FileBulkRunStore"/> keeps a journal file.
/// Implementations must be thread-safe: workers record concurrently.
/// </summary>
public interface IBulkRunStore
{
    /// <summary>Whether an earlier run recorded the item at <paramref name="index"/>, with identity <paramref name="id"/>, as succeeded.</summary>
    /// <param name="index">The item's 0-based position in the input.</param>
    /// <param name="id">The item's identity (<see cref="LineageItem.Id"/>); an entry for another identity at the same position does not count.</param>
    /// <returns><see langword="true"/> to skip the item.</returns>
    bool IsSucceeded(long index, string id);

    /// <summary>
    /// Records one item's outcome. The run waits for this before the worker takes its next item, so return when the
    /// record would survive the process being killed (written to the operating system, not only buffered).
    /// </summary>
    /// <param name="result">The outcome; <see cref="BulkItemResult.Index"/> is the key.</param>
    /// <param name="cancellationToken">Not cancelled by the run, which records even while it stops.</param>
    /// <returns>A task that completes when the record is kept. An exception stops the run (<see cref="BulkStopReason.RunStoreFailed"/>).</returns>
    ValueTask RecordAsync(BulkItemResult result, CancellationToken cancellationToken);
}
