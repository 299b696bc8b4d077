using System.Net;
using System.Text.Json;
using Dataphin.OpenApi.Testing;
using Dataphin.OpenApi.Tests.Support;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Dataphin.OpenApi.Tests.Testing;

/// <summary>The fake transport users plug into their unit tests: what it records, how it answers, and how it waits.</summary>
public sealed class FakeDataphinTransportTests
{
    private const long Tenant = 300001234;

    [Fact]
    public async Task The_readme_example_works_as_written()
    {
        var fake = new FakeDataphinTransport();
        fake.Enqueue(FakeDataphinResponse.Throttled(retryAfter: TimeSpan.FromMilliseconds(10)));
        var options = new DataphinClientOptions { Endpoint = TestClients.Endpoint, Credential = new DataphinCredential("LTAI5tReadme" + Guid.NewGuid().ToString("N")[..8], "readme-secret") };
        using var client = new DataphinClient(new HttpClient(fake), options);

        var response = await client.AddRegisterLineageAsync(Tenant, TestClients.ValidAddCommand());

        Assert.Equal(2, fake.Requests.Count);
        Assert.Equal("AddRegisterLineage", fake.Requests[1].Action);
        Assert.Equal("300001234", fake.Requests[1].Query["OpTenantId"]);
        Assert.Contains("dwd_trade_order_di", fake.Requests[1].Form["AddRegisterLineageCommand"], StringComparison.Ordinal);
        Assert.Equal(FakeDataphinResponse.DefaultRequestId, response.RequestId);
    }

    [Fact]
    public async Task A_request_is_recorded_as_sent_with_its_decoded_form_query_headers_and_body()
    {
        var clock = new ManualTimeProvider();
        var fake = new FakeDataphinTransport(clock);
        using var client = TestClients.Create(fake);

        await client.AddRegisterLineageAsync(Tenant, TestClients.ValidAddCommand(), opUserId: "30001011");

        var sent = Assert.Single(fake.Requests);
        Assert.Equal((0, "POST", "AddRegisterLineage"), (sent.Index, sent.Method, sent.Action));
        Assert.Equal(clock.GetUtcNow(), sent.ReceivedAt);
        Assert.Equal("300001234", sent.Query["OpTenantId"]);
        Assert.Equal("30001011", sent.Query["OpUserId"]);
        using var command = JsonDocument.Parse(sent.Form["AddRegisterLineageCommand"]);
        Assert.Equal("dwd_trade_order_di", command.RootElement.GetProperty("Target").GetProperty("Guid").GetString()!.Split('.')[^1]);
        Assert.Equal("AddRegisterLineageCommand", Assert.Single(sent.Form).Key);
        Assert.StartsWith("AddRegisterLineageCommand=%7B", sent.BodyText, StringComparison.Ordinal);
        Assert.Equal(sent.BodyText, System.Text.Encoding.UTF8.GetString(sent.Body.Span));
        Assert.Equal(sent.Header("X-ACS-VERSION"), sent.Headers["x-acs-version"]);
        Assert.Equal("application/x-www-form-urlencoded", sent.Header("content-type"));
        Assert.Null(sent.Header("x-not-sent"));
        Assert.DoesNotContain("Signature", sent.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Answers_come_from_the_action_queue_then_the_general_queue_then_the_standing_answer_then_rules_then_the_fallback()
    {
        var fake = new FakeDataphinTransport { Fallback = FakeDataphinResponse.Success(requestId: "fallback") }
            .Respond(request => request.Query.GetValueOrDefault("Env") == "DEV" ? FakeDataphinResponse.Success(requestId: "rule") : null)
            .Respond("ListFiles", FakeDataphinResponse.Success(requestId: "standing"))
            .Enqueue(FakeDataphinResponse.Success(requestId: "queued-1"), FakeDataphinResponse.Success(requestId: "queued-2"))
            .Enqueue("ListFiles", FakeDataphinResponse.Success(requestId: "for-ListFiles"));
        using var client = TestClients.Create(fake);

        async Task<string?> Call(string action, string env) => (await client.SendAsync(new DataphinOperationRequest(action, Tenant).AddQuery("Env", env))).RequestId;

        Assert.Equal("queued-1", await Call("GetProject", "PROD"));
        Assert.Equal("for-ListFiles", await Call("ListFiles", "PROD"));
        Assert.Equal("queued-2", await Call("ListFiles", "PROD"));
        Assert.Equal("standing", await Call("ListFiles", "DEV"));
        Assert.Equal("rule", await Call("GetProject", "DEV"));
        Assert.Equal("fallback", await Call("GetProject", "PROD"));
        Assert.Equal(6, fake.RequestCount);
    }

    [Fact]
    public async Task Dataphin_error_answers_reach_the_caller_as_the_typed_exceptions_the_service_would_cause()
    {
        var fake = new FakeDataphinTransport().Enqueue(
            FakeDataphinResponse.Throttled(TimeSpan.FromSeconds(2)),
            FakeDataphinResponse.Unauthorized(),
            FakeDataphinResponse.Forbidden(),
            FakeDataphinResponse.InternalError(),
            FakeDataphinResponse.ServiceUnavailable(),
            FakeDataphinResponse.BusinessError("InvalidParameter", "asset not found"),
            FakeDataphinResponse.Error(HttpStatusCode.NotFound, "InvalidAccessKeyId.NotFound", "Specified access key is not found.", requestId: "R-404"));
        using var client = TestClients.Create(fake);

        Task Call() => client.AddRegisterLineageAsync(Tenant, TestClients.ValidAddCommand());

        var throttled = await Assert.ThrowsAsync<DataphinThrottledException>(Call);
        Assert.Equal((400, "Throttling.User", TimeSpan.FromSeconds(2), false), (throttled.Status, throttled.ErrorCode, throttled.RetryAfter, throttled.IsClientSide));
        Assert.Equal((401, "DataphinOpenAPIRamUnAuthorized"), Fields(await Assert.ThrowsAsync<DataphinAuthenticationException>(Call)));
        Assert.Equal((403, "DataphinOpenApiForbidden"), Fields(await Assert.ThrowsAsync<DataphinForbiddenException>(Call)));
        Assert.Equal((500, "InternalError"), Fields(await Assert.ThrowsAsync<DataphinRequestException>(Call)));
        Assert.Equal((503, "ServiceUnavailable"), Fields(await Assert.ThrowsAsync<DataphinRequestException>(Call)));
        var business = await Assert.ThrowsAsync<DataphinRequestException>(Call);
        Assert.Equal((200, "InvalidParameter", "asset not found"), (business.Status, business.ErrorCode, business.ServiceMessage));
        var notFound = await Assert.ThrowsAsync<DataphinAuthenticationException>(Call);
        Assert.Equal((404, "InvalidAccessKeyId.NotFound", "R-404"), (notFound.Status, notFound.ErrorCode, notFound.RequestId));
    }

    [Fact]
    public async Task Success_with_data_returns_the_data_to_the_general_call_path()
    {
        var fake = new FakeDataphinTransport { Fallback = FakeDataphinResponse.Success("{\"Files\":[{\"Id\":7}]}") };
        using var client = TestClients.Create(fake);

        var response = await client.SendAsync(new DataphinOperationRequest("ListFiles", Tenant));

        Assert.Equal(7, response.Content.GetProperty("Data").GetProperty("Files")[0].GetProperty("Id").GetInt32());
        Assert.Equal("OK", response.Content.GetProperty("Code").GetString());
        Assert.True(response.Content.GetProperty("Success").GetBoolean());
    }

    [Fact]
    public void Answers_that_cannot_be_built_are_refused_naming_the_argument()
    {
        Assert.Equal("dataJson", Assert.Throws<ArgumentException>(() => FakeDataphinResponse.Success("{\"Files\":")).ParamName);
        Assert.Equal("status", Assert.Throws<ArgumentOutOfRangeException>(() => FakeDataphinResponse.Error(HttpStatusCode.OK, "X", "y")).ParamName);
        Assert.Equal("code", Assert.Throws<ArgumentException>(() => FakeDataphinResponse.Error(HttpStatusCode.BadRequest, " ", "y")).ParamName);
        Assert.Equal("retryAfter", Assert.Throws<ArgumentOutOfRangeException>(() => FakeDataphinResponse.Throttled(TimeSpan.FromSeconds(-1))).ParamName);
        Assert.Equal("delay", Assert.Throws<ArgumentOutOfRangeException>(() => FakeDataphinResponse.Success().DelayedBy(TimeSpan.FromSeconds(-1))).ParamName);
        Assert.Equal("responses", Assert.Throws<ArgumentException>(() => new FakeDataphinTransport().Enqueue(FakeDataphinResponse.Success(), null!)).ParamName);
        Assert.Equal("action", Assert.Throws<ArgumentException>(() => new FakeDataphinTransport().Respond("", FakeDataphinResponse.Success())).ParamName);
    }

    [Fact]
    public async Task A_held_answer_keeps_the_call_in_flight_until_the_test_releases_it()
    {
        var release = new TaskCompletionSource();
        var fake = new FakeDataphinTransport().Enqueue(FakeDataphinResponse.Success(requestId: "released").After(release.Task));
        using var client = TestClients.Create(fake);

        var call = client.AddRegisterLineageAsync(Tenant, TestClients.ValidAddCommand());
        await fake.WaitForRequestsAsync(1);

        Assert.False(call.IsCompleted);
        release.SetResult();
        Assert.Equal("released", (await call).RequestId);
    }

    [Fact]
    public async Task A_delayed_answer_waits_on_the_transports_clock_and_a_timeout_cancels_an_answer_that_never_comes()
    {
        var clock = new ManualTimeProvider();
        var fake = new FakeDataphinTransport(clock).Enqueue(FakeDataphinResponse.Success(requestId: "late").DelayedBy(TimeSpan.FromSeconds(3)), FakeDataphinResponse.NoAnswer());
        using var client = TestClients.Create(fake, configure: o =>
        {
            o.TimeProvider = clock;
            o.Timeouts.AttemptTimeout = TimeSpan.FromSeconds(10);
        });
        var start = clock.GetUtcNow();

        Assert.Equal("late", (await clock.DriveAsync(client.AddRegisterLineageAsync(Tenant, TestClients.ValidAddCommand()))).RequestId);
        Assert.Equal(TimeSpan.FromSeconds(3), clock.GetUtcNow() - start);

        var timeout = await Assert.ThrowsAsync<DataphinTimeoutException>(() => clock.DriveAsync(client.AddRegisterLineageAsync(Tenant, TestClients.ValidAddCommand())));
        Assert.Equal(DataphinTimeoutKind.Attempt, timeout.Kind);
        Assert.Equal(TimeSpan.FromSeconds(13), clock.GetUtcNow() - start);
    }

    [Fact]
    public async Task A_connection_failure_reaches_the_caller_as_the_transport_exception()
    {
        var fake = new FakeDataphinTransport { Fallback = FakeDataphinResponse.ConnectionFailure("connection reset") };
        using var client = TestClients.Create(fake);

        // A transport failure reaches the caller as the typed Dataphin exception, the fake's HttpRequestException inside.
        var error = await Assert.ThrowsAsync<DataphinTransportException>(() => client.AddRegisterLineageAsync(Tenant, TestClients.ValidAddCommand()));

        Assert.Equal("connection reset", Assert.IsType<HttpRequestException>(error.InnerException).Message);
        Assert.Equal(1, error.Attempts);
        Assert.Equal(1, fake.RequestCount);
    }

    [Fact]
    public async Task With_recording_off_requests_are_counted_and_answered_but_not_kept()
    {
        var fake = new FakeDataphinTransport { RecordsRequests = false };
        using var client = TestClients.Create(fake);

        await client.AddRegisterLineageAsync(Tenant, TestClients.ValidAddCommand());
        await client.AddRegisterLineageAsync(Tenant, TestClients.ValidAddCommand());

        Assert.Empty(fake.Requests);
        Assert.Equal(2, fake.RequestCount);
    }

    [Fact]
    public async Task It_plugs_into_dependency_injection_as_the_primary_handler_and_outlives_the_clients_that_dispose_it()
    {
        var fake = new FakeDataphinTransport().Respond("AddRegisterLineage", FakeDataphinResponse.Success(requestId: "via-di"));
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Dataphin:Endpoint"] = "https://dataphin-public.cn-hangzhou.aliyuncs.com",
            ["Dataphin:AccessKeyId"] = "LTAI5tFakeDi",
            ["Dataphin:AccessKeySecret"] = "fake-di-secret",
        }).Build();
        for (var round = 0; round < 2; round++)
        {
            var services = new ServiceCollection();
            services.AddDataphinClient(configuration.GetSection("Dataphin")).ConfigurePrimaryHttpMessageHandler(_ => fake);
            await using var provider = services.BuildServiceProvider();

            var response = await provider.GetRequiredService<DataphinClient>().AddRegisterLineageAsync(Tenant, TestClients.ValidAddCommand());

            Assert.Equal("via-di", response.RequestId);
        }

        Assert.Equal(2, fake.Requests.Count);
        Assert.All(fake.Requests, r => Assert.Contains("Credential=LTAI5tFakeDi,", r.Header("authorization"), StringComparison.Ordinal));
    }

    private static (int Status, string? Code) Fields(DataphinRequestException error) => (error.Status, error.ErrorCode);
}
