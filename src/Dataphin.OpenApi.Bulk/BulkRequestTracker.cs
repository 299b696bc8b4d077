using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Dataphin.OpenApi.Internal;

namespace Dataphin.OpenApi.Bulk;

/// <summary>
/// An HTTP handler to build a bulk run's <see cref="DataphinClient"/> over (see <see cref="BulkOptions.RequestTracker"/>):
/// it counts the requests that actually leave the process and the service's throttling answers, and lets a stopping
/// run send nothing more while the requests already on the wire finish. Use one tracker per client, and one run at a
/// time per tracker.
/// </summary>
/// <example>
/// <code>
/// var tracker = new BulkRequestTracker(new SocketsHttpHandler());
/// using var client = new DataphinClient(new HttpClient(tracker) { Timeout = Timeout.InfiniteTimeSpan }, clientOptions);
/// var summary = await new DataphinBulkLineage(client, tenantId).RunToSummaryAsync(items, new BulkOptions { RequestTracker = tracker });
/// Console.WriteLine($"{summary.RequestsSent} requests sent, {summary.ThrottledAnswers} throttled");
/// </code>
/// </example>
public sealed class BulkRequestTracker : DelegatingHandler
{
    private readonly object _gate = new();
    private long _sent;
    private long _throttled;
    private int _onWire;
    private bool _closed;
    private TaskCompletionSource<bool>? _idle;

    /// <summary>Creates a tracker sending through <paramref name="innerHandler"/> (for example a <c>SocketsHttpHandler</c>).</summary>
    /// <param name="innerHandler">The handler that sends.</param>
    /// <exception cref="ArgumentNullException"><paramref name="innerHandler"/> is null.</exception>
    public BulkRequestTracker(HttpMessageHandler innerHandler)
        : base(Guard.NotNull(innerHandler, nameof(innerHandler)))
    {
    }

    /// <summary>
    /// Requests that left the process: every attempt handed to the network, retries included, except those whose
    /// connection could not even be made (refused, or the host not found).
    /// </summary>
    public long RequestsSent => Interlocked.Read(ref _sent);

    /// <summary>Answers from the service that said the call was throttled (a <c>Throttling*</c> code, or HTTP 429).</summary>
    public long ThrottledAnswers => Interlocked.Read(ref _throttled);

    /// <summary>Whether requests are refused (a run is stopping).</summary>
    internal bool IsClosed
    {
        get
        {
            lock (_gate)
            {
                return _closed;
            }
        }
    }

    /// <summary>Lets requests through again (a run starts).</summary>
    internal void Open()
    {
        lock (_gate)
        {
            _closed = false;
            _idle = null;
        }
    }

    /// <summary>Refuses every request from now on; the ones on the wire go on.</summary>
    internal void Close()
    {
        lock (_gate)
        {
            _closed = true;
        }
    }

    /// <summary>Completes when no request is on the wire (call after <see cref="Close"/>).</summary>
    internal Task WhenIdleAsync()
    {
        lock (_gate)
        {
            if (_onWire == 0)
            {
                return Task.CompletedTask;
            }

            _idle ??= new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
            return _idle.Task;
        }
    }

    /// <inheritdoc />
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (_closed)
            {
                throw new BulkRequestRefusedException();
            }

            _onWire++;
        }

        try
        {
            HttpResponseMessage response;
            try
            {
                response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
            }
            catch (HttpRequestException error) when (!NeverConnected(error))
            {
                Interlocked.Increment(ref _sent);
                throw;
            }
            catch (OperationCanceledException)
            {
                Interlocked.Increment(ref _sent);
                throw;
            }

            Interlocked.Increment(ref _sent);

            // Read the (small) answer while still counted on the wire: a stopping run cancels calls only once nothing
            // is on the wire, and an answer half read when that happens would be lost.
            if (response.Content is not null)
            {
                await BufferAsync(response, cancellationToken).ConfigureAwait(false);
                if (!response.IsSuccessStatusCode && await IsThrottlingAsync(response).ConfigureAwait(false))
                {
                    Interlocked.Increment(ref _throttled);
                }
            }
            else if ((int)response.StatusCode == 429)
            {
                Interlocked.Increment(ref _throttled);
            }

            return response;
        }
        finally
        {
            TaskCompletionSource<bool>? idle = null;
            lock (_gate)
            {
                _onWire--;
                if (_onWire == 0)
                {
                    idle = _idle;
                    _idle = null;
                }
            }

            idle?.TrySetResult(true);
        }
    }

    private static async Task BufferAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
#if NET9_0_OR_GREATER
        await response.Content.LoadIntoBufferAsync(cancellationToken).ConfigureAwait(false);
#else
        // Without a cancellable overload, cancellation aborts the read by disposing the response.
        using (cancellationToken.Register(static state => ((HttpResponseMessage)state!).Dispose(), response))
        {
            try
            {
                await response.Content.LoadIntoBufferAsync().ConfigureAwait(false);
            }
            catch (Exception error) when (cancellationToken.IsCancellationRequested && error is not OperationCanceledException)
            {
                throw new OperationCanceledException("The answer was not read: the call was cancelled.", error, cancellationToken);
            }
        }
#endif
    }

    private static bool NeverConnected(HttpRequestException error)
    {
#if NET8_0_OR_GREATER
        if (error.HttpRequestError is HttpRequestError.ConnectionError or HttpRequestError.NameResolutionError)
        {
            return true;
        }
#endif
        return error.InnerException is SocketException { SocketErrorCode: SocketError.ConnectionRefused or SocketError.HostNotFound or SocketError.HostUnreachable or SocketError.NetworkUnreachable };
    }

    private static async Task<bool> IsThrottlingAsync(HttpResponseMessage response)
    {
        if (response.StatusCode == (HttpStatusCode)429)
        {
            return true;
        }

        var body = await response.Content.ReadAsByteArrayAsync().ConfigureAwait(false);
        if (body.Length == 0 || body.Length > 64 * 1024)
        {
            return false;
        }

        try
        {
            var reader = new Utf8JsonReader(body);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return false;
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var isCode = reader.ValueTextEquals("Code");
                reader.Read();
                if (isCode)
                {
                    return reader.TokenType == JsonTokenType.String && (reader.GetString() ?? string.Empty).IndexOf("Throttling", StringComparison.Ordinal) >= 0;
                }

                reader.Skip();
            }
        }
        catch (JsonException)
        {
        }

        return false;
    }
}

/// <summary>A request a stopping bulk run did not send (<see cref="BulkRequestTracker"/> is closed).</summary>
internal sealed class BulkRequestRefusedException : OperationCanceledException
{
    public BulkRequestRefusedException()
        : base("The request was not sent: the bulk run is stopping.")
    {
    }
}
