using System.Net;
using Dataphin.OpenApi.Testing;
using Dataphin.OpenApi.Tests.Support;

namespace Dataphin.OpenApi.Tests.Transport;

public sealed class ErrorMappingTests
{
    private const long Tenant = 300001234;

    private static string ErrorBody(string code, string message = "boom", string requestId = "REQ-1")
        => $"{{\"RequestId\":\"{requestId}\",\"HostId\":\"dataphin-public.cn-hangzhou.aliyuncs.com\",\"Code\":\"{code}\",\"Message\":\"{message}\",\"Recommend\":\"https://api.aliyun.com/troubleshoot?q={code}&product=dataphin-public&requestId={requestId}\"}}";

    private static async Task<TException> CallExpecting<TException>(FakeDataphinResponse answer)
        where TException : Exception
    {
        var handler = new FakeDataphinTransport { Fallback = answer };
        using var client = TestClients.Create(handler);
        return await Assert.ThrowsAsync<TException>(() => client.AddRegisterLineageAsync(Tenant, TestClients.ValidAddCommand()));
    }

    [Fact]
    public async Task Success_true_returns_the_typed_result()
    {
        var handler = new FakeDataphinTransport();
        using var client = TestClients.Create(handler);

        var response = await client.AddRegisterLineageAsync(Tenant, TestClients.ValidAddCommand());

        Assert.Equal(200, response.Status);
        Assert.Equal("OK", response.Code);
        Assert.Equal(200, response.HttpStatusCode);
        Assert.Equal("82E78D6B-AA8F-1FEF-8AA3-5C9DA2A79140", response.RequestId);
        var sent = Assert.Single(handler.Requests);
        Assert.Equal("POST", sent.Method);
        Assert.Equal("/?OpTenantId=300001234", sent.Uri.PathAndQuery);
        Assert.Equal("AddRegisterLineage", sent.Header("x-acs-action"));
        Assert.Equal("2023-06-30", sent.Header("x-acs-version"));
    }

    [Fact]
    public async Task Success_false_in_a_200_raises_a_typed_exception_with_every_field()
    {
        var ex = await CallExpecting<DataphinRequestException>(FakeDataphinResponse.Json(HttpStatusCode.OK,
            "{\"RequestId\":\"REQ-9\",\"Success\":false,\"Code\":\"InvalidParameter\",\"Message\":\"asset not found\",\"HttpStatusCode\":400}"));

        Assert.Equal(200, ex.Status);
        Assert.Equal("InvalidParameter", ex.ErrorCode);
        Assert.Equal("asset not found", ex.ServiceMessage);
        Assert.Equal("REQ-9", ex.RequestId);
        Assert.Contains("REQ-9", ex.Message, StringComparison.Ordinal);
        Assert.Equal("AddRegisterLineage", ex.Operation);
    }

    [Fact]
    public async Task Ram_unauthorized_401_maps_to_the_authentication_exception()
    {
        var ex = await CallExpecting<DataphinAuthenticationException>(FakeDataphinResponse.Json(HttpStatusCode.Unauthorized, ErrorBody("DataphinOpenAPIRamUnAuthorized", "not authorized")));
        Assert.Equal(401, ex.Status);
        Assert.Equal("DataphinOpenAPIRamUnAuthorized", ex.ErrorCode);
        Assert.Equal("dataphin-public.cn-hangzhou.aliyuncs.com", ex.HostId);
        Assert.StartsWith("https://api.aliyun.com/troubleshoot", ex.Recommend, StringComparison.Ordinal);
        Assert.Contains("RequestId: REQ-1", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(HttpStatusCode.BadRequest, "SignatureDoesNotMatch")]
    [InlineData(HttpStatusCode.NotFound, "InvalidAccessKeyId.NotFound")]
    [InlineData(HttpStatusCode.BadRequest, "InvalidTimeStamp.Expired")]
    [InlineData(HttpStatusCode.BadRequest, "SignatureNonceUsed")]
    public async Task Signature_and_access_key_errors_map_to_the_authentication_exception(HttpStatusCode status, string code)
    {
        var ex = await CallExpecting<DataphinAuthenticationException>(FakeDataphinResponse.Json(status, ErrorBody(code)));
        Assert.Equal((int)status, ex.Status);
        Assert.Equal(code, ex.ErrorCode);
    }

    [Theory]
    [InlineData("DataphinOpenApiForbidden")]
    [InlineData("Forbidden.RAM")]
    public async Task Forbidden_403_maps_to_the_forbidden_exception_with_a_hint(string code)
    {
        var ex = await CallExpecting<DataphinForbiddenException>(FakeDataphinResponse.Json(HttpStatusCode.Forbidden, ErrorBody(code)));
        Assert.Equal(403, ex.Status);
        Assert.Contains("OpTenantId", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Throttling")]
    [InlineData("Throttling.User")]
    [InlineData("Throttling.Api")]
    public async Task Throttling_codes_map_to_the_throttled_exception_with_retry_after(string code)
    {
        var ex = await CallExpecting<DataphinThrottledException>(FakeDataphinResponse.Json(HttpStatusCode.BadRequest, ErrorBody(code, "Request was denied due to user flow control.")).WithHeader("x-acs-retry-after", "1500"));
        Assert.Equal(TimeSpan.FromMilliseconds(1500), ex.RetryAfter);
        Assert.False(ex.IsClientSide);
        Assert.Equal(400, ex.Status);
        Assert.Equal(code, ex.ErrorCode);
    }

    [Fact]
    public async Task Other_errors_map_to_the_base_exception()
    {
        var ex = await CallExpecting<DataphinRequestException>(FakeDataphinResponse.Json(HttpStatusCode.InternalServerError, ErrorBody("InternalError", "internal error")));
        Assert.IsType<DataphinRequestException>(ex);
        Assert.Equal(500, ex.Status);
        Assert.Equal("InternalError", ex.ErrorCode);
    }

    [Fact]
    public async Task A_proxy_html_page_yields_the_status_and_the_start_of_the_body()
    {
        var html = "<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center><hr><center>nginx</center></body></html>";
        var ex = await CallExpecting<DataphinRequestException>(FakeDataphinResponse.Text(HttpStatusCode.BadGateway, html));
        Assert.Equal(502, ex.Status);
        Assert.Null(ex.ErrorCode);
        Assert.Contains("502 Bad Gateway", ex.ResponseSnippet, StringComparison.Ordinal);
        Assert.Contains("HTTP 502", ex.Message, StringComparison.Ordinal);
        Assert.Contains("<title>502 Bad Gateway</title>", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_2xx_that_is_not_json_is_an_error_not_a_success()
    {
        var ex = await CallExpecting<DataphinRequestException>(FakeDataphinResponse.Text(HttpStatusCode.OK, "<html>login</html>"));
        Assert.Equal(200, ex.Status);
        Assert.Contains("<html>login</html>", ex.ResponseSnippet, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_long_body_is_cut_in_the_message()
    {
        var ex = await CallExpecting<DataphinRequestException>(FakeDataphinResponse.Text(HttpStatusCode.ServiceUnavailable, new string('x', 10_000)));
        Assert.True(ex.Message.Length < 1_000, ex.Message.Length.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.EndsWith("...", ex.ResponseSnippet, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Secrets_echoed_back_by_a_proxy_never_reach_the_exception()
    {
        var credential = new DataphinCredential(TestClients.AccessKeyId, TestClients.AccessKeySecret, TestClients.SecurityToken);
        var handler = new FakeDataphinTransport().Respond(request => FakeDataphinResponse.Text(
            HttpStatusCode.BadRequest,
            $"<pre>Bad request. Authorization: {request.Header("authorization")} token={request.Header("x-acs-security-token")} secret={TestClients.AccessKeySecret}</pre>"));
        using var client = TestClients.Create(handler, credential);

        var ex = await Assert.ThrowsAsync<DataphinRequestException>(() => client.AddRegisterLineageAsync(Tenant, TestClients.ValidAddCommand()));

        var signature = handler.Requests[0].Header("authorization")!.Split("Signature=")[1];
        var everything = ex.ToString() + ex.ResponseSnippet;
        Assert.DoesNotContain(TestClients.AccessKeySecret, everything, StringComparison.Ordinal);
        Assert.DoesNotContain(TestClients.SecurityToken, everything, StringComparison.Ordinal);
        Assert.DoesNotContain(signature, everything, StringComparison.Ordinal);
        Assert.Contains("Bad request", everything, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_general_call_path_returns_the_whole_body()
    {
        var handler = new FakeDataphinTransport { Fallback = FakeDataphinResponse.Success("{\"Files\":[{\"Id\":7}]}") };
        using var client = TestClients.Create(handler);

        var response = await client.SendAsync(new DataphinOperationRequest("ListFiles", Tenant)
            .AddQuery("Env", "PROD")
            .AddFormJson("ListQuery", new System.Text.Json.Nodes.JsonObject { ["Keyword"] = "订单 & co" }));

        Assert.Equal(7, response.Content.GetProperty("Data").GetProperty("Files")[0].GetProperty("Id").GetInt32());
        var sent = Assert.Single(handler.Requests);
        Assert.Equal("ListFiles", sent.Header("x-acs-action"));
        Assert.Equal("/?OpTenantId=300001234&Env=PROD", sent.Uri.PathAndQuery);
        Assert.Equal("{\"Keyword\":\"订单 & co\"}", sent.Form["ListQuery"]);
    }
}
