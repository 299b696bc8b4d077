using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Dataphin.OpenApi.Testing.Hosting;
using Dataphin.OpenApi.Testing.Protocol;

namespace Dataphin.OpenApi.Testing;

/// <summary>
/// One answer of a <see cref="FakeDataphinTransport"/>: an HTTP status, a body, headers, and optionally a wait before
/// it is given or a transport failure instead of an answer. Immutable; one instance can answer any number of
/// requests. The factories build the Dataphin OpenAPI's own shapes (<see cref="Success"/>, <see cref="Throttled"/>,
/// <see cref="Unauthorized"/>, <see cref="Forbidden"/>, <see cref="InternalError"/>, ...); <see cref="Json"/> and
/// <see cref="Text"/> build anything else, such as the HTML page of a proxy.
/// </summary>
public sealed class FakeDataphinResponse
{
    /// <summary>The request id of <see cref="Success"/> answers unless another is given (the example of the service's documentation).</summary>
    public const string DefaultRequestId = "82E78D6B-AA8F-1FEF-8AA3-5C9DA2A79140";

    private const string HostId = "dataphin-public.aliyuncs.com";
    private const string JsonContentType = "application/json; charset=utf-8";

    private readonly byte[] _body;
    private readonly string _contentType;
    private readonly KeyValuePair<string, string>[] _headers;

    private FakeDataphinResponse(HttpStatusCode status, byte[] body, string contentType, KeyValuePair<string, string>[] headers)
    {
        StatusCode = status;
        _body = body;
        _contentType = contentType;
        _headers = headers;
    }

    private FakeDataphinResponse(FakeDataphinResponse other)
    {
        StatusCode = other.StatusCode;
        _body = other._body;
        _contentType = other._contentType;
        _headers = other._headers;
        Delay = other.Delay;
        Release = other.Release;
        NeverAnswers = other.NeverAnswers;
        FailureMessage = other.FailureMessage;
    }

    /// <summary>The HTTP status of the answer.</summary>
    public HttpStatusCode StatusCode { get; }

    /// <summary>The body of the answer as text (UTF-8).</summary>
    public string BodyText => Encoding.UTF8.GetString(_body);

    /// <summary>The headers added to the answer besides <c>Content-Type</c>, in the order they were added.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Headers => _headers;

    /// <summary>How long the transport waits, on its <see cref="TimeProvider"/>, before it answers; <see langword="null"/> for no wait.</summary>
    public TimeSpan? Delay { get; private init; }

    /// <summary>A task the transport waits for before it answers (see <see cref="After"/>); <see langword="null"/> for none.</summary>
    public Task? Release { get; private init; }

    /// <summary>Whether the transport never answers and the request ends only when the caller cancels it (see <see cref="NoAnswer"/>).</summary>
    public bool NeverAnswers { get; private init; }

    /// <summary>The message of the <see cref="HttpRequestException"/> thrown instead of answering (see <see cref="ConnectionFailure"/>); <see langword="null"/> for an answer.</summary>
    public string? FailureMessage { get; private init; }

    /// <summary>
    /// HTTP 200 with the service's success body: <c>{"RequestId":…,"Success":true,"Code":"OK","HttpStatusCode":200,"Message":"success"}</c>,
    /// plus <c>"Data"</c> when <paramref name="dataJson"/> is given (operations other than the lineage ones return their result there).
    /// </summary>
    /// <param name="dataJson">The value of <c>Data</c>, as JSON text; <see langword="null"/> for no <c>Data</c> (as AddRegisterLineage and DeleteRegisterLineage answer).</param>
    /// <param name="requestId">The <c>RequestId</c>; <see cref="DefaultRequestId"/> if <see langword="null"/>.</param>
    /// <returns>The answer.</returns>
    /// <exception cref="ArgumentException"><paramref name="dataJson"/> is not one JSON value.</exception>
    public static FakeDataphinResponse Success(string? dataJson = null, string? requestId = null)
    {
        if (dataJson is not null)
        {
            try
            {
                using var _ = JsonDocument.Parse(dataJson);
            }
            catch (JsonException invalid)
            {
                throw new ArgumentException($"dataJson must be one JSON value (object, array, string, number, true, false or null): {invalid.Message}", nameof(dataJson), invalid);
            }
        }

        var body = ResponseBodies.Success(requestId ?? DefaultRequestId, dataJson is null ? null : json =>
        {
            json.WritePropertyName("Data");
            json.WriteRawValue(dataJson);
        });
        return new(HttpStatusCode.OK, body, JsonContentType, []);
    }

    /// <summary>
    /// An error in the service's shape: <paramref name="status"/> with <c>{"RequestId","HostId","Code","Message","Recommend"}</c>.
    /// </summary>
    /// <param name="status">The HTTP status, 400 to 599.</param>
    /// <param name="code">The error code, e.g. <c>InvalidParameter</c>.</param>
    /// <param name="message">The error message.</param>
    /// <param name="requestId">The <c>RequestId</c>; <c>FAKE-</c> followed by the code if <see langword="null"/>.</param>
    /// <returns>The answer.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="status"/> is not 400 to 599.</exception>
    /// <exception cref="ArgumentException"><paramref name="code"/> is empty.</exception>
    public static FakeDataphinResponse Error(HttpStatusCode status, string code, string message, string? requestId = null)
    {
        if ((int)status is < 400 or > 599)
        {
            throw new ArgumentOutOfRangeException(nameof(status), status, "An error answer has an HTTP status from 400 to 599; use Json or Text for any other answer.");
        }

        if (string.IsNullOrWhiteSpace(code))
        {
            throw new ArgumentException("code must not be empty.", nameof(code));
        }

        var body = ResponseBodies.Error(new ServiceError((int)status, code, message ?? string.Empty), requestId ?? "FAKE-" + code, HostId, fromAction: false);
        return new(status, body, JsonContentType, []);
    }

    /// <summary>
    /// HTTP 200 whose body says the call failed: <c>"Success":false</c> with <paramref name="code"/>, <paramref name="message"/>
    /// and <c>"HttpStatusCode"</c>, as the service answers when an operation refuses its input.
    /// </summary>
    /// <param name="code">The error code, e.g. <c>InvalidParameter</c>.</param>
    /// <param name="message">The error message.</param>
    /// <param name="httpStatusCode">The value of the body's <c>HttpStatusCode</c> field.</param>
    /// <param name="requestId">The <c>RequestId</c>; <c>FAKE-</c> followed by the code if <see langword="null"/>.</param>
    /// <returns>The answer.</returns>
    /// <exception cref="ArgumentException"><paramref name="code"/> is empty.</exception>
    public static FakeDataphinResponse BusinessError(string code, string message, int httpStatusCode = 400, string? requestId = null)
    {
        if (string.IsNullOrWhiteSpace(code))
        {
            throw new ArgumentException("code must not be empty.", nameof(code));
        }

        var body = ResponseBodies.Error(new ServiceError(httpStatusCode, code, message ?? string.Empty), requestId ?? "FAKE-" + code, HostId, fromAction: true);
        return new(HttpStatusCode.OK, body, JsonContentType, []);
    }

    /// <summary>
    /// The service's throttling answer: HTTP 400, code <c>Throttling.User</c> (or <paramref name="code"/>), and the
    /// <c>x-acs-retry-after</c> header (milliseconds) when <paramref name="retryAfter"/> is given.
    /// </summary>
    /// <param name="retryAfter">The wait the service asks for; <see langword="null"/> for no <c>x-acs-retry-after</c> header.</param>
    /// <param name="code">The throttling code: <c>Throttling</c>, <c>Throttling.User</c> or <c>Throttling.Api</c>.</param>
    /// <param name="status">The HTTP status; the service and the official clients' tests use 400.</param>
    /// <returns>The answer.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="retryAfter"/> is negative.</exception>
    public static FakeDataphinResponse Throttled(TimeSpan? retryAfter = null, string code = "Throttling.User", HttpStatusCode status = HttpStatusCode.BadRequest)
    {
        if (retryAfter < TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(retryAfter), retryAfter, "retryAfter must not be negative.");
        }

        var answer = Error(status, code, "Request was denied due to user flow control.");
        return retryAfter is { } wait
            ? answer.WithHeader("x-acs-retry-after", ((long)wait.TotalMilliseconds).ToString(CultureInfo.InvariantCulture))
            : answer;
    }

    /// <summary>HTTP 401 <c>DataphinOpenAPIRamUnAuthorized</c>: the AccessKey's RAM identity may not call the Dataphin OpenAPI.</summary>
    /// <returns>The answer.</returns>
    public static FakeDataphinResponse Unauthorized()
        => Error(HttpStatusCode.Unauthorized, "DataphinOpenAPIRamUnAuthorized", "The RAM identity of the AccessKey is not authorized to call the Dataphin OpenAPI.");

    /// <summary>HTTP 403 <c>DataphinOpenApiForbidden</c>: the tenant does not exist or the AccessKey has no access to it.</summary>
    /// <returns>The answer.</returns>
    public static FakeDataphinResponse Forbidden()
        => Error(HttpStatusCode.Forbidden, "DataphinOpenApiForbidden", "Request forbidden, the tenant id may be invalid.");

    /// <summary>HTTP 500 <c>InternalError</c>.</summary>
    /// <returns>The answer.</returns>
    public static FakeDataphinResponse InternalError()
        => Error(HttpStatusCode.InternalServerError, "InternalError", "The request processing has failed due to some unknown error, exception or failure.");

    /// <summary>HTTP 503 <c>ServiceUnavailable</c>.</summary>
    /// <returns>The answer.</returns>
    public static FakeDataphinResponse ServiceUnavailable()
        => Error(HttpStatusCode.ServiceUnavailable, "ServiceUnavailable", "The request has failed due to a temporary failure of the server.");

    /// <summary>Any JSON body with any status, e.g. a body of another service's shape.</summary>
    /// <param name="status">The HTTP status.</param>
    /// <param name="json">The body, sent as given (it is not checked, so it can be malformed on purpose).</param>
    /// <returns>The answer.</returns>
    public static FakeDataphinResponse Json(HttpStatusCode status, string json)
        => new(status, Encoding.UTF8.GetBytes(json ?? throw new ArgumentNullException(nameof(json))), JsonContentType, []);

    /// <summary>Any text body with any status and media type, e.g. the HTML page of a proxy or a gateway.</summary>
    /// <param name="status">The HTTP status.</param>
    /// <param name="text">The body.</param>
    /// <param name="mediaType">The media type of <c>Content-Type</c> (UTF-8).</param>
    /// <returns>The answer.</returns>
    public static FakeDataphinResponse Text(HttpStatusCode status, string text, string mediaType = "text/html")
    {
        var contentType = new MediaTypeHeaderValue(mediaType) { CharSet = "utf-8" }.ToString();
        return new(status, Encoding.UTF8.GetBytes(text ?? throw new ArgumentNullException(nameof(text))), contentType, []);
    }

    /// <summary>
    /// No answer at all: the request waits until the caller cancels it (an attempt or total timeout of the client, or
    /// the caller's token), then ends with <see cref="TaskCanceledException"/> as <see cref="HttpClient"/> does.
    /// </summary>
    /// <returns>The answer.</returns>
    public static FakeDataphinResponse NoAnswer() => new(Json(HttpStatusCode.OK, "{}")) { NeverAnswers = true };

    /// <summary>A failure of the connection instead of an answer: the request throws <see cref="HttpRequestException"/> with <paramref name="message"/>.</summary>
    /// <param name="message">The exception's message.</param>
    /// <returns>The answer.</returns>
    public static FakeDataphinResponse ConnectionFailure(string message = "The connection was reset by the peer.")
        => new(Json(HttpStatusCode.OK, "{}")) { FailureMessage = message ?? throw new ArgumentNullException(nameof(message)) };

    /// <summary>This answer with one more header (a content header such as <c>Content-Type</c> replaces the body's).</summary>
    /// <param name="name">The header name.</param>
    /// <param name="value">The header value.</param>
    /// <returns>A new answer; this one is unchanged.</returns>
    public FakeDataphinResponse WithHeader(string name, string value)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            throw new ArgumentException("name must not be empty.", nameof(name));
        }

        return new(StatusCode, _body, _contentType, [.. _headers, new(name, value ?? throw new ArgumentNullException(nameof(value)))])
        {
            Delay = Delay,
            Release = Release,
            NeverAnswers = NeverAnswers,
            FailureMessage = FailureMessage,
        };
    }

    /// <summary>
    /// This answer, given only after <paramref name="release"/> completes: the request stays in flight until the test
    /// says so, with no sleep. If <paramref name="release"/> faults, the request throws its exception; if the caller
    /// cancels first, the request ends with <see cref="TaskCanceledException"/>.
    /// </summary>
    /// <param name="release">The task to wait for, e.g. a <see cref="TaskCompletionSource"/>'s.</param>
    /// <returns>A new answer; this one is unchanged.</returns>
    public FakeDataphinResponse After(Task release) => new(this) { Release = release ?? throw new ArgumentNullException(nameof(release)) };

    /// <summary>
    /// This answer, given after <paramref name="delay"/> on the transport's <see cref="TimeProvider"/>: with a fake clock
    /// the test moves the clock instead of waiting. If the caller cancels first, the request ends with <see cref="TaskCanceledException"/>.
    /// </summary>
    /// <param name="delay">The wait, zero or more.</param>
    /// <returns>A new answer; this one is unchanged.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="delay"/> is negative.</exception>
    public FakeDataphinResponse DelayedBy(TimeSpan delay)
        => delay < TimeSpan.Zero ? throw new ArgumentOutOfRangeException(nameof(delay), delay, "delay must not be negative.") : new(this) { Delay = delay };

    /// <summary>The status and the start of the body, for test output.</summary>
    /// <returns>A short description.</returns>
    public override string ToString()
    {
        if (FailureMessage is not null)
        {
            return "connection failure: " + FailureMessage;
        }

        if (NeverAnswers)
        {
            return "no answer";
        }

        var text = BodyText;
        return string.Create(CultureInfo.InvariantCulture, $"HTTP {(int)StatusCode} {(text.Length > 120 ? text[..120] + "..." : text)}");
    }

    /// <summary>
    /// Builds the <see cref="HttpResponseMessage"/> for one request. The body bytes are shared, never copied, and the
    /// content type (checked when the answer was built) is parsed only if someone reads it: the canned path stays cheap.
    /// </summary>
    internal HttpResponseMessage CreateMessage(HttpRequestMessage request)
    {
        var content = new ByteArrayContent(_body);
        content.Headers.TryAddWithoutValidation("Content-Type", _contentType);
        var response = new HttpResponseMessage(StatusCode) { Content = content, RequestMessage = request };
        foreach (var (name, value) in _headers)
        {
            if (!response.Headers.TryAddWithoutValidation(name, value))
            {
                content.Headers.Remove(name);
                content.Headers.TryAddWithoutValidation(name, value);
            }
        }

        return response;
    }
}
