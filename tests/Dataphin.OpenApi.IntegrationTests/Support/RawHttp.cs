using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;

namespace Dataphin.OpenApi.IntegrationTests.Support;

/// <summary>
/// HTTP/1.1 over a bare socket: sends exactly the bytes a test gives (so it can announce a body and never send it)
/// and reads one response.
/// </summary>
internal sealed class RawHttp : IAsyncDisposable
{
    private readonly TcpClient _tcp;
    private readonly NetworkStream _stream;

    private RawHttp(TcpClient tcp)
    {
        _tcp = tcp;
        _stream = tcp.GetStream();
    }

    /// <summary>The body bytes this connection sent after the headers.</summary>
    public long BodyBytesSent { get; private set; }

    public static async Task<RawHttp> ConnectAsync(Uri endpoint)
    {
        var tcp = new TcpClient();
        await tcp.ConnectAsync(IPAddress.Loopback, endpoint.Port);
        return new RawHttp(tcp);
    }

    /// <summary>Sends a request line and headers (each <c>name: value</c>), then <paramref name="body"/>, without closing the connection.</summary>
    public async Task SendAsync(string method, string target, IEnumerable<KeyValuePair<string, string>> headers, byte[] body)
    {
        var head = new StringBuilder($"{method} {target} HTTP/1.1\r\n");
        foreach (var (name, value) in headers)
        {
            head.Append(name).Append(": ").Append(value).Append("\r\n");
        }

        head.Append("\r\n");
        await _stream.WriteAsync(Encoding.ASCII.GetBytes(head.ToString()));
        await _stream.WriteAsync(body);
        await _stream.FlushAsync();
        BodyBytesSent += body.Length;
    }

    /// <summary>Reads one response (its body by Content-Length); fails the test if none comes within a minute rather than hang.</summary>
    public async Task<RawResponse> ReceiveAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        var buffer = new List<byte>();
        var chunk = new byte[4096];
        int headerEnd;
        while ((headerEnd = IndexOfBlankLine(buffer)) < 0)
        {
            var n = await _stream.ReadAsync(chunk, timeout.Token);
            Assert.True(n > 0, "the connection closed before a response came");
            buffer.AddRange(chunk.AsSpan(0, n));
        }

        var lines = Encoding.ASCII.GetString(buffer.GetRange(0, headerEnd).ToArray()).Split("\r\n");
        var status = int.Parse(lines[0].Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);
        var headers = lines.Skip(1)
            .Select(l => l.Split(':', 2))
            .ToDictionary(p => p[0].Trim().ToLowerInvariant(), p => p[1].Trim(), StringComparer.Ordinal);
        var length = int.Parse(headers["content-length"], System.Globalization.CultureInfo.InvariantCulture);
        var body = buffer.Skip(headerEnd + 4).ToList();
        while (body.Count < length)
        {
            var n = await _stream.ReadAsync(chunk, timeout.Token);
            Assert.True(n > 0, "the connection closed in the middle of the response body");
            body.AddRange(chunk.AsSpan(0, n));
        }

        return new RawResponse(status, headers, JsonDocument.Parse(body.Take(length).ToArray()).RootElement.Clone());
    }

    public ValueTask DisposeAsync()
    {
        _tcp.Dispose();
        return ValueTask.CompletedTask;
    }

    private static int IndexOfBlankLine(List<byte> bytes)
    {
        for (var i = 0; i + 3 < bytes.Count; i++)
        {
            if (bytes[i] == '\r' && bytes[i + 1] == '\n' && bytes[i + 2] == '\r' && bytes[i + 3] == '\n')
            {
                return i;
            }
        }

        return -1;
    }
}

/// <summary>A response read by <see cref="RawHttp"/>: status, headers (names lower case) and its JSON body.</summary>
internal sealed record RawResponse(int Status, IReadOnlyDictionary<string, string> Headers, JsonElement Json)
{
    public string? Code => Json.GetProperty(nameof(Code)).GetString();
}
