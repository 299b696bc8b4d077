using System.Net;
using System.Text;

namespace Dataphin.OpenApi.Tests.Support;

/// <summary>A fake transport: records every request (with its body bytes) and answers from a script.</summary>
internal sealed class RecordingHandler : HttpMessageHandler
{
    private readonly Func<RecordedRequest, HttpResponseMessage> _answer;

    public RecordingHandler(Func<RecordedRequest, HttpResponseMessage>? answer = null)
    {
        _answer = answer ?? (_ => Json(HttpStatusCode.OK, SuccessBody));
    }

    public const string SuccessBody = "{\"RequestId\":\"82E78D6B-AA8F-1FEF-8AA3-5C9DA2A79140\",\"Success\":true,\"Code\":\"OK\",\"HttpStatusCode\":200,\"Message\":\"success\"}";

    public List<RecordedRequest> Requests { get; } = [];

    public static HttpResponseMessage Json(HttpStatusCode status, string body, params (string Name, string Value)[] headers)
    {
        var response = new HttpResponseMessage(status) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        foreach (var (name, value) in headers)
        {
            response.Headers.TryAddWithoutValidation(name, value);
        }

        return response;
    }

    public static HttpResponseMessage Text(HttpStatusCode status, string body, string mediaType = "text/html")
        => new(status) { Content = new StringContent(body, Encoding.UTF8, mediaType) };

    public HttpClient CreateClient() => new(this) { Timeout = Timeout.InfiniteTimeSpan };

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var body = request.Content is null ? [] : await request.Content.ReadAsByteArrayAsync(cancellationToken);
        var headers = new List<KeyValuePair<string, string>>();
        foreach (var header in request.Headers)
        {
            headers.Add(new(header.Key.ToLowerInvariant(), string.Join(",", header.Value)));
        }

        if (request.Content is not null)
        {
            foreach (var header in request.Content.Headers)
            {
                headers.Add(new(header.Key.ToLowerInvariant(), string.Join(",", header.Value)));
            }
        }

        var recorded = new RecordedRequest(request.Method.Method, request.RequestUri!, headers, body);
        lock (Requests)
        {
            Requests.Add(recorded);
        }

        return _answer(recorded);
    }
}

internal sealed record RecordedRequest(string Method, Uri Uri, List<KeyValuePair<string, string>> Headers, byte[] Body)
{
    public string? Header(string name) => Headers.FirstOrDefault(h => h.Key == name).Value;

    public string BodyText => Encoding.UTF8.GetString(Body);

    /// <summary>The form fields of the body, decoded.</summary>
    public Dictionary<string, string> Form()
        => BodyText.Split('&', StringSplitOptions.RemoveEmptyEntries)
            .Select(pair => pair.Split('=', 2))
            .ToDictionary(p => Uri.UnescapeDataString(p[0]), p => Uri.UnescapeDataString(p[1].Replace('+', ' ')));
}
