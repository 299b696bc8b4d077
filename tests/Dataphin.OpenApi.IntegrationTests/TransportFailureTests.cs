using System.Net;
using System.Net.Sockets;
using System.Text;
using Dataphin.OpenApi.IntegrationTests.Support;

namespace Dataphin.OpenApi.IntegrationTests;

/// <summary>
/// Real sockets on 127.0.0.1 that fail the way networks do: nothing listening, a connection closed or reset in the
/// middle of an answer, a body shorter than its Content-Length. Each reaches the caller as a
/// <see cref="DataphinTransportException"/> with the network's exception inside, and no secret in its text.
/// </summary>
public sealed class TransportFailureTests
{
    private const long Tenant = 300001234;
    private const string Secret = "transport-test-secret-never-shown";
    private const string Token = "transport-test-sts-token-never-shown";

    [Fact]
    public async Task A_port_that_was_bound_then_closed_refuses_the_connection_and_nothing_reached_the_service()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        using var client = Client(new Uri($"http://127.0.0.1:{port}"));

        var error = await Assert.ThrowsAsync<DataphinTransportException>(() => client.AddRegisterLineageAsync(Tenant, Lineages.Add(("a", "b"))));

        Assert.Equal(DataphinTransportFailureKind.ConnectFailed, error.Kind);
        Assert.Equal($"http://127.0.0.1:{port}", error.Endpoint);
        Assert.Contains("the connection was refused", error.Message, StringComparison.Ordinal);
        Assert.Contains(Chain(error), e => e is SocketException { SocketErrorCode: SocketError.ConnectionRefused });
        AssertNoSecret(error);
    }

    [Fact]
    public async Task A_server_that_closes_the_socket_after_reading_the_request_gives_a_connection_lost_failure()
    {
        await using var server = RawServer.Start(_ => []);
        using var client = Client(server.Endpoint);

        var error = await Assert.ThrowsAsync<DataphinTransportException>(() => client.AddRegisterLineageAsync(Tenant, Lineages.Add(("a", "b"))));

        Assert.Equal(DataphinTransportFailureKind.ConnectionLost, error.Kind);
        Assert.Contains("may or may not have applied", error.Message, StringComparison.Ordinal);
        Assert.IsType<HttpRequestException>(error.InnerException);
        Assert.Equal(1, server.Requests);
        AssertNoSecret(error);
    }

    [Fact]
    public async Task A_body_shorter_than_its_content_length_is_a_transport_failure_not_an_answer()
    {
        var head = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 500\r\n\r\n";
        await using var server = RawServer.Start(_ => Encoding.ASCII.GetBytes(head + "{\"RequestId\":\"cut-off\",\"Success\":tr"));
        using var client = Client(server.Endpoint);

        var error = await Assert.ThrowsAsync<DataphinTransportException>(() => client.AddRegisterLineageAsync(Tenant, Lineages.Add(("a", "b"))));

        Assert.Equal(DataphinTransportFailureKind.ConnectionLost, error.Kind);
        Assert.Contains("the connection closed before the whole answer arrived", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("cut-off", error.Message, StringComparison.Ordinal);
        Assert.Contains(Chain(error), e => e is IOException);
        AssertNoSecret(error);
    }

    [Fact]
    public async Task A_connection_reset_mid_answer_is_retried_for_a_retry_safe_call_and_reports_every_attempt()
    {
        await using var server = RawServer.Start(_ => Encoding.ASCII.GetBytes("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n{\"Req"), reset: true);
        using var client = Client(server.Endpoint, o =>
        {
            o.Retry.MaxAttempts = 3;
            o.Retry.BaseDelay = TimeSpan.FromMilliseconds(1);
            o.Retry.MaxDelay = TimeSpan.FromMilliseconds(1);
        });
        Assert.True(DataphinOperationCatalog.Get("AddRegisterLineage").IsRetrySafe);

        var error = await Assert.ThrowsAsync<DataphinTransportException>(() => client.AddRegisterLineageAsync(Tenant, Lineages.Add(("a", "b"))));

        Assert.Equal(3, server.Requests);
        Assert.Equal(3, error.Attempts);
        Assert.Equal(DataphinTransportFailureKind.ConnectionLost, error.Kind);
        AssertNoSecret(error);
    }

    private static DataphinClient Client(Uri endpoint, Action<DataphinClientOptions>? configure = null)
    {
        var options = new DataphinClientOptions();
        Lineages.SingleAttempt(options);
        options.RateLimit.Enabled = false;
        configure?.Invoke(options);
        return new DataphinClient(endpoint, new DataphinCredential("LTAI5tTransportTestKey", Secret, Token), options);
    }

    private static IEnumerable<Exception> Chain(Exception error)
    {
        for (var current = error.InnerException; current is not null; current = current.InnerException)
        {
            yield return current;
        }
    }

    private static void AssertNoSecret(Exception error)
    {
        var text = error.ToString();
        Assert.DoesNotContain(Secret, text, StringComparison.Ordinal);
        Assert.DoesNotContain(Token, text, StringComparison.Ordinal);
        Assert.DoesNotContain("Signature=", text, StringComparison.Ordinal);
    }

    /// <summary>
    /// An HTTP/1.1 server on a raw socket: reads each request (headers and Content-Length body), writes the bytes
    /// <c>answer</c> gives, then closes the connection (with a reset when asked: linger 0).
    /// </summary>
    private sealed class RawServer : IAsyncDisposable
    {
        private readonly TcpListener _listener;
        private readonly Task _loop;
        private int _requests;

        private RawServer(TcpListener listener, Func<int, byte[]> answer, bool reset)
        {
            _listener = listener;
            _loop = Task.Run(() => LoopAsync(answer, reset));
        }

        public Uri Endpoint => new($"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}");

        public int Requests => Volatile.Read(ref _requests);

        public static RawServer Start(Func<int, byte[]> answer, bool reset = false)
        {
            var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            return new RawServer(listener, answer, reset);
        }

        public async ValueTask DisposeAsync()
        {
            _listener.Stop();
            try
            {
                await _loop;
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException or InvalidOperationException)
            {
                // The listener was stopped while accepting.
            }
        }

        private async Task LoopAsync(Func<int, byte[]> answer, bool reset)
        {
            while (true)
            {
                using var socket = await _listener.AcceptSocketAsync();
                await ReadRequestAsync(socket);
                var index = Interlocked.Increment(ref _requests) - 1;
                var bytes = answer(index);
                if (bytes.Length > 0)
                {
                    await socket.SendAsync(bytes, SocketFlags.None);
                }

                if (reset)
                {
                    socket.LingerState = new LingerOption(true, 0);
                }
                else
                {
                    socket.Shutdown(SocketShutdown.Both);
                }

                socket.Close();
            }
        }

        private static async Task ReadRequestAsync(Socket socket)
        {
            var received = new List<byte>();
            var buffer = new byte[8192];
            int headerEnd;
            while ((headerEnd = IndexOf(received, "\r\n\r\n"u8.ToArray())) < 0)
            {
                var n = await socket.ReceiveAsync(buffer, SocketFlags.None);
                if (n == 0)
                {
                    return;
                }

                received.AddRange(buffer.AsSpan(0, n).ToArray());
            }

            var headers = Encoding.ASCII.GetString(received.ToArray(), 0, headerEnd);
            var length = headers.Split("\r\n").Select(l => l.Split(':', 2)).Where(p => p.Length == 2 && p[0].Trim().Equals("Content-Length", StringComparison.OrdinalIgnoreCase)).Select(p => int.Parse(p[1].Trim(), System.Globalization.CultureInfo.InvariantCulture)).FirstOrDefault();
            var body = received.Count - headerEnd - 4;
            while (body < length)
            {
                var n = await socket.ReceiveAsync(buffer, SocketFlags.None);
                if (n == 0)
                {
                    return;
                }

                body += n;
            }
        }

        private static int IndexOf(List<byte> data, byte[] pattern)
        {
            for (var i = 0; i + pattern.Length <= data.Count; i++)
            {
                var match = true;
                for (var j = 0; j < pattern.Length && match; j++)
                {
                    match = data[i + j] == pattern[j];
                }

                if (match)
                {
                    return i;
                }
            }

            return -1;
        }
    }
}
