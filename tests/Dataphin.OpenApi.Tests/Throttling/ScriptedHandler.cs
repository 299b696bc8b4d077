using System.Net;
using System.Text;

namespace Dataphin.OpenApi.Tests.Throttling;

/// <summary>A fake transport: records each request with the fake time it was sent at, and answers from a script.</summary>
internal sealed class ScriptedHandler(ManualTimeProvider clock, Func<int, HttpRequestMessage, CancellationToken, Task<HttpResponseMessage>> answer) : HttpMessageHandler
{
    public const string SuccessBody = "{\"RequestId\":\"REQ-OK\",\"Success\":true,\"Code\":\"OK\",\"HttpStatusCode\":200,\"Message\":\"success\"}";

    private readonly object _gate = new();

    public List<SentRequest> Requests { get; } = [];

    public int Count
    {
        get
        {
            lock (_gate)
            {
                return Requests.Count;
            }
        }
    }

    public static ScriptedHandler AlwaysOk(ManualTimeProvider clock) => new(clock, (_, _, _) => Task.FromResult(Ok()));

    /// <summary>Answers the first requests from <paramref name="answers"/> in order, then with success.</summary>
    public static ScriptedHandler Sequence(ManualTimeProvider clock, params Func<HttpResponseMessage>[] answers)
        => new(clock, (index, _, _) => Task.FromResult(index < answers.Length ? answers[index]() : Ok()));

    /// <summary>An answer that never comes; it ends (inline, on the cancelling thread) when <paramref name="cancellationToken"/> is cancelled.</summary>
    public static Task<HttpResponseMessage> NeverAnswers(CancellationToken cancellationToken)
    {
        var pending = new TaskCompletionSource<HttpResponseMessage>();
        cancellationToken.Register(() => pending.TrySetCanceled(cancellationToken));
        return pending.Task;
    }

    public static HttpResponseMessage Ok() => Json(HttpStatusCode.OK, SuccessBody);

    public static HttpResponseMessage Throttled(int? retryAfterMs = null, HttpStatusCode status = HttpStatusCode.BadRequest)
    {
        var response = Json(status, "{\"RequestId\":\"REQ-THR\",\"HostId\":\"dataphin-public.cn-hangzhou.aliyuncs.com\",\"Code\":\"Throttling.User\",\"Message\":\"Request was denied due to user flow control.\"}");
        if (retryAfterMs is { } ms)
        {
            response.Headers.TryAddWithoutValidation("x-acs-retry-after", ms.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        return response;
    }

    public static HttpResponseMessage ServerError() => Json(HttpStatusCode.InternalServerError, "{\"RequestId\":\"REQ-500\",\"Code\":\"InternalError\",\"Message\":\"The request processing has failed due to some unknown error.\"}");

    public static HttpResponseMessage Json(HttpStatusCode status, string body) => new(status) { Content = new StringContent(body, Encoding.UTF8, "application/json") };

    public HttpClient CreateClient() => new(this) { Timeout = Timeout.InfiniteTimeSpan };

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var header in request.Headers)
        {
            headers[header.Key.ToLowerInvariant()] = string.Join(",", header.Value);
        }

        byte[] body = [];
        if (request.Content is not null)
        {
            foreach (var header in request.Content.Headers)
            {
                headers[header.Key.ToLowerInvariant()] = string.Join(",", header.Value);
            }

            body = request.Content.ReadAsByteArrayAsync(cancellationToken).GetAwaiter().GetResult();
        }

        int index;
        lock (_gate)
        {
            index = Requests.Count;
            Requests.Add(new SentRequest(request.RequestUri!, headers, body, clock.GetUtcNow()));
        }

        return answer(index, request, cancellationToken);
    }
}

internal sealed record SentRequest(Uri Uri, IReadOnlyDictionary<string, string> Headers, byte[] Body, DateTimeOffset SentAt);
