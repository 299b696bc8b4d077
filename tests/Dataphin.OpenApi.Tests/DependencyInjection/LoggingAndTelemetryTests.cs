using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Net;
using Dataphin.OpenApi.Testing;
using Dataphin.OpenApi.Tests.Support;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;

namespace Dataphin.OpenApi.Tests.DependencyInjection;

public sealed class LoggingAndTelemetryTests
{
    private const string Secret = "LogTestSecret-7f3a9c";
    private const string Token = "LogTestStsToken-2b8e41";

    /// <summary>Answers a request the test did not script, so that an unexpected extra call shows as a failure.</summary>
    private static readonly FakeDataphinResponse NoMoreAnswers = FakeDataphinResponse.Error(HttpStatusCode.BadRequest, "Test.NoMoreAnswers", "The test scripted no answer for this request.");

    private static (ServiceProvider Provider, FakeLogCollector Logs) Build(FakeDataphinTransport handler)
    {
        var services = new ServiceCollection();
        services.AddLogging(b => b.SetMinimumLevel(LogLevel.Trace).AddFakeLogging());
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Dataphin:Endpoint"] = "https://dataphin-public.cn-hangzhou.aliyuncs.com",
            ["Dataphin:AccessKeyId"] = "LTAI5tLoggingKey",
            ["Dataphin:AccessKeySecret"] = Secret,
            ["Dataphin:SecurityToken"] = Token,
            ["Dataphin:RateLimit:Enabled"] = "false",
            ["Dataphin:Retry:BaseDelay"] = "00:00:00",
        }).Build();
        services.AddDataphinClient(configuration.GetSection("Dataphin")).ConfigurePrimaryHttpMessageHandler(_ => handler);
        var provider = services.BuildServiceProvider();
        return (provider, provider.GetFakeLogCollector());
    }


    [Fact]
    public async Task Trace_logging_never_shows_the_secret_the_token_or_the_signature()
    {
        var handler = new FakeDataphinTransport { Fallback = NoMoreAnswers }.Enqueue(
            FakeDataphinResponse.Success(),
            FakeDataphinResponse.Json(HttpStatusCode.BadRequest, "{\"Code\":\"Throttling.User\",\"RequestId\":\"T-1\",\"Message\":\"Request was denied due to user flow control.\"}").WithHeader("x-acs-retry-after", "0"),
            FakeDataphinResponse.Success(),
            FakeDataphinResponse.Json(HttpStatusCode.Unauthorized, $"{{\"Code\":\"DataphinOpenAPIRamUnAuthorized\",\"RequestId\":\"A-1\",\"Message\":\"echo {Token}\"}}"));
        var (provider, logs) = Build(handler);
        await using (provider)
        {
            var client = provider.GetRequiredService<DataphinClient>();
            await client.AddRegisterLineageAsync(300001234, TestClients.ValidAddCommand());
            await client.AddRegisterLineageAsync(300001234, TestClients.ValidAddCommand());
            await Assert.ThrowsAsync<DataphinAuthenticationException>(() => client.AddRegisterLineageAsync(300001234, TestClients.ValidAddCommand()));
        }

        var entries = logs.GetSnapshot();
        var text = string.Join("\n", entries.Select(LogText.Of));
        var signatures = handler.Requests.Select(r => r.Header("authorization")!.Split("Signature=")[1]).ToList();
        Assert.Equal(4, signatures.Count);
        Assert.DoesNotContain(Secret, text, StringComparison.Ordinal);
        Assert.DoesNotContain(Token, text, StringComparison.Ordinal);
        Assert.All(signatures, signature => Assert.DoesNotContain(signature, text, StringComparison.Ordinal));

        var events = entries.Where(e => e.Category == "Dataphin.OpenApi.DataphinClient").Select(e => e.Id.Id).ToHashSet();
        Assert.Superset(new HashSet<int> { 1, 2, 3, 7, 8 }, events);
        Assert.Contains(entries, e => e.Id.Id == 2 && LogText.Of(e).Contains("DataphinOpenAPIRamUnAuthorized", StringComparison.Ordinal) && LogText.Of(e).Contains("A-1", StringComparison.Ordinal));
        Assert.Contains(entries, e => e.Id.Id == 3 && LogText.Of(e).Contains("Throttling.User", StringComparison.Ordinal));
        Assert.Contains(entries, e => e.Id.Id == 8 && LogText.Of(e).Contains("x-acs-action: AddRegisterLineage", StringComparison.Ordinal) && LogText.Of(e).Contains("x-acs-security-token: ***", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_call_makes_a_span_with_a_child_per_attempt_and_request_metrics()
    {
        var action = "TelemetryProbe" + Guid.NewGuid().ToString("N")[..8];
        var handler = new FakeDataphinTransport { Fallback = NoMoreAnswers }.Enqueue(
            FakeDataphinResponse.Json(HttpStatusCode.BadRequest, "{\"Code\":\"Throttling.User\",\"RequestId\":\"T-2\"}").WithHeader("x-acs-retry-after", "0"),
            FakeDataphinResponse.Success());
        var activities = new ConcurrentQueue<Activity>();
        using var activityListener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == DataphinTelemetry.SourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activities.Enqueue,
        };
        ActivitySource.AddActivityListener(activityListener);
        var measurements = new ConcurrentQueue<(string Instrument, double Value, Dictionary<string, object?> Tags)>();
        using var meterListener = new MeterListener();
        meterListener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == DataphinTelemetry.MeterName)
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        meterListener.SetMeasurementEventCallback<long>((instrument, value, tags, _) => Record(instrument.Name, value, tags));
        meterListener.SetMeasurementEventCallback<double>((instrument, value, tags, _) => Record(instrument.Name, value, tags));
        meterListener.Start();

        void Record(string name, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
        {
            var map = new Dictionary<string, object?>();
            foreach (var tag in tags)
            {
                map[tag.Key] = tag.Value;
            }

            if (Equals(map.GetValueOrDefault("dataphin.action"), action))
            {
                measurements.Enqueue((name, value, map));
            }
        }

        var (provider, _) = Build(handler);
        await using (provider)
        {
            await provider.GetRequiredService<DataphinClient>().SendAsync(new DataphinOperationRequest(action, 300001234));
        }

        var mine = activities.Where(a => a.DisplayName.StartsWith("Dataphin." + action, StringComparison.Ordinal)).ToList();
        var call = Assert.Single(mine, a => a.DisplayName == "Dataphin." + action);
        var attempts = mine.Where(a => a.DisplayName.EndsWith(" attempt", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, attempts.Count);
        Assert.All(attempts, a => Assert.Equal(call.SpanId, a.ParentSpanId));
        Assert.Equal(ActivityStatusCode.Error, attempts.OrderBy(a => a.StartTimeUtc).First().Status);
        Assert.Equal("success", call.GetTagItem("dataphin.outcome"));
        Assert.Equal(2, call.GetTagItem("dataphin.attempts"));
        Assert.Equal(3, call.GetTagItem("dataphin.level"));

        var request = Assert.Single(measurements, m => m.Instrument == "dataphin.client.requests");
        Assert.Equal("success", request.Tags["dataphin.outcome"]);
        Assert.Single(measurements, m => m.Instrument == "dataphin.client.retries");
        Assert.Single(measurements, m => m.Instrument == "dataphin.client.request.duration");
    }
}
