using System.Collections.Concurrent;
using System.Net;
using Dataphin.OpenApi.IntegrationTests.Support;
using WireMock;
using WireMock.Logging;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;
using WireMock.Settings;
using WireMock.Types;
using WireMock.Util;

namespace Dataphin.OpenApi.IntegrationTests;

/// <summary>
/// What the client makes of servers that are not Dataphin but stand where it should be: a corporate proxy, a gateway,
/// a server that breaks its answer off or holds it, a redirect, a JSON API of another kind. A WireMock.Net stub server
/// on 127.0.0.1 plays each of them; the emulator stays the reference for Dataphin's own behaviour. Each test pins the
/// exception the caller gets and its message, how many requests reached the server (no retry storm), and that no
/// secret reaches the exception.
/// </summary>
public sealed class ForeignServerTests : IDisposable
{
    private const long Tenant = 300001234;
    private const string Secret = "ForeignServerSecret-5d1c";
    private const string Token = "ForeignServerStsToken-8e27";

    private readonly WireMockServer _server = WireMockServer.Start(new WireMockServerSettings
    {
        Urls = ["http://127.0.0.1:0"],
        Logger = new WireMockNullLogger(),
    });

    private readonly string _accessKeyId = "LTAI5tForeign" + Guid.NewGuid().ToString("N")[..12];

    public void Dispose()
    {
        _server.Stop();
        _server.Dispose();
    }

    [Fact]
    public async Task A_corporate_proxy_login_page_in_a_200_is_an_error_with_the_status_and_the_start_of_the_page()
    {
        Answer(Response.Create().WithStatusCode(200).WithHeader("Content-Type", "text/html; charset=utf-8")
            .WithBody("<html><head><title>Sign in - Contoso Web Gateway</title></head><body><form action=\"/login\">User <input name=\"u\"></form></body></html>"));
        using var client = Client();

        var error = await Assert.ThrowsAsync<DataphinRequestException>(() => client.AddRegisterLineageAsync(Tenant, Lineages.Add(("a", "b"))));

        Assert.IsType<DataphinRequestException>(error);
        Assert.Equal(200, error.Status);
        Assert.Null(error.ErrorCode);
        Assert.Contains("Sign in - Contoso Web Gateway", error.ResponseSnippet, StringComparison.Ordinal);
        Assert.Contains("HTTP 200", error.Message, StringComparison.Ordinal);

        // Today a 2xx that is not the service's JSON is not retried: one request.
        Assert.Single(_server.LogEntries);
        AssertNoSecret(error);
    }

    [Fact]
    public async Task A_proxy_that_wants_authentication_and_echoes_the_request_headers_leaks_no_secret()
    {
        // Some proxies print the request they refused, headers and all.
        _server.Given(Request.Create().UsingPost()).RespondWith(Response.Create().WithCallback(request => new ResponseMessage
        {
            StatusCode = 407,
            Headers = new Dictionary<string, WireMockList<string>>
            {
                ["Content-Type"] = new("text/html; charset=utf-8"),
                ["Proxy-Authenticate"] = new("Basic realm=\"corp\""),
            },
            BodyData = new BodyData
            {
                DetectedBodyType = BodyType.String,
                BodyAsString = "<html><body><h1>407 Proxy Authentication Required</h1><pre>"
                    + string.Join("\n", request.Headers!.Select(h => $"{h.Key}: {string.Join(",", h.Value)}"))
                    + "</pre></body></html>",
            },
        }));
        using var client = Client();

        var error = await Assert.ThrowsAsync<DataphinRequestException>(() => client.AddRegisterLineageAsync(Tenant, Lineages.Add(("a", "b"))));

        Assert.IsType<DataphinRequestException>(error);
        Assert.Equal(407, error.Status);
        Assert.Contains("407 Proxy Authentication Required", error.ResponseSnippet, StringComparison.Ordinal);
        Assert.Contains("HTTP 407", error.Message, StringComparison.Ordinal);
        Assert.Single(_server.LogEntries);
        var echoed = _server.LogEntries.Single().ResponseMessage.BodyData!.BodyAsString!;
        Assert.Contains(Token, echoed, StringComparison.Ordinal);
        AssertNoSecret(error, Signature(_server.LogEntries.Single()));
    }

    [Theory]
    [InlineData(502, "502 Bad Gateway")]
    [InlineData(504, "504 Gateway Time-out")]
    public async Task A_gateway_error_page_is_retried_only_up_to_MaxAttempts_for_a_retry_safe_operation(int status, string title)
    {
        Answer(Response.Create().WithStatusCode(status).WithHeader("Content-Type", "text/html")
            .WithBody($"<html><head><title>{title}</title></head><body><center><h1>{title}</h1></center><hr><center>nginx</center></body></html>"));
        using var client = Client();

        var error = await Assert.ThrowsAsync<DataphinRequestException>(() => client.AddRegisterLineageAsync(Tenant, Lineages.Add(("a", "b"))));

        Assert.IsType<DataphinRequestException>(error);
        Assert.Equal(status, error.Status);
        Assert.Null(error.ErrorCode);
        Assert.Contains(title, error.ResponseSnippet, StringComparison.Ordinal);
        Assert.Contains($"HTTP {status}", error.Message, StringComparison.Ordinal);
        Assert.Equal(4, _server.LogEntries.Count);
        AssertNoSecret(error);
    }

    [Theory]
    [InlineData(502)]
    [InlineData(504)]
    public async Task A_gateway_error_on_a_write_that_is_not_retry_safe_is_sent_once(int status)
    {
        Answer(Response.Create().WithStatusCode(status).WithHeader("Content-Type", "text/plain").WithBody("upstream unavailable"));
        using var client = Client();

        var error = await Assert.ThrowsAsync<DataphinRequestException>(() => client.SendAsync(new DataphinOperationRequest("CreateDirectory", Tenant).AddForm("Name", "d")));

        Assert.Equal(status, error.Status);
        Assert.Contains("upstream unavailable", error.ResponseSnippet, StringComparison.Ordinal);
        Assert.Single(_server.LogEntries);
        AssertNoSecret(error);
    }

    [Fact]
    public async Task A_success_body_broken_off_and_run_on_with_garbage_is_not_taken_for_success()
    {
        // WireMock's malformed-chunk fault: the first half of the body, then random bytes, in a well-framed 200.
        Answer(Response.Create().WithStatusCode(200).WithHeader("Content-Type", "application/json")
            .WithBody("{\"RequestId\":\"82E78D6B-AA8F-1FEF-8AA3-5C9DA2A79140\",\"Success\":true,\"Code\":\"OK\",\"HttpStatusCode\":200,\"Message\":\"success\"}")
            .WithFault(FaultType.MALFORMED_RESPONSE_CHUNK));
        using var client = Client();

        var error = await Assert.ThrowsAsync<DataphinRequestException>(() => client.AddRegisterLineageAsync(Tenant, Lineages.Add(("a", "b"))));

        Assert.IsType<DataphinRequestException>(error);
        Assert.Equal(200, error.Status);
        Assert.StartsWith("{\"Requ", error.ResponseSnippet, StringComparison.Ordinal);
        Assert.Contains("HTTP 200", error.Message, StringComparison.Ordinal);
        Assert.Single(_server.LogEntries);
        AssertNoSecret(error);
    }

    [Fact]
    public async Task A_server_that_holds_its_answer_ends_each_attempt_at_the_attempt_timeout_and_stops_after_MaxAttempts()
    {
        var release = new TaskCompletionSource<IResponseMessage>(TaskCreationOptions.RunContinuationsAsynchronously);
        var arrivals = new SemaphoreSlim(0);
        var arrived = 0;
        _server.Given(Request.Create().UsingPost()).RespondWith(Response.Create().WithCallback(_ =>
        {
            Interlocked.Increment(ref arrived);
            arrivals.Release();
            return release.Task;
        }));
        var clock = new ManualTimeProvider();
        var sockets = new Attempts(new SocketsHttpHandler { AllowAutoRedirect = false });
        using var client = Client(sockets, o =>
        {
            o.TimeProvider = clock;
            o.Timeouts.AttemptTimeout = TimeSpan.FromSeconds(5);
        });
        var start = clock.GetUtcNow();

        try
        {
            // The clock moves to the next timer only once every attempt sent has reached the server, and every attempt
            // the client gave up on has ended: the fake clock cannot see a request on its way over a socket.
            var error = await Assert.ThrowsAsync<DataphinTimeoutException>(() => clock.DriveAsync(
                client.AddRegisterLineageAsync(Tenant, Lineages.Add(("a", "b"))),
                beforeAdvance: async () =>
                {
                    await sockets.CancelledEnded();
                    while (Volatile.Read(ref arrived) < sockets.Sent)
                    {
                        // A deadline only so that a broken client fails the test instead of hanging it.
                        Assert.True(await arrivals.WaitAsync(TimeSpan.FromMinutes(2)), "An attempt the client sent never reached the server.");
                    }
                }));

            Assert.Equal(DataphinTimeoutKind.Attempt, error.Kind);
            Assert.Equal(TimeSpan.FromSeconds(5), error.Timeout);
            Assert.Contains("attempt timeout of 5 s", error.Message, StringComparison.Ordinal);
            Assert.Equal(4, sockets.Sent);
            Assert.Equal(4, Volatile.Read(ref arrived));
            Assert.Equal(TimeSpan.FromSeconds(20), clock.GetUtcNow() - start);
            AssertNoSecret(error);
        }
        finally
        {
            release.TrySetResult(new ResponseMessage { StatusCode = 504 });
        }
    }

    [Fact]
    public async Task A_redirect_is_not_followed_and_is_an_error_naming_the_status()
    {
        var elsewhere = new Uri(new Uri(_server.Urls[0]), "/sso/login?next=%2F").ToString();
        _server.Given(Request.Create().UsingPost().WithPath("/")).RespondWith(Response.Create().WithStatusCode(302).WithHeader("Location", elsewhere).WithBody(string.Empty));
        _server.Given(Request.Create().WithPath("/sso/login")).RespondWith(Response.Create().WithStatusCode(200).WithBody("{\"Success\":true,\"Code\":\"OK\"}"));
        using var client = Client();

        var error = await Assert.ThrowsAsync<DataphinRequestException>(() => client.AddRegisterLineageAsync(Tenant, Lineages.Add(("a", "b"))));

        Assert.IsType<DataphinRequestException>(error);
        Assert.Equal(302, error.Status);
        Assert.Contains("HTTP 302", error.Message, StringComparison.Ordinal);

        // Not followed (the login page would have passed for a success), and a 3xx is not retried.
        Assert.Equal(["/"], _server.LogEntries.Select(e => e.RequestMessage.Path));
        AssertNoSecret(error);
    }

    [Fact]
    public async Task A_200_with_the_json_of_another_api_is_taken_for_success_today()
    {
        // Today the client takes any 2xx JSON object without "Success": false for a success, so an API of another kind
        // at the endpoint passes unnoticed: no RequestId, no Code. This pins that behaviour; a change that requires the
        // service's shape (RequestId or Success) for a success will flip this test to expect DataphinRequestException.
        Answer(Response.Create().WithStatusCode(200).WithHeader("Content-Type", "application/json").WithBody("{\"status\":\"ok\",\"items\":[]}"));
        using var client = Client();

        var response = await client.AddRegisterLineageAsync(Tenant, Lineages.Add(("a", "b")));

        Assert.Equal(200, response.Status);
        Assert.Null(response.RequestId);
        Assert.Null(response.Code);
        Assert.Single(_server.LogEntries);
    }

    private void Answer(IResponseBuilder response) => _server.Given(Request.Create().UsingPost()).RespondWith(response);

    private DataphinClient Client(Action<DataphinClientOptions>? configure = null)
        => Client(new SocketsHttpHandler { AllowAutoRedirect = false }, configure);

    /// <summary>
    /// A client of the stub server with the default resilience settings, except that retries go at once (these tests
    /// count requests; the waits are tested on a fake clock) and the AccessKey is this test's own (no shared bucket).
    /// </summary>
    private DataphinClient Client(HttpMessageHandler handler, Action<DataphinClientOptions>? configure = null)
    {
        var options = new DataphinClientOptions
        {
            Endpoint = new Uri(_server.Urls[0]),
            Credential = new DataphinCredential(_accessKeyId, Secret, Token),
        };
        options.Retry.BaseDelay = TimeSpan.Zero;
        options.Retry.MaxDelay = TimeSpan.Zero;
        configure?.Invoke(options);
        return new DataphinClient(new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan }, options);
    }

    private static string Signature(ILogEntry entry)
        => entry.RequestMessage.Headers!.Single(h => h.Key.Equals("Authorization", StringComparison.OrdinalIgnoreCase)).Value.Single().Split("Signature=")[1];

    private static void AssertNoSecret(Exception error, string? signature = null)
    {
        var everything = error.ToString() + (error as DataphinRequestException)?.ResponseSnippet;
        Assert.DoesNotContain(Secret, everything, StringComparison.Ordinal);
        Assert.DoesNotContain(Token, everything, StringComparison.Ordinal);
        if (signature is not null)
        {
            Assert.DoesNotContain(signature, everything, StringComparison.Ordinal);
        }
    }

    /// <summary>Counts the attempts sent over the socket handler and keeps those still in flight, to wait for the ones the client gave up on.</summary>
    private sealed class Attempts(HttpMessageHandler inner) : DelegatingHandler(inner)
    {
        private readonly ConcurrentDictionary<Task<HttpResponseMessage>, CancellationToken> _inFlight = new();
        private int _sent;

        public int Sent => Volatile.Read(ref _sent);

        /// <summary>Completes when every attempt whose cancellation was requested has ended.</summary>
        public Task CancelledEnded()
            => Task.WhenAll(_inFlight.Where(p => p.Value.IsCancellationRequested).Select(p => p.Key.ContinueWith(_ => { }, TaskScheduler.Default)));

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _sent);
            var attempt = base.SendAsync(request, cancellationToken);
            _inFlight[attempt] = cancellationToken;
            try
            {
                return await attempt;
            }
            finally
            {
                _inFlight.TryRemove(attempt, out _);
            }
        }
    }
}
