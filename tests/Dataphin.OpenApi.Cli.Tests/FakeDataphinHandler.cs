using System.Collections.Concurrent;
using System.Net;
using System.Text;

namespace Dataphin.OpenApi.Cli.Tests;

/// <summary>Answers Dataphin calls in process: success, or an error (HTTP 503 unless told otherwise) for commands whose JSON contains a chosen text.</summary>
internal sealed class FakeDataphinHandler : HttpMessageHandler
{
    private readonly Func<string, bool> _fail;
    private readonly HttpStatusCode _failStatus;
    private readonly string _failCode;

    public FakeDataphinHandler(Func<string, bool>? fail = null, HttpStatusCode failStatus = HttpStatusCode.ServiceUnavailable, string failCode = "ServiceUnavailable")
    {
        _fail = fail ?? (_ => false);
        _failStatus = failStatus;
        _failCode = failCode;
    }

    public ConcurrentQueue<(string Action, string Query, string Command)> Requests { get; } = new();

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var action = request.Headers.GetValues("x-acs-action").Single();
        var form = request.Content is null ? string.Empty : await request.Content.ReadAsStringAsync(cancellationToken);
        var command = WebUtility.UrlDecode(form[(form.IndexOf('=') + 1)..]);
        Requests.Enqueue((action, request.RequestUri!.Query, command));
        var failed = _fail(command);
        var body = failed
            ? "{\"RequestId\":\"req-fail\",\"Code\":\"" + _failCode + "\",\"Message\":\"The service refused it.\"}"
            : """{"RequestId":"req-ok","Success":true,"Code":"OK","HttpStatusCode":200}""";
        return new HttpResponseMessage(failed ? _failStatus : HttpStatusCode.OK)
        {
            Content = new StringContent(body, Encoding.UTF8, "application/json"),
        };
    }
}
