namespace Dataphin.OpenApi.Testing.Protocol;

/// <summary>An error the emulator answers with, in the service's shape: HTTP status, code and message.</summary>
internal sealed record ServiceError(int Status, string Code, string Message)
{
    public long? RetryAfterMilliseconds { get; init; }

    public static ServiceError IncompleteSignature(string detail)
        => new(400, "IncompleteSignature", "The request signature does not conform to Aliyun standards. " + detail);

    public static ServiceError AccessKeyNotFound()
        => new(404, "InvalidAccessKeyId.NotFound", "Specified access key is not found.");

    public static ServiceError SignatureDoesNotMatch(string detail)
        => new(400, "SignatureDoesNotMatch", "Specified signature is not matched with our calculation. " + detail);

    public static ServiceError TimeStampExpired(string detail)
        => new(400, "InvalidTimeStamp.Expired", "Specified time stamp or date value is expired. " + detail);

    public static ServiceError TimeStampFormat(string value)
        => new(400, "InvalidTimeStamp.Format", $"Specified time stamp or date value is not well formatted: x-acs-date '{value}' is not yyyy-MM-ddTHH:mm:ssZ.");

    public static ServiceError NonceUsed()
        => new(400, "SignatureNonceUsed", "Specified signature nonce was used already.");

    public static ServiceError MissingSecurityToken()
        => new(400, "MissingSecurityToken", "SecurityToken is mandatory for this AccessKey: send it in a signed x-acs-security-token header.");

    public static ServiceError SecurityTokenMismatch()
        => new(400, "InvalidSecurityToken.MismatchWithAccessKey", "Specified SecurityToken mismatch with the AccessKey.");

    public static ServiceError ActionNotFound(string action)
        => new(404, "InvalidAction.NotFound", $"Specified api is not found, please check your url and method. (x-acs-action '{action}' is not an operation of dataphin-public 2023-06-30)");

    public static ServiceError InvalidVersion(string version)
        => new(400, "InvalidVersion", $"Specified parameter Version is not valid. (x-acs-version '{version}'; dataphin-public has 2023-06-30)");

    public static ServiceError RamUnauthorized(string accessKeyId)
        => new(401, "DataphinOpenAPIRamUnAuthorized", $"The RAM identity of AccessKey {accessKeyId} is not authorized to call the Dataphin OpenAPI.");

    public static ServiceError Forbidden(string detail)
        => new(403, "DataphinOpenApiForbidden", "Request forbidden, the tenant id may be invalid. " + detail);

    public static ServiceError MissingParameter(string name)
        => new(400, "Missing" + name, $"{name} is mandatory for this action.");

    public static ServiceError InvalidParameter(string detail)
        => new(400, "InvalidParameter", detail);

    /// <summary>
    /// HTTP 413 for a body over the emulator's cap. The service documents no limit and no code for it; the emulator
    /// answers with its usual error shape and the code <c>RequestBodyTooLarge</c>.
    /// </summary>
    public static ServiceError RequestBodyTooLarge(int cap, long? announced)
        => new(413, "RequestBodyTooLarge", announced is { } length
            ? $"The request body of {length} bytes (Content-Length) is larger than the {cap} bytes accepted."
            : $"The request body is larger than the {cap} bytes accepted.");

    public static ServiceError Throttled(long retryAfterMilliseconds, string message)
        => new(400, "Throttling.User", message) { RetryAfterMilliseconds = retryAfterMilliseconds };

    public static ServiceError ServiceUnavailable()
        => new(503, "ServiceUnavailable", "The request has failed due to a temporary failure of the server.");

    public static ServiceError InternalError()
        => new(500, "InternalError", "The request processing has failed due to some unknown error, exception or failure.");
}
