using System.Net.Sockets;
using Dataphin.OpenApi.Testing;
using Dataphin.OpenApi.Tests.Support;
using Dataphin.OpenApi.Tests.Throttling;

namespace Dataphin.OpenApi.Tests.Transport;

/// <summary>
/// A failure of the network after the last attempt reaches the caller as a <see cref="DataphinTransportException"/>
/// with the network's exception inside, never as a raw <see cref="HttpRequestException"/>; the caller's own
/// cancellation stays an <see cref="OperationCanceledException"/>. Real sockets are in the integration tests.
/// </summary>
public sealed class TransportErrorTests
{
    private const long Tenant = 300001234;
    private readonly ManualTimeProvider _clock = new();
    private readonly string _accessKeyId = ThrottlingClients.NewAccessKeyId();

    [Fact]
    public async Task A_connection_failure_is_a_typed_exception_with_the_cause_inside_and_no_secret_in_its_text()
    {
        var fake = new FakeDataphinTransport { Fallback = FakeDataphinResponse.ConnectionFailure("connection reset") };
        using var client = TestClients.Create(fake, new DataphinCredential(TestClients.AccessKeyId, TestClients.AccessKeySecret, TestClients.SecurityToken));

        var error = await Assert.ThrowsAsync<DataphinTransportException>(() => client.AddRegisterLineageAsync(Tenant, TestClients.ValidAddCommand()));

        Assert.IsAssignableFrom<DataphinException>(error);
        Assert.Equal("connection reset", Assert.IsType<HttpRequestException>(error.InnerException).Message);
        Assert.Equal("AddRegisterLineage", error.Operation);
        Assert.Equal("https://dataphin-public.cn-hangzhou.aliyuncs.com", error.Endpoint);
        Assert.Equal(1, error.Attempts);
        Assert.Equal(DataphinTransportFailureKind.ConnectionLost, error.Kind);
        Assert.StartsWith("AddRegisterLineage failed at https://dataphin-public.cn-hangzhou.aliyuncs.com after 1 attempt: ", error.Message, StringComparison.Ordinal);
        Assert.Contains("may or may not have applied", error.Message, StringComparison.Ordinal);
        foreach (var text in new[] { error.Message, error.ToString() })
        {
            Assert.DoesNotContain(TestClients.AccessKeySecret, text, StringComparison.Ordinal);
            Assert.DoesNotContain(TestClients.SecurityToken, text, StringComparison.Ordinal);
            Assert.DoesNotContain("Signature=", text, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task A_retry_safe_call_is_retried_on_connection_failures_and_then_reports_every_attempt()
    {
        var fake = new FakeDataphinTransport(_clock) { Fallback = FakeDataphinResponse.ConnectionFailure() };
        using var client = ThrottlingClients.Create(_clock, fake, _accessKeyId, o => o.CircuitBreaker.Enabled = false);
        Assert.True(DataphinOperationCatalog.Get("ListFiles").IsRetrySafe);

        var error = await Assert.ThrowsAsync<DataphinTransportException>(() => _clock.DriveAsync(client.SendAsync(ThrottlingClients.Request("ListFiles"))));

        Assert.Equal(4, fake.RequestCount);
        Assert.Equal(4, error.Attempts);
        Assert.Contains("after 4 attempts", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_connection_failure_then_an_answer_is_a_success_for_a_retry_safe_call()
    {
        var fake = new FakeDataphinTransport(_clock).Enqueue(FakeDataphinResponse.ConnectionFailure(), FakeDataphinResponse.Success());
        using var client = ThrottlingClients.Create(_clock, fake, _accessKeyId);

        var response = await _clock.DriveAsync(client.SendAsync(ThrottlingClients.Request("ListFiles")));

        Assert.Equal(FakeDataphinResponse.DefaultRequestId, response.RequestId);
        Assert.Equal(2, fake.RequestCount);
    }

    [Fact]
    public async Task A_write_that_is_not_retry_safe_is_sent_once_and_says_it_may_have_been_applied()
    {
        var fake = new FakeDataphinTransport(_clock) { Fallback = FakeDataphinResponse.ConnectionFailure() };
        using var client = ThrottlingClients.Create(_clock, fake, _accessKeyId);
        Assert.False(DataphinOperationCatalog.Get("CreateDirectory").IsRetrySafe);

        var error = await Assert.ThrowsAsync<DataphinTransportException>(() => _clock.DriveAsync(client.SendAsync(ThrottlingClients.Request("CreateDirectory"))));

        Assert.Equal(1, fake.RequestCount);
        Assert.Equal(1, error.Attempts);
        Assert.Equal("CreateDirectory", error.Operation);
        Assert.Contains("may or may not have applied", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_callers_cancellation_stays_an_OperationCanceledException()
    {
        var fake = new FakeDataphinTransport { Fallback = FakeDataphinResponse.NoAnswer() };
        using var client = TestClients.Create(fake);
        using var cancel = new CancellationTokenSource();

        var call = client.AddRegisterLineageAsync(Tenant, TestClients.ValidAddCommand(), cancel.Token);
        await fake.WaitForRequestsAsync(1);
        await cancel.CancelAsync();

        var error = await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call);
        Assert.Equal(cancel.Token, error.CancellationToken);
    }

    [Fact]
    public async Task The_http_clients_own_timeout_is_a_transport_failure_not_a_cancellation()
    {
        // What HttpClient throws when its Timeout expires: a TaskCanceledException over a TimeoutException.
        using var handler = new ThrowingHandler(() => new TaskCanceledException("The request was canceled due to the configured HttpClient.Timeout of 100 seconds elapsing.", new TimeoutException()));
        using var client = Create(handler, retrySafeAttempts: 1);

        var error = await Assert.ThrowsAsync<DataphinTransportException>(() => client.AddRegisterLineageAsync(Tenant, TestClients.ValidAddCommand()));

        Assert.Equal(DataphinTransportFailureKind.HttpClientTimeout, error.Kind);
        Assert.IsType<TaskCanceledException>(error.InnerException);
        Assert.Contains("HttpClient.Timeout", error.Message, StringComparison.Ordinal);
        Assert.Equal(1, handler.Calls);
    }

    [Fact]
    public async Task The_http_clients_own_timeout_is_retried_for_a_retry_safe_call()
    {
        using var handler = new ThrowingHandler(() => new TaskCanceledException("timed out", new TimeoutException()));
        using var client = Create(handler, retrySafeAttempts: 3);

        var error = await Assert.ThrowsAsync<DataphinTransportException>(() => _clock.DriveAsync(client.AddRegisterLineageAsync(Tenant, TestClients.ValidAddCommand())));

        Assert.Equal(3, handler.Calls);
        Assert.Equal(3, error.Attempts);
    }

    [Fact]
    public async Task A_refused_connection_says_nothing_reached_the_service()
    {
        using var handler = new ThrowingHandler(() => new HttpRequestException(HttpRequestError.ConnectionError, "Connection refused (dataphin-public.cn-hangzhou.aliyuncs.com:443)", new SocketException((int)SocketError.ConnectionRefused)));
        using var client = Create(handler, retrySafeAttempts: 1);

        var error = await Assert.ThrowsAsync<DataphinTransportException>(() => client.AddRegisterLineageAsync(Tenant, TestClients.ValidAddCommand()));

        Assert.Equal(DataphinTransportFailureKind.ConnectFailed, error.Kind);
        Assert.Contains("the connection was refused", error.Message, StringComparison.Ordinal);
        Assert.Contains("Nothing reached the service", error.Message, StringComparison.Ordinal);
        Assert.IsType<SocketException>(error.InnerException!.InnerException);
    }

    [Fact]
    public async Task An_IOException_from_a_handler_is_a_transport_failure_too()
    {
        using var handler = new ThrowingHandler(() => new IOException("The response ended prematurely."));
        using var client = Create(handler, retrySafeAttempts: 2);

        var error = await Assert.ThrowsAsync<DataphinTransportException>(() => _clock.DriveAsync(client.AddRegisterLineageAsync(Tenant, TestClients.ValidAddCommand())));

        Assert.Equal(DataphinTransportFailureKind.ConnectionLost, error.Kind);
        Assert.IsType<IOException>(error.InnerException);
        Assert.Equal(2, handler.Calls);
    }

    [Fact]
    public async Task A_handlers_own_bug_is_not_dressed_up_as_a_network_failure()
    {
        using var handler = new ThrowingHandler(() => new InvalidOperationException("bug in a custom handler"));
        using var client = Create(handler, retrySafeAttempts: 3);

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => _clock.DriveAsync(client.AddRegisterLineageAsync(Tenant, TestClients.ValidAddCommand())));

        Assert.Equal("bug in a custom handler", error.Message);
        Assert.Equal(1, handler.Calls);
    }

    [Fact]
    public void The_public_constructor_reads_the_kind_from_the_cause_and_keeps_only_scheme_host_and_port()
    {
        var error = new DataphinTransportException("ListFiles", new Uri("https://user:pw@example.com:8443/path?x=1"), 2, new HttpRequestException("no", new SocketException((int)SocketError.HostNotFound)));

        Assert.Equal("https://example.com:8443", error.Endpoint);
        Assert.Equal(DataphinTransportFailureKind.ConnectFailed, error.Kind);
        Assert.Equal("ListFiles failed at https://example.com:8443 after 2 attempts: the host name could not be resolved. Nothing reached the service. Check the endpoint, and that DNS, proxies and firewalls let this machine reach it.", error.Message);
        Assert.DoesNotContain("pw", error.Message, StringComparison.Ordinal);
    }

    private DataphinClient Create(HttpMessageHandler handler, int retrySafeAttempts)
    {
        var options = ThrottlingClients.Options(_clock, _accessKeyId, o =>
        {
            o.Retry.MaxAttempts = retrySafeAttempts;
            o.CircuitBreaker.Enabled = false;
            o.RateLimit.Enabled = false;
        });
        return new DataphinClient(new HttpClient(handler, disposeHandler: false) { Timeout = Timeout.InfiniteTimeSpan }, options);
    }

    private sealed class ThrowingHandler(Func<Exception> failure) : HttpMessageHandler
    {
        private int _calls;

        public int Calls => Volatile.Read(ref _calls);

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _calls);
            return Task.FromException<HttpResponseMessage>(failure());
        }
    }
}
