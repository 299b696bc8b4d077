using System.Collections.Concurrent;
using System.Globalization;
using System.IO.Compression;
using System.Net.Http.Headers;
using System.Text;
using Dataphin.OpenApi.OpenLineage;
using Dataphin.OpenApi.OpenLineage.AspNetCore;
using Dataphin.OpenApi.OpenLineage.AspNetCore.Queue;
using Dataphin.OpenApi.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Dataphin.OpenApi.AspNetCore.Tests.OpenLineage;

/// <summary>An application with the OpenLineage endpoint on a loopback port, forwarding to an emulator; its log lines are kept.</summary>
internal sealed class OpenLineageTestServer : IAsyncDisposable
{
    public const string ApiKey = "ol-test-key-7f3a9c2e51d84b60";

    private readonly List<(string Text, TaskCompletionSource Seen)> _waits;

    private OpenLineageTestServer(WebApplication app, HttpClient http, string stateFolder, ConcurrentQueue<string> logs, List<(string Text, TaskCompletionSource Seen)> waits)
    {
        _waits = waits;
        App = app;
        Http = http;
        StateFolder = stateFolder;
        Logs = logs;
    }

    public WebApplication App { get; }

    public HttpClient Http { get; }

    public string StateFolder { get; }

    public ConcurrentQueue<string> Logs { get; }

    public OpenLineageEventQueue Queue => App.Services.GetRequiredService<OpenLineageQueueHolder>().Get();

    public static string RulesJson => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "samples", "openlineage", "openlineage-rules.json"));

    public static async Task<OpenLineageTestServer> StartAsync(DataphinEmulator emulator, string stateFolder, Action<DataphinOpenLineageOptions>? configure = null)
    {
        var logs = new ConcurrentQueue<string>();
        var waits = new List<(string Text, TaskCompletionSource Seen)>();
        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders().AddProvider(new ListLoggerProvider(logs, waits)).SetMinimumLevel(LogLevel.Debug);
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Dataphin:Endpoint"] = emulator.Endpoint.ToString(),
            ["Dataphin:AccessKeyId"] = emulator.AccessKeyId,
            ["Dataphin:AccessKeySecret"] = emulator.AccessKeySecret,
            ["Dataphin:RateLimit:Level2Qps"] = "1000",
        });
        builder.Services.AddDataphinClient(builder.Configuration.GetSection("Dataphin"));
        builder.Services.AddDataphinOpenLineage(o =>
        {
            o.TenantId = emulator.DefaultTenantId;
            o.ApiKeys.Add(ApiKey);
            o.MappingRules = OpenLineageMappingRules.Parse(RulesJson);
            o.StateFolder = stateFolder;
            o.BatchDelay = TimeSpan.Zero;
            configure?.Invoke(o);
        });
        var app = builder.Build();
        app.MapDataphinOpenLineage();
        app.MapHealthChecks("/health");
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        var http = new HttpClient { BaseAddress = new Uri(address) };
        return new OpenLineageTestServer(app, http, stateFolder, logs, waits);
    }

    public Task<HttpResponseMessage> PostAsync(string json, bool gzip = false, string? key = ApiKey)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/lineage");
        if (gzip)
        {
            var compressed = new MemoryStream();
            using (var zip = new GZipStream(compressed, CompressionLevel.SmallestSize, leaveOpen: true))
            {
                zip.Write(Encoding.UTF8.GetBytes(json));
            }

            request.Content = new ByteArrayContent(compressed.ToArray());
            request.Content.Headers.ContentEncoding.Add("gzip");
        }
        else
        {
            request.Content = new StringContent(json, Encoding.UTF8);
        }

        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.Authorization = key is null ? null : new AuthenticationHeaderValue("Bearer", key);
        return Http.SendAsync(request);
    }

    /// <summary>Sends a request with the API key unless it has an Authorization header of its own.</summary>
    public Task<HttpResponseMessage> SendAsync(HttpRequestMessage request)
    {
        request.Headers.Authorization ??= new AuthenticationHeaderValue("Bearer", ApiKey);
        return Http.SendAsync(request);
    }

    /// <summary>GETs a path with the API key; the body as text (whatever the status).</summary>
    public async Task<string> GetStringAsync(string path)
    {
        using var answer = await SendAsync(new HttpRequestMessage(HttpMethod.Get, path));
        return await answer.Content.ReadAsStringAsync();
    }

    /// <summary>Waits until every queued event was forwarded (the queue tells; nothing is polled or timed).</summary>
    public Task DrainedAsync() => Queue.WhenEmptyAsync(new CancellationTokenSource(TimeSpan.FromMinutes(2)).Token);

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await App.StopAsync();
        await App.DisposeAsync();
    }

    public static string Event(string type, string runId, string job, (string Ns, string Name)[] inputs, (string Ns, string Name)[] outputs, string? columnLineage = null, string producer = "https://github.com/apache/airflow/tree/providers-openlineage/1.14.0")
    {
        static string Datasets((string Ns, string Name)[] list, string? facets)
            => string.Join(",", list.Select(d => "{\"namespace\":\"" + d.Ns + "\",\"name\":\"" + d.Name + "\",\"facets\":{" + facets + "}}"));
        var time = new DateTimeOffset(2025, 1, 1, 2, 0, 0, TimeSpan.Zero).ToString("O", CultureInfo.InvariantCulture);
        return $$"""{"eventType":"{{type}}","eventTime":"{{time}}","producer":"{{producer}}","schemaURL":"https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/RunEvent","run":{"runId":"{{runId}}"},"job":{"namespace":"airflow_prod","name":"{{job}}"},"inputs":[{{Datasets(inputs, null)}}],"outputs":[{{Datasets(outputs, columnLineage is null ? null : $"\"columnLineage\":{columnLineage}")}}]}""";
    }

    /// <summary>Completes when a log line containing <paramref name="text"/> is written (or was already).</summary>
    public Task WaitForLogAsync(string text)
    {
        var seen = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_waits)
        {
            if (Logs.Any(l => l.Contains(text, StringComparison.Ordinal)))
            {
                return Task.CompletedTask;
            }

            _waits.Add((text, seen));
        }

        return seen.Task.WaitAsync(TimeSpan.FromMinutes(2));
    }

    private sealed class ListLoggerProvider(ConcurrentQueue<string> lines, List<(string Text, TaskCompletionSource Seen)> waits) : ILoggerProvider
    {
        public ILogger CreateLogger(string categoryName) => new ListLogger(lines, waits, categoryName);

        public void Dispose()
        {
        }
    }

    private sealed class ListLogger(ConcurrentQueue<string> lines, List<(string Text, TaskCompletionSource Seen)> waits, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var line = $"{logLevel} {category}: {formatter(state, exception)} {exception}";
            lock (waits)
            {
                lines.Enqueue(line);
                foreach (var (text, seen) in waits.Where(w => line.Contains(w.Text, StringComparison.Ordinal)))
                {
                    seen.TrySetResult();
                }
            }
        }
    }
}
