using System.Net;

namespace Dataphin.OpenApi.Benchmarks;

/// <summary>A transport that answers every request with the service's success body, without any I/O.</summary>
internal sealed class CannedHandler(byte[]? body = null) : HttpMessageHandler
{
    private static readonly byte[] Success = "{\"RequestId\":\"82E78D6B-AA8F-1FEF-8AA3-5C9DA2A79140\",\"Success\":true,\"Code\":\"OK\",\"HttpStatusCode\":200,\"Message\":\"success\"}"u8.ToArray();

    private readonly byte[] _body = body ?? Success;

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var response = new HttpResponseMessage(HttpStatusCode.OK) { Content = new ByteArrayContent(_body), RequestMessage = request };
        response.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        return Task.FromResult(response);
    }
}
