using System.Net.Http.Headers;
using System.Text.Json;

namespace Dataphin.OpenApi.IntegrationTests.Support;

/// <summary>A request recorded from the official Node.js client (Goldens/*.json), replayed byte for byte.</summary>
internal sealed class GoldenRequest
{
    private GoldenRequest(JsonElement root)
    {
        var request = root.GetProperty("request");
        RawUrl = request.GetProperty("rawUrl").GetString()!;
        Body = Convert.FromBase64String(request.GetProperty("bodyBase64").GetString()!);
        Headers = request.GetProperty("rawHeaders").EnumerateArray().Select(h => new KeyValuePair<string, string>(h[0].GetString()!, h[1].GetString()!)).ToList();
        Date = DateTimeOffset.Parse(root.GetProperty("fixed").GetProperty("date").GetString()!, System.Globalization.CultureInfo.InvariantCulture);
        AccessKeyId = root.GetProperty("credentials").GetProperty("accessKeyId").GetString()!;
        AccessKeySecret = root.GetProperty("credentials").GetProperty("accessKeySecret").GetString()!;
        TenantId = root.GetProperty("operation").GetProperty("opTenantId").GetInt64();
    }

    public string RawUrl { get; }

    public byte[] Body { get; }

    public IReadOnlyList<KeyValuePair<string, string>> Headers { get; }

    public DateTimeOffset Date { get; }

    public string AccessKeyId { get; }

    public string AccessKeySecret { get; }

    public long TenantId { get; }

    public static GoldenRequest Load(string name)
        => new(JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Goldens", name))).RootElement);

    /// <summary>Builds the recorded request for <paramref name="endpoint"/>, keeping the recorded Host header.</summary>
    /// <param name="endpoint">Where to send it.</param>
    /// <param name="body">The body to send; the recorded one when null.</param>
    /// <param name="chunked">Send the body with Transfer-Encoding: chunked, as the Node client does.</param>
    public HttpRequestMessage ToMessage(Uri endpoint, byte[]? body = null, bool chunked = false)
    {
        var message = new HttpRequestMessage(HttpMethod.Post, new Uri(endpoint, RawUrl));
        body ??= Body;
        message.Content = chunked ? new StreamContent(new NonSeekableStream(body)) : new ByteArrayContent(body);
        message.Content.Headers.ContentType = null;
        foreach (var (name, value) in Headers)
        {
            switch (name.ToLowerInvariant())
            {
                case "host":
                    message.Headers.Host = value;
                    break;
                case "content-type":
                    message.Content.Headers.TryAddWithoutValidation("Content-Type", value);
                    break;
                default:
                    Assert.True(message.Headers.TryAddWithoutValidation(name, value), $"header {name} could not be added");
                    break;
            }
        }

        if (chunked)
        {
            message.Headers.TransferEncodingChunked = true;
        }

        return message;
    }

    /// <summary>A stream without a length, so HttpClient must send it chunked.</summary>
    private sealed class NonSeekableStream(byte[] bytes) : MemoryStream(bytes)
    {
        public override bool CanSeek => false;
    }
}
