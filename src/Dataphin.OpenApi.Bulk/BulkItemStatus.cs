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

    /// <summary>The run was cancelled before every call of the item was done; <see cref="BulkItemResult.Parts"/> says which were.</summary>
    Cancelled,

    /// <summary>A dry run (<see cref="BulkOptions.DryRun"/>) found the item valid; nothing was sent.</summary>
    Validated,
}
