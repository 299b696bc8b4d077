using System.Net.Sockets;
using System.Security.Authentication;

namespace Dataphin.OpenApi.Transport;

/// <summary>
/// Which exceptions of an attempt are failures of the network rather than answers of the service (the retry decision,
/// the circuit breaker and <see cref="DataphinTransportException"/> share this), and what each one means for a person.
/// </summary>
internal static class TransportFailure
{
    /// <summary>
    /// Whether <paramref name="exception"/> is a failure of the connection: an <see cref="HttpRequestException"/>, an
    /// <see cref="IOException"/> or <see cref="SocketException"/> from a handler or from reading the answer, or the
    /// <see cref="HttpClient"/>'s own timeout; never when <paramref name="cancellation"/> (the caller's, or the
    /// pipeline's) has been cancelled.
    /// </summary>
    public static bool Is(Exception exception, CancellationToken cancellation)
        => !cancellation.IsCancellationRequested
           && (exception is HttpRequestException or IOException or SocketException || IsHttpClientTimeout(exception));

    /// <summary>
    /// Whether <paramref name="exception"/> is the <see cref="HttpClient.Timeout"/> expiring: from .NET 5 a
    /// <see cref="TaskCanceledException"/> over a <see cref="TimeoutException"/>; before, a <see cref="TaskCanceledException"/>
    /// nobody asked for (callers rule out their own cancellation first).
    /// </summary>
    public static bool IsHttpClientTimeout(Exception exception)
#if NET5_0_OR_GREATER
        => exception is OperationCanceledException { InnerException: TimeoutException };
#else
        => exception is TaskCanceledException;
#endif

    /// <summary>Reads what happened from <paramref name="exception"/> and its inner exceptions.</summary>
    public static Classification Classify(Exception exception)
    {
        if (IsHttpClientTimeout(exception))
        {
            return new(DataphinTransportFailureKind.HttpClientTimeout, "the HTTP client's own timeout expired before the answer arrived");
        }

        Classification? detail = null;
        for (var current = exception; current is not null && detail is null; current = current.InnerException)
        {
            detail = current switch
            {
                SocketException socket => Of(socket.SocketErrorCode),
                AuthenticationException => new(DataphinTransportFailureKind.ConnectFailed, "the secure connection (TLS) could not be set up"),
                _ => null,
            };
        }

#if NET8_0_OR_GREATER
        // From .NET 8 the handler says in which phase the request failed; the socket's error, when there is one, says
        // more precisely what happened in that phase.
        for (var current = exception; current is not null; current = current.InnerException)
        {
            if (current is HttpRequestException { HttpRequestError: not HttpRequestError.Unknown } http)
            {
                Classification? phase = http.HttpRequestError switch
                {
                    HttpRequestError.NameResolutionError => new(DataphinTransportFailureKind.ConnectFailed, "the host name could not be resolved"),
                    HttpRequestError.ConnectionError => new(DataphinTransportFailureKind.ConnectFailed, "no connection could be made"),
                    HttpRequestError.SecureConnectionError => new(DataphinTransportFailureKind.ConnectFailed, "the secure connection (TLS) could not be set up"),
                    HttpRequestError.ProxyTunnelError => new(DataphinTransportFailureKind.ConnectFailed, "the proxy would not open a tunnel to the endpoint"),
                    HttpRequestError.ResponseEnded => new(DataphinTransportFailureKind.ConnectionLost, "the connection closed before the whole answer arrived"),
                    HttpRequestError.InvalidResponse or HttpRequestError.HttpProtocolError => new(DataphinTransportFailureKind.ConnectionLost, "the answer broke the HTTP protocol"),
                    _ => null,
                };
                if (phase is { } known)
                {
                    return detail is { } precise && precise.Kind == known.Kind ? precise : known;
                }

                break;
            }
        }
#endif

        if (detail is { } found)
        {
            return found;
        }

        for (var current = exception; current is not null; current = current.InnerException)
        {
            if (current is IOException)
            {
                return new(DataphinTransportFailureKind.ConnectionLost, "the connection broke before the whole answer arrived");
            }
        }

        return new(DataphinTransportFailureKind.ConnectionLost, "the connection failed before a complete answer arrived");
    }

    private static Classification? Of(SocketError error) => error switch
    {
        SocketError.ConnectionRefused => new(DataphinTransportFailureKind.ConnectFailed, "the connection was refused (nothing accepts connections at that address and port)"),
        SocketError.HostNotFound or SocketError.NoData or SocketError.TryAgain => new(DataphinTransportFailureKind.ConnectFailed, "the host name could not be resolved"),
        SocketError.HostUnreachable or SocketError.NetworkUnreachable or SocketError.HostDown or SocketError.NetworkDown or SocketError.AddressNotAvailable
            => new(DataphinTransportFailureKind.ConnectFailed, "the host or its network could not be reached"),
        SocketError.ConnectionReset => new(DataphinTransportFailureKind.ConnectionLost, "the connection was reset by the other end"),
        SocketError.ConnectionAborted or SocketError.Shutdown or SocketError.NetworkReset => new(DataphinTransportFailureKind.ConnectionLost, "the connection was closed before the whole answer arrived"),
        _ => null,
    };

    /// <summary>The kind of a transport failure, and a clause saying what happened.</summary>
    public readonly struct Classification(DataphinTransportFailureKind kind, string reason)
    {
        public DataphinTransportFailureKind Kind { get; } = kind;

        public string Reason { get; } = reason;
    }
}
