namespace Dataphin.OpenApi.Bulk;

/// <summary>The outcome of one item of a bulk run.</summary>
public enum BulkItemStatus
{
    /// <summary>Every call of the item succeeded.</summary>
    Succeeded,

    /// <summary>At least one call of the item failed; <see cref="BulkItemResult.Error"/> says why and <see cref="BulkItemResult.Parts"/> which.</summary>
    Failed,

    /// <summary>The item was not sent because it could not be read or broke a documented rule; see <see cref="BulkItemResult.ValidationErrors"/>.</summary>
    SkippedInvalid,

    /// <summary>
    /// The run stopped (cancelled, or stopped by an account-wide error or a pause longer than <see cref="BulkOptions.MaxPause"/>)
    /// before every call of the item was done; <see cref="BulkItemResult.Parts"/> says which were. A later run sends it again.
    /// </summary>
    Cancelled,

    /// <summary>A dry run (<see cref="BulkOptions.DryRun"/>) found the item valid; nothing was sent.</summary>
    Validated,

    /// <summary>
    /// The run store (<see cref="BulkOptions.RunStore"/>) records the item as succeeded in an earlier run, so it was not
    /// sent again.
    /// </summary>
    AlreadyDone,
}
