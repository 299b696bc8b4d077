using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Net;
using Dataphin.OpenApi.Tests.Support;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Dataphin.OpenApi.Tests.DependencyInjection;

public sealed class LoggingAndTelemetryTests
{
    private const string Secret = "LogTestSecret-7f3a9c";
    private const string Token = "LogTestStsToken-2b8e41";

    private static (ServiceProvider Provider, CapturingLoggerProvider Logs) Build(RecordingHandler handler)
    {
        var logs = new CapturingLoggerProvider();
        var services = new ServiceCollection();
        services.AddLogging(b => b.SetMinimumLevel(LogLevel.Trace).AddProvider(logs));
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
        return (services.BuildServiceProvider(), logs);
    }

    [Fact]
    public async Task Trace_logging_never_shows_the_secret_the_token_or_the_signature()
    {
        var answers = new Queue<HttpResponseMessage>(
        [
            RecordingHandler.Json(HttpStatusCode.OK, RecordingHandler.SuccessBody),
            RecordingHandler.Json(HttpStatusCode.BadRequest, "{\"Code\":\"Throttling.User\",\"RequestId\":\"T-1\",\"Message\":\"Request was denied due to user flow control.\"}", ("x-acs-retry-after", "0")),
            RecordingHandler.Json(HttpStatusCode.OK, RecordingHandler.SuccessBody),
            RecordingHandler.Json(HttpStatusCode.Unauthorized, $"{{\"Code\":\"DataphinOpenAPIRamUnAuthorized\",\"RequestId\":\"A-1\",\"Message\":\"echo {Token}\"}}"),
        ]);
        var handler = new RecordingHandler(_ => answers.Dequeue());
        var (provider, logs) = Build(handler);
        await using (provider)
        {
            var client = provider.GetRequiredService<DataphinClient>();
            await client.AddRegisterLineageAsync(300001234, TestClients.ValidAddCommand());
            await client.AddRegisterLineageAsync(300001234, TestClients.ValidAddCommand());
            await Assert.ThrowsAsync<DataphinAuthenticationException>(() => client.AddRegisterLineageAsync(300001234, TestClients.ValidAddCommand()));
        }

        var text = logs.AllText;
        var signatures = handler.Requests.Select(r => r.Header("authorization")!.Split("Signature=")[1]).ToList();
        Assert.Equal(4, signatures.Count);
        Assert.DoesNotContain(Secret, text, StringComparison.Ordinal);
        Assert.DoesNotContain(Token, text, StringComparison.Ordinal);
        Assert.All(signatures, signature => Assert.DoesNotContain(signature, text, StringComparison.Ordinal));

        var events = logs.Entries.Where(e => e.Category == "Dataphin.OpenApi.DataphinClient").Select(e => e.EventId.Id).ToHashSet();
        Assert.Superset(new HashSet<int> { 1, 2, 3, 7, 8 }, events);
        Assert.Contains(logs.Entries, e => e.EventId.Id == 2 && e.Text.Contains("DataphinOpenAPIRamUnAuthorized", StringComparison.Ordinal) && e.Text.Contains("A-1", StringComparison.Ordinal));
        Assert.Contains(logs.Entries, e => e.EventId.Id == 3 && e.Text.Contains("Throttling.User", StringComparison.Ordinal));
        Assert.Contains(logs.Entries, e => e.EventId.Id == 8 && e.Text.Contains("x-acs-action: AddRegisterLineage", StringComparison.Ordinal) && e.Text.Contains("x-acs-security-token: ***", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_call_makes_a_span_with_a_child_per_attempt_and_request_metrics()
    {
        var action = "TelemetryProbe" + Guid.NewGuid().ToString("N")[..8];
        var answers = new Queue<HttpResponseMessage>(
        [
            RecordingHandler.Json(HttpStatusCode.BadRequest, "{\"Code\":\"Throttling.User\",\"RequestId\":\"T-2\"}", ("x-acs-retry-after", "0")),
            RecordingHandler.Json(HttpStatusCode.OK, RecordingHandler.SuccessBody),
        ]);
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

        var (provider, _) = Build(new RecordingHandler(_ => answers.Dequeue()));
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
