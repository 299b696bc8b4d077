using System.Net;
using System.Net.Sockets;
using System.Text;
using Dataphin.OpenApi.Bulk;

namespace Dataphin.OpenApi.Tests.Bulk;

/// <summary>The tracker under a real client: requests counted as they leave, and a stop that sends nothing more but lets the wire finish.</summary>
public class BulkRequestTrackerTests
{
    private const long Tenant = 300001234;

    [Fact]
    public async Task A_stopped_run_sends_nothing_more_and_records_the_requests_that_were_on_the_wire()
    {
        var wire = new HoldingHandler(holdFirst: 3);
        var tracker = new BulkRequestTracker(wire);
        using var client = Client(tracker);
        using var stop = new CancellationTokenSource();
        var recorded = new List<BulkItemResult>();
        var store = new ListStore(recorded);

        var run = new DataphinBulkLineage(client, Tenant).RunToSummaryAsync(
            LineageItems.Many(50),
            new BulkOptions { MaxConcurrency = 3, RequestTracker = tracker, RunStore = store },
            cancellationToken: stop.Token);
        await wire.AllHeld.Task.WaitAsync(TimeSpan.FromMinutes(1));
        await stop.CancelAsync();
        wire.Release();
        var summary = await run.WaitAsync(TimeSpan.FromMinutes(1));

        Assert.Equal(3, wire.Received);
        Assert.Equal(3, tracker.RequestsSent);
        Assert.Equal(3, summary.RequestsSent);
        Assert.Equal(3, summary.Succeeded);
        Assert.Equal(3, summary.Total);
        Assert.Equal(0, summary.Cancelled);
        Assert.Equal(BulkStopReason.Cancelled, summary.StopReason);
        Assert.Equal(3, recorded.Count(r => r.Status == BulkItemStatus.Succeeded));
    }

    [Fact]
    public async Task Throttling_answers_are_counted_even_when_the_client_retries_them_away()
    {
        var wire = new ThrottleFirstHandler();
        var tracker = new BulkRequestTracker(wire);
        using var client = Client(tracker);

        var summary = await new DataphinBulkLineage(client, Tenant).RunToSummaryAsync(LineageItems.Many(5), new BulkOptions { MaxConcurrency = 1, RequestTracker = tracker });

        Assert.Equal(5, summary.Succeeded);
        Assert.Equal(10, summary.RequestsSent);
        Assert.Equal(5, summary.ThrottledAnswers);
        Assert.Equal(5, summary.CallsSent);
    }

    [Fact]
    public async Task A_connection_that_could_not_be_made_is_not_counted_as_sent()
    {
        var tracker = new BulkRequestTracker(new RefusingHandler());
        using var client = Client(tracker, maxAttempts: 1);

        var summary = await new DataphinBulkLineage(client, Tenant).RunToSummaryAsync(LineageItems.Many(1), new BulkOptions { RequestTracker = tracker, TransientFailureRetries = 0 });

        Assert.Equal(1, summary.Failed);
        Assert.Equal(0, summary.RequestsSent);
        Assert.Equal(1, summary.CallsSent);
    }

    private static DataphinClient Client(BulkRequestTracker tracker, int maxAttempts = 4)
    {
        var options = new DataphinClientOptions { Endpoint = new Uri("http://127.0.0.1:9"), Credential = new DataphinCredential("test-id", "test-secret") };
        options.RateLimit.Enabled = false;
        options.CircuitBreaker.Enabled = false;
        options.Retry.MaxAttempts = maxAttempts;
        options.Retry.BaseDelay = TimeSpan.FromMilliseconds(1);
        return new DataphinClient(new HttpClient(tracker) { Timeout = Timeout.InfiniteTimeSpan }, options);
    }

    private static HttpResponseMessage Ok() => new(HttpStatusCode.OK)
    {
        Content = new StringContent("""{"RequestId":"req-ok","Success":true,"Code":"OK","HttpStatusCode":200}""", Encoding.UTF8, "application/json"),
    };

    /// <summary>Holds the first requests until released, and completes <see cref="AllHeld"/> once they all arrived.</summary>
    private sealed class HoldingHandler(int holdFirst) : HttpMessageHandler
    {
        private readonly TaskCompletionSource _release = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _received;

        public TaskCompletionSource AllHeld { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public int Received => Volatile.Read(ref _received);

        public void Release() => _release.TrySetResult();

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            if (Interlocked.Increment(ref _received) == holdFirst)
            {
                AllHeld.TrySetResult();
            }

            await _release.Task.WaitAsync(cancellationToken);
            return Ok();
        }
    }

    /// <summary>Answers the first attempt of every call with Throttling.User, the retry with success.</summary>
    private sealed class ThrottleFirstHandler : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            if (request.Headers.Contains("x-acs-retry-attempts"))
            {
                return Task.FromResult(Ok());
            }

            var throttled = new HttpResponseMessage(HttpStatusCode.BadRequest)
            {
                Content = new StringContent("""{"RequestId":"req-t","HostId":"h","Code":"Throttling.User","Message":"Request was denied due to user flow control."}""", Encoding.UTF8, "application/json"),
            };
            throttled.Headers.Add("x-acs-retry-after", "1");
            return Task.FromResult(throttled);
        }
    }

    private sealed class RefusingHandler : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
            => throw new HttpRequestException("Connection refused (127.0.0.1:9)", new SocketException((int)SocketError.ConnectionRefused));
    }

    private sealed class ListStore(List<BulkItemResult> results) : IBulkRunStore
    {
        public bool IsSucceeded(long index, string id) => false;

        public ValueTask RecordAsync(BulkItemResult result, CancellationToken cancellationToken)
        {
            lock (results)
            {
                results.Add(result);
            }

            return default;
        }
    }
}
