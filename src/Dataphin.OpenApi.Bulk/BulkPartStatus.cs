namespace Dataphin.OpenApi.Bulk;

/// <summary>The outcome of one call (part) of a bulk item.</summary>
public enum BulkPartStatus
{
    /// <summary>The call succeeded.</summary>
    Succeeded,

    /// <summary>The call failed; <see cref="BulkPartResult.Error"/> says why.</summary>
    Failed,

    /// <summary>The call was started but cancelled; the service may or may not have applied it.</summary>
    Cancelled,

    /// <summary>The call was not sent (a dry run, or the run was cancelled before it started).</summary>
    NotSent,
}
