using Dataphin.OpenApi.Transport;

namespace Dataphin.OpenApi;

/// <summary>
/// A call got no complete answer from the service, and its last attempt failed on the way: the connection was refused
/// or broke, the answer was cut off, or the <see cref="HttpClient"/>'s own timeout expired (see <see cref="Kind"/>).
/// The network's exception is kept as <see cref="Exception.InnerException"/>. Failures of this kind are retried, within
/// <see cref="DataphinClientOptions.Retry"/>, only for operations that are safe to resend; this is what is left after
/// the last attempt. The caller's own cancellation is never reported this way: it stays an
/// <see cref="OperationCanceledException"/>.
/// </summary>
public sealed class DataphinTransportException : DataphinException
{
    /// <summary>Creates the exception; <see cref="Kind"/> is read from <paramref name="innerException"/>.</summary>
    /// <param name="operation">The operation called.</param>
    /// <param name="endpoint">The endpoint the call was sent to; only its scheme, host and port are kept.</param>
    /// <param name="attempts">How many attempts were made, the last one included.</param>
    /// <param name="innerException">The failure of the last attempt, as the network raised it.</param>
    public DataphinTransportException(string operation, Uri endpoint, int attempts, Exception innerException)
        : this(operation, Describe(endpoint), attempts, TransportFailure.Classify(innerException ?? throw new ArgumentNullException(nameof(innerException))), innerException)
    {
    }

    private DataphinTransportException(string operation, string endpoint, int attempts, TransportFailure.Classification failure, Exception innerException)
        : base(BuildMessage(operation, endpoint, attempts, failure), innerException)
    {
        Operation = operation;
        Endpoint = endpoint;
        Attempts = attempts;
        Kind = failure.Kind;
    }

    /// <summary>The operation called.</summary>
    public string Operation { get; }

    /// <summary>The endpoint the call was sent to: scheme, host and port, e.g. <c>https://dataphin-openapi.cn-hangzhou.aliyuncs.com</c>.</summary>
    public string Endpoint { get; }

    /// <summary>How many attempts were made, the last one included.</summary>
    public int Attempts { get; }

    /// <summary>What went wrong: whether anything reached the service, and so whether it may have applied the call.</summary>
    public DataphinTransportFailureKind Kind { get; }

    private static string Describe(Uri endpoint)
    {
        if (endpoint is null)
        {
            throw new ArgumentNullException(nameof(endpoint));
        }

        return endpoint.IsAbsoluteUri ? endpoint.GetComponents(UriComponents.SchemeAndServer, UriFormat.UriEscaped) : "(no endpoint)";
    }

    private static string BuildMessage(string operation, string endpoint, int attempts, TransportFailure.Classification failure)
    {
        var tries = attempts == 1 ? "1 attempt" : $"{attempts} attempts";
        var advice = failure.Kind switch
        {
            DataphinTransportFailureKind.ConnectFailed => "Nothing reached the service. Check the endpoint, and that DNS, proxies and firewalls let this machine reach it.",
            DataphinTransportFailureKind.HttpClientTimeout => "The service may or may not have applied the call. The HTTP client's own timeout (HttpClient.Timeout) is shorter than the call; leave it infinite and use DataphinClientOptions.Timeouts.",
            _ => "The service may or may not have applied the call. Try again later; if it keeps happening, check the proxies and load balancers between this machine and the endpoint.",
        };
        return $"{operation} failed at {endpoint} after {tries}: {failure.Reason}. {advice}";
    }
}
