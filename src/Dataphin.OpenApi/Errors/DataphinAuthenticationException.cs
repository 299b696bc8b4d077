namespace Dataphin.OpenApi;

/// <summary>
/// The service did not accept who made the call: <c>DataphinOpenAPIRamUnAuthorized</c> (HTTP 401, the caller lacks
/// RAM authorization), an unknown or disabled AccessKey, a signature that does not match, an expired date or a
/// reused nonce, or an invalid security token. Retrying the same call will not help.
/// </summary>
public sealed class DataphinAuthenticationException : DataphinRequestException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="details">What the service answered.</param>
    /// <param name="innerException">The cause, if any.</param>
    public DataphinAuthenticationException(DataphinErrorDetails details, Exception? innerException = null)
        : base(details, innerException)
    {
    }
}
