using Dataphin.OpenApi.Testing;

namespace Dataphin.OpenApi.Tests.Throttling;

/// <summary>Throttling through <see cref="DataphinPipelineHandler"/>: the same retries, headers and rate limiter as the client's own calls.</summary>
public class PipelineHandlerThrottlingTests
{
    private readonly ManualTimeProvider _clock = new();
    private readonly string _accessKeyId = ThrottlingClients.NewAccessKeyId();

    [Fact]
    public async Task Throttling_answers_are_retried_through_the_handler_with_fresh_signatures_and_attempt_headers()
    {
        var handler = new FakeDataphinTransport(_clock).Enqueue(FakeDataphinResponse.Throttled(TimeSpan.FromMilliseconds(1500)), FakeDataphinResponse.Throttled(TimeSpan.FromMilliseconds(2500)));
        using var client = ThrottlingClients.Create(_clock, handler, _accessKeyId);
        using var http = new HttpClient(new DataphinPipelineHandler(client)) { BaseAddress = client.Endpoint };

        using var response = await _clock.DriveAsync(http.SendAsync(Request("CreateDirectory", "DirectoryName=a%20b")));

        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(FakeDataphinResponse.Success().BodyText, await response.Content.ReadAsStringAsync());
        Assert.Equal(3, handler.RequestCount);
        Assert.All(handler.Requests, r => Assert.Equal("DirectoryName=a%20b"u8.ToArray(), r.Body.ToArray()));
        Assert.All(handler.Requests, r => SignatureCheck.AssertValid(r, _accessKeyId, ThrottlingClients.Secret));
        Assert.Equal(3, handler.Requests.Select(r => r.Headers["x-acs-signature-nonce"]).Distinct().Count());
        Assert.Equal(("1", "1500"), (handler.Requests[1].Headers["x-acs-retry-attempts"], handler.Requests[1].Headers["x-acs-retry-delay"]));
        Assert.Equal(("2", "2500"), (handler.Requests[2].Headers["x-acs-retry-attempts"], handler.Requests[2].Headers["x-acs-retry-delay"]));
        Assert.Equal(TimeSpan.FromMilliseconds(4000), handler.Requests[2].ReceivedAt - handler.Requests[0].ReceivedAt);
    }

    [Fact]
    public async Task Throttling_that_outlasts_the_retries_is_thrown_as_DataphinThrottledException_and_slows_the_shared_bucket()
    {
        var handler = new FakeDataphinTransport(_clock) { Fallback = FakeDataphinResponse.Throttled() };
        using var client = ThrottlingClients.Create(_clock, handler, _accessKeyId);
        using var http = new HttpClient(new DataphinPipelineHandler(client)) { BaseAddress = client.Endpoint };

        var error = await Assert.ThrowsAsync<DataphinThrottledException>(() => _clock.DriveAsync(http.SendAsync(Request("CreateDirectory"))));

        Assert.False(error.IsClientSide);
        Assert.Equal((ThrottlingLevel.Level2, "Throttling.User"), (error.Level, error.ErrorCode));
        Assert.Equal(4, handler.RequestCount);
        Assert.True(client.CallInvoker.RateLimiter.BucketFor(ThrottlingClients.Tenant, _accessKeyId, ThrottlingLevel.Level2).CurrentRate < 20);
    }

    [Fact]
    public async Task The_client_side_rate_limiter_refuses_through_the_handler_and_sends_nothing()
    {
        var handler = new FakeDataphinTransport(_clock);
        using var client = ThrottlingClients.Create(_clock, handler, _accessKeyId, o =>
        {
            o.RateLimit.Level2Qps = 1;
            o.RateLimit.Burst = 1;
            o.RateLimit.MaxWait = TimeSpan.Zero;
        });
        using var http = new HttpClient(new DataphinPipelineHandler(client)) { BaseAddress = client.Endpoint };

        using var first = await _clock.DriveAsync(http.SendAsync(Request("CreateDirectory")));
        var refused = await Assert.ThrowsAsync<DataphinThrottledException>(() => _clock.DriveAsync(http.SendAsync(Request("CreateDirectory"))));

        Assert.True(refused.IsClientSide);
        Assert.Equal(1, handler.RequestCount);
    }

    private static HttpRequestMessage Request(string action, string? form = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, $"?OpTenantId={ThrottlingClients.Tenant}&Env=PROD");
        request.Headers.Add("x-acs-action", action);
        if (form is not null)
        {
            request.Content = new ByteArrayContent(System.Text.Encoding.ASCII.GetBytes(form));
            request.Content.Headers.ContentType = new("application/x-www-form-urlencoded");
        }

        return request;
    }
}
