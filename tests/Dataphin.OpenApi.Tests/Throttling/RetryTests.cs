using System.Globalization;
using Dataphin.OpenApi.Testing;

namespace Dataphin.OpenApi.Tests.Throttling;

public class RetryTests
{
    private readonly ManualTimeProvider _clock = new();
    private readonly string _accessKeyId = ThrottlingClients.NewAccessKeyId();

    [Fact]
    public async Task Throttled_write_that_is_not_retry_safe_is_retried_until_it_succeeds()
    {
        var handler = new FakeDataphinTransport(_clock).Enqueue(FakeDataphinResponse.Throttled(), FakeDataphinResponse.Throttled());
        using var client = ThrottlingClients.Create(_clock, handler, _accessKeyId);
        Assert.False(DataphinOperationCatalog.Get("CreateDirectory").IsRetrySafe);

        var response = await _clock.DriveAsync(client.SendAsync(ThrottlingClients.Request("CreateDirectory")));

        Assert.Equal(FakeDataphinResponse.DefaultRequestId, response.RequestId);
        Assert.Equal(3, handler.RequestCount);
    }

    [Fact]
    public async Task Server_error_on_a_write_that_is_not_retry_safe_is_not_retried()
    {
        var handler = new FakeDataphinTransport(_clock).Enqueue(FakeDataphinResponse.InternalError());
        using var client = ThrottlingClients.Create(_clock, handler, _accessKeyId);

        var error = await Assert.ThrowsAsync<DataphinRequestException>(() => _clock.DriveAsync(client.SendAsync(ThrottlingClients.Request("CreateDirectory"))));

        Assert.Equal(500, error.Status);
        Assert.Equal(1, handler.RequestCount);
    }

    [Fact]
    public async Task Server_errors_on_retry_safe_operations_are_retried()
    {
        var handler = new FakeDataphinTransport(_clock).Enqueue(FakeDataphinResponse.InternalError(), FakeDataphinResponse.InternalError());
        using var client = ThrottlingClients.Create(_clock, handler, _accessKeyId);

        var response = await _clock.DriveAsync(client.SendAsync(ThrottlingClients.Request("ListFiles")));

        Assert.Equal(FakeDataphinResponse.DefaultRequestId, response.RequestId);
        Assert.Equal(3, handler.RequestCount);
    }

    [Fact]
    public async Task Server_error_on_AddRegisterLineage_is_retried_because_registering_twice_leaves_one_copy()
    {
        var handler = new FakeDataphinTransport(_clock).Enqueue(FakeDataphinResponse.InternalError());
        using var client = ThrottlingClients.Create(_clock, handler, _accessKeyId);
        var command = new AddRegisterLineageCommand(AssetReference.ByGuid("odps.300001234.ods.ods_orders"), AssetReference.ByGuid("odps.300001234.dw.dwd_orders"));

        var response = await _clock.DriveAsync(client.AddRegisterLineageAsync(ThrottlingClients.Tenant, command));

        Assert.Equal(2, handler.RequestCount);
        Assert.Equal(FakeDataphinResponse.DefaultRequestId, response.RequestId);
    }

    [Fact]
    public async Task Throttling_is_retried_at_most_MaxAttempts_times_in_all_and_then_surfaces()
    {
        var handler = new FakeDataphinTransport(_clock) { Fallback = FakeDataphinResponse.Throttled() };
        using var client = ThrottlingClients.Create(_clock, handler, _accessKeyId);

        var error = await Assert.ThrowsAsync<DataphinThrottledException>(() => _clock.DriveAsync(client.SendAsync(ThrottlingClients.Request("CreateDirectory"))));

        Assert.False(error.IsClientSide);
        Assert.Equal("Throttling.User", error.ErrorCode);
        Assert.Equal(4, handler.RequestCount);
    }

    [Fact]
    public async Task Retry_after_from_the_service_is_honoured()
    {
        var handler = new FakeDataphinTransport(_clock).Enqueue(FakeDataphinResponse.Throttled(TimeSpan.FromMilliseconds(1500)));
        using var client = ThrottlingClients.Create(_clock, handler, _accessKeyId);

        await _clock.DriveAsync(client.SendAsync(ThrottlingClients.Request("CreateDirectory")));

        Assert.Equal(TimeSpan.FromMilliseconds(1500), handler.Requests[1].ReceivedAt - handler.Requests[0].ReceivedAt);
        Assert.Equal("1500", handler.Requests[1].Headers["x-acs-retry-delay"]);
    }

    [Fact]
    public async Task Retry_after_longer_than_MaxRetryAfter_ends_the_call_at_once_with_the_servers_wait()
    {
        var handler = new FakeDataphinTransport(_clock).Enqueue(FakeDataphinResponse.Throttled(TimeSpan.FromMinutes(10)));
        using var client = ThrottlingClients.Create(_clock, handler, _accessKeyId, o => o.Retry.MaxRetryAfter = TimeSpan.FromSeconds(7));
        var start = _clock.GetUtcNow();

        var error = await Assert.ThrowsAsync<DataphinThrottledException>(() => _clock.DriveAsync(client.SendAsync(ThrottlingClients.Request("CreateDirectory"))));

        Assert.Equal(TimeSpan.FromMinutes(10), error.RetryAfter);
        Assert.Equal(1, handler.RequestCount);
        Assert.Equal(start, _clock.GetUtcNow());
    }

    [Fact]
    public async Task Retry_after_equal_to_MaxRetryAfter_is_still_honoured()
    {
        var handler = new FakeDataphinTransport(_clock).Enqueue(FakeDataphinResponse.Throttled(TimeSpan.FromSeconds(7)));
        using var client = ThrottlingClients.Create(_clock, handler, _accessKeyId, o => o.Retry.MaxRetryAfter = TimeSpan.FromSeconds(7));

        await _clock.DriveAsync(client.SendAsync(ThrottlingClients.Request("CreateDirectory")));

        Assert.Equal(TimeSpan.FromSeconds(7), handler.Requests[1].ReceivedAt - handler.Requests[0].ReceivedAt);
    }

    [Fact]
    public async Task Retry_after_beyond_the_remaining_total_timeout_ends_the_call_with_the_last_error_without_waiting()
    {
        var handler = new FakeDataphinTransport(_clock).Enqueue(FakeDataphinResponse.Throttled(TimeSpan.FromSeconds(20)));
        using var client = ThrottlingClients.Create(_clock, handler, _accessKeyId, o =>
        {
            o.Timeouts.AttemptTimeout = TimeSpan.FromSeconds(5);
            o.Timeouts.TotalTimeout = TimeSpan.FromSeconds(10);
        });
        var start = _clock.GetUtcNow();

        var error = await Assert.ThrowsAsync<DataphinThrottledException>(() => _clock.DriveAsync(client.SendAsync(ThrottlingClients.Request("CreateDirectory"))));

        Assert.False(error.IsClientSide);
        Assert.Equal(TimeSpan.FromSeconds(20), error.RetryAfter);
        Assert.Equal(1, handler.RequestCount);
        Assert.Equal(start, _clock.GetUtcNow());
    }

    [Fact]
    public async Task Backoff_grows_exponentially_within_jitter_bounds()
    {
        var handler = new FakeDataphinTransport(_clock).Enqueue(FakeDataphinResponse.InternalError(), FakeDataphinResponse.InternalError(), FakeDataphinResponse.InternalError());
        using var client = ThrottlingClients.Create(_clock, handler, _accessKeyId, o => o.RateLimit.Enabled = false);

        await _clock.DriveAsync(client.SendAsync(ThrottlingClients.Request("ListFiles")));

        for (var retry = 1; retry <= 3; retry++)
        {
            var gap = handler.Requests[retry].ReceivedAt - handler.Requests[retry - 1].ReceivedAt;
            var full = TimeSpan.FromMilliseconds(200 * Math.Pow(2, retry - 1));
            Assert.InRange(gap, full / 2, full);
        }
    }

    [Fact]
    public async Task Every_retry_is_signed_anew_with_a_fresh_date_and_nonce_and_carries_its_attempt_number()
    {
        var handler = new FakeDataphinTransport(_clock).Enqueue(FakeDataphinResponse.Throttled(TimeSpan.FromMilliseconds(2000)), FakeDataphinResponse.Throttled(TimeSpan.FromMilliseconds(3000)));
        using var client = ThrottlingClients.Create(_clock, handler, _accessKeyId);

        await _clock.DriveAsync(client.SendAsync(ThrottlingClients.Request("CreateDirectory").AddForm("Payload", "same bytes every time")));

        Assert.Equal(3, handler.RequestCount);
        Assert.Equal(3, handler.Requests.Select(r => r.Headers["x-acs-signature-nonce"]).Distinct().Count());
        Assert.Equal(3, handler.Requests.Select(r => r.Headers["x-acs-date"]).Distinct().Count());
        Assert.Equal(3, handler.Requests.Select(r => r.Headers["authorization"]).Distinct().Count());
        Assert.All(handler.Requests, r => Assert.Equal(handler.Requests[0].Body.ToArray(), r.Body.ToArray()));
        Assert.All(handler.Requests, r => Assert.Equal(r.ReceivedAt.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture), r.Headers["x-acs-date"]));
        Assert.All(handler.Requests, r => SignatureCheck.AssertValid(r, _accessKeyId, ThrottlingClients.Secret));
        Assert.False(handler.Requests[0].Headers.ContainsKey("x-acs-retry-attempts"));
        Assert.Equal(("1", "2000"), (handler.Requests[1].Headers["x-acs-retry-attempts"], handler.Requests[1].Headers["x-acs-retry-delay"]));
        Assert.Equal(("2", "3000"), (handler.Requests[2].Headers["x-acs-retry-attempts"], handler.Requests[2].Headers["x-acs-retry-delay"]));
        Assert.Contains("x-acs-retry-attempts", handler.Requests[1].Headers["authorization"]);
    }

    [Fact]
    public async Task Cancelling_during_a_retry_wait_stops_at_once_with_OperationCanceledException()
    {
        var handler = new FakeDataphinTransport(_clock).Enqueue(FakeDataphinResponse.Throttled(TimeSpan.FromSeconds(10)));
        using var client = ThrottlingClients.Create(_clock, handler, _accessKeyId);
        using var cancellation = new CancellationTokenSource();
        var start = _clock.GetUtcNow();

        var call = client.SendAsync(ThrottlingClients.Request("CreateDirectory"), cancellation.Token);
        Assert.False(call.IsCompleted);
        cancellation.Cancel();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call);
        Assert.Equal(1, handler.RequestCount);
        Assert.Equal(start, _clock.GetUtcNow());
    }

    [Fact]
    public async Task Attempt_timeout_is_retried_for_retry_safe_operations_and_then_reported_with_its_value()
    {
        var handler = new FakeDataphinTransport(_clock) { Fallback = FakeDataphinResponse.NoAnswer() };
        using var client = ThrottlingClients.Create(_clock, handler, _accessKeyId, o => o.Timeouts.AttemptTimeout = TimeSpan.FromSeconds(5));

        var error = await Assert.ThrowsAsync<DataphinTimeoutException>(() => _clock.DriveAsync(client.SendAsync(ThrottlingClients.Request("ListFiles"))));

        Assert.Equal(DataphinTimeoutKind.Attempt, error.Kind);
        Assert.Equal(TimeSpan.FromSeconds(5), error.Timeout);
        Assert.Contains("attempt timeout of 5 s", error.Message);
        Assert.Equal(4, handler.RequestCount);
    }

    [Fact]
    public async Task Attempt_timeout_of_a_write_that_is_not_retry_safe_is_not_retried()
    {
        var handler = new FakeDataphinTransport(_clock) { Fallback = FakeDataphinResponse.NoAnswer() };
        using var client = ThrottlingClients.Create(_clock, handler, _accessKeyId, o => o.Timeouts.AttemptTimeout = TimeSpan.FromSeconds(5));

        var error = await Assert.ThrowsAsync<DataphinTimeoutException>(() => _clock.DriveAsync(client.SendAsync(ThrottlingClients.Request("CreateDirectory"))));

        Assert.Equal(DataphinTimeoutKind.Attempt, error.Kind);
        Assert.Equal(1, handler.RequestCount);
    }

    [Fact]
    public async Task Total_timeout_ends_the_call_and_says_which_timeout_expired()
    {
        var handler = new FakeDataphinTransport(_clock) { Fallback = FakeDataphinResponse.NoAnswer() };
        using var client = ThrottlingClients.Create(_clock, handler, _accessKeyId, o =>
        {
            o.Timeouts.AttemptTimeout = Timeout.InfiniteTimeSpan;
            o.Timeouts.TotalTimeout = TimeSpan.FromSeconds(3);
        });
        var start = _clock.GetUtcNow();

        var error = await Assert.ThrowsAsync<DataphinTimeoutException>(() => _clock.DriveAsync(client.SendAsync(ThrottlingClients.Request("ListFiles"))));

        Assert.Equal(DataphinTimeoutKind.Total, error.Kind);
        Assert.Contains("total timeout of 3 s", error.Message);
        Assert.Equal(TimeSpan.FromSeconds(3), _clock.GetUtcNow() - start);
    }

    [Fact]
    public async Task Circuit_opens_after_repeated_server_errors_but_never_on_throttling()
    {
        var handler = new FakeDataphinTransport(_clock).Respond(request =>
            request.Query["Kind"] == "throttle" ? FakeDataphinResponse.Throttled() : FakeDataphinResponse.InternalError());
        using var client = ThrottlingClients.Create(_clock, handler, _accessKeyId, o =>
        {
            o.Retry.MaxAttempts = 1;
            o.CircuitBreaker.MinimumThroughput = 4;
        });

        // 3 server errors, then 5 throttling answers: were throttling counted, 8 of 8 would have failed and opened it.
        await FailWith<DataphinRequestException>(client, "fail", 3);
        await FailWith<DataphinThrottledException>(client, "throttle", 5);

        // 2 more server errors make 5 of 10: the ratio of 0.5 is reached.
        await FailWith<DataphinRequestException>(client, "fail", 2);

        var sent = handler.RequestCount;
        var open = await Assert.ThrowsAsync<DataphinCircuitOpenException>(() => _clock.DriveAsync(client.SendAsync(ThrottlingClients.Request("GetDirectoryTree"))));

        Assert.Equal(sent, handler.RequestCount);
        Assert.Equal(ThrottlingLevel.Level1, open.Level);
        Assert.Contains("GetDirectoryTree", open.Message);
    }

    private async Task FailWith<TException>(DataphinClient client, string kind, int times)
        where TException : Exception
    {
        for (var i = 0; i < times; i++)
        {
            var error = await Assert.ThrowsAnyAsync<Exception>(() => _clock.DriveAsync(client.SendAsync(new DataphinOperationRequest("ListFiles", ThrottlingClients.Tenant).AddQuery("Kind", kind))));
            Assert.IsType<TException>(error);
        }
    }
}
