namespace Dataphin.OpenApi;

/// <summary>What went wrong on the way to or from the service, as a <see cref="DataphinTransportException"/> reports it.</summary>
public enum DataphinTransportFailureKind
{
    /// <summary>
    /// No connection could be made: it was refused, the host name did not resolve, the host or network was unreachable,
    /// or the secure connection (TLS) could not be set up. Nothing reached the service.
    /// </summary>
    ConnectFailed = 1,

    /// <summary>
    /// The connection broke after the request went out: it was closed or reset, or the answer was cut off before its
    /// end. The service may or may not have applied the call.
    /// </summary>
    ConnectionLost = 2,

    /// <summary>
    /// The <see cref="HttpClient"/>'s own <see cref="HttpClient.Timeout"/> expired (not the caller's cancellation, and
    /// not <see cref="DataphinClientOptions.Timeouts"/>). The service may or may not have applied the call.
    /// </summary>
    HttpClientTimeout = 3,
}
