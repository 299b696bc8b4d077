namespace Dataphin.OpenApi;

/// <summary>
/// The caller is known but not allowed: <c>DataphinOpenApiForbidden</c> (HTTP 403; the tenant id may be wrong or
/// the OpenAPI feature not enabled for it) or a RAM permission denial. Check <c>OpTenantId</c>, the OpenAPI feature
/// purchase, and the user's Dataphin role ("Register External Lineage" for lineage).
/// </summary>
public sealed class DataphinForbiddenException : DataphinRequestException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="details">What the service answered.</param>
    /// <param name="innerException">The cause, if any.</param>
    public DataphinForbiddenException(DataphinErrorDetails details, Exception? innerException = null)
        : base(details, innerException)
    {
    }
}
