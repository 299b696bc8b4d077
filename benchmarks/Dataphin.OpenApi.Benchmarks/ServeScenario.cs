using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Dataphin.OpenApi.OpenLineage;
using Dataphin.OpenApi.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Dataphin.OpenApi.Benchmarks;

/// <summary>
/// Item 10: the OpenLineage endpoint under load. The endpoint runs in a child process (so its peak working set is its
/// own) with the default settings (queue of 10,000 events, batches of up to 1,000, the Basic edition's Level 2 quota of
/// 20 QPS on the client); the emulator in this process enforces the Basic edition's quotas. This process posts
/// OpenLineage COMPLETE events (one per POST, each with column lineage) at 1,000 per second for the given time, and
/// samples the queue depth (GET .../status) and the child's working set every 250 ms.
/// </summary>
internal static class ServeScenario
{
    public const string ChildCommand = "serve-child";
    public const int Rate = 1_000;
    private const string Key = "benchmark-serve-key-0123456789abcdef";

    public static async Task<ServeResult> RunAsync(string name, int distinctJobs, TimeSpan duration, TextWriter log)
    {
        log.WriteLine($"[serve] {name} ...");
        await using var emulator = await DataphinEmulator.StartAsync(new DataphinEmulatorOptions { Quotas = EmulatorQuotas.ForEdition(EmulatorEdition.Basic), MaxRecordedRequests = 0 }).ConfigureAwait(false);
        var state = Directory.CreateTempSubdirectory("dataphin-serve-bench-").FullName;
        var start = new ProcessStartInfo(Environment.ProcessPath!) { RedirectStandardOutput = true, UseShellExecute = false };
        if (Path.GetFileNameWithoutExtension(Environment.ProcessPath!) == "dotnet")
        {
            start.ArgumentList.Add(typeof(ServeScenario).Assembly.Location);
        }

        start.ArgumentList.Add(ChildCommand);
        start.ArgumentList.Add(emulator.Endpoint.ToString());
        start.ArgumentList.Add(state);
        using var child = Process.Start(start) ?? throw new InvalidOperationException("The endpoint process did not start.");
        try
        {
            var listening = await child.StandardOutput.ReadLineAsync().ConfigureAwait(false) ?? throw new InvalidOperationException("The endpoint process ended before it listened.");
            using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 128 }) { BaseAddress = new Uri(listening) };
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Key);

            var total = (int)(duration.TotalSeconds * Rate);
            var ok = 0;
            var unavailable = 0;
            var other = 0;
            var maxDepth = 0;
            long peakWorkingSet = 0;
            using var inFlight = new SemaphoreSlim(256);
            var posts = new List<Task>(total);
            using var sampling = new CancellationTokenSource();
            var sampler = Task.Run(async () =>
            {
                while (!sampling.IsCancellationRequested)
                {
                    maxDepth = Math.Max(maxDepth, await DepthAsync(http).ConfigureAwait(false));
                    child.Refresh();
                    peakWorkingSet = Math.Max(peakWorkingSet, child.WorkingSet64);
                    try
                    {
                        await Task.Delay(250, sampling.Token).ConfigureAwait(false);
                    }
                    catch (OperationCanceledException)
                    {
                    }
                }
            });

            var clock = Stopwatch.StartNew();
            for (var i = 0; i < total; i++)
            {
                var due = TimeSpan.FromSeconds(i / (double)Rate);
                if (due > clock.Elapsed)
                {
                    await Task.Delay(due - clock.Elapsed).ConfigureAwait(false);
                }

                await inFlight.WaitAsync().ConfigureAwait(false);
                var body = Event(i, i % distinctJobs);
                posts.Add(Task.Run(async () =>
                {
                    try
                    {
                        using var answer = await http.PostAsync("/api/v1/lineage", new StringContent(body, Encoding.UTF8, "application/json")).ConfigureAwait(false);
                        if (answer.StatusCode == HttpStatusCode.OK)
                        {
                            Interlocked.Increment(ref ok);
                        }
                        else if (answer.StatusCode == HttpStatusCode.ServiceUnavailable)
                        {
                            Interlocked.Increment(ref unavailable);
                        }
                        else
                        {
                            Interlocked.Increment(ref other);
                        }
                    }
                    catch (HttpRequestException)
                    {
                        Interlocked.Increment(ref other);
                    }
                    finally
                    {
                        inFlight.Release();
                    }
                }));
            }

            await Task.WhenAll(posts).ConfigureAwait(false);
            var seconds = clock.Elapsed.TotalSeconds;
            await sampling.CancelAsync().ConfigureAwait(false);
            await sampler.ConfigureAwait(false);
            child.Refresh();
            peakWorkingSet = Math.Max(peakWorkingSet, child.PeakWorkingSet64);
            using var status = JsonDocument.Parse(await http.GetStringAsync("/api/v1/lineage/status").ConfigureAwait(false));
            var root = status.RootElement;
            var statistics = emulator.GetStatistics();
            var result = new ServeResult(
                name,
                total,
                seconds,
                ok,
                unavailable,
                other,
                maxDepth,
                root.GetProperty("queued").GetInt32(),
                root.GetProperty("lagSeconds").GetDouble(),
                root.GetProperty("forwarded").GetInt64(),
                statistics.Requests.TryGetValue("AddRegisterLineage", out var calls) ? calls.Accepted : 0,
                statistics.ThrottledAnswers,
                peakWorkingSet);
            log.WriteLine(result.ToMarkdownRow());
            return result;
        }
        finally
        {
            if (!child.HasExited)
            {
                child.Kill();
            }

            await child.WaitForExitAsync().ConfigureAwait(false);
            Directory.Delete(state, recursive: true);
        }
    }

    /// <summary>The endpoint process: default settings, the client at the Basic edition's quotas; prints its address, then serves until killed.</summary>
    public static async Task<int> ChildAsync(Uri emulator, string state)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        builder.Services.AddDataphinClient(o =>
        {
            o.Endpoint = emulator;
            o.Credential = new DataphinCredential(DataphinEmulatorOptions.DefaultAccessKeyId, DataphinEmulatorOptions.DefaultAccessKeySecret);
            o.Edition = DataphinEdition.Basic;
        });
        builder.Services.AddDataphinOpenLineage(o =>
        {
            o.TenantId = DataphinEmulatorOptions.DefaultTenant;
            o.ApiKeys.Add(Key);
            o.MappingRules = OpenLineageMappingRules.Parse("""{ "rules": [ { "namespace": "hive://bench", "name": "{schema}.{table}", "guid": "odps.300001234.{schema}.{table}" } ] }""");
            o.StateFolder = state;
        });
        var app = builder.Build();
        app.MapDataphinOpenLineage();
        await app.StartAsync().ConfigureAwait(false);
        Console.WriteLine(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        await app.WaitForShutdownAsync().ConfigureAwait(false);
        return 0;
    }

    private static async Task<int> DepthAsync(HttpClient http)
    {
        try
        {
            using var status = JsonDocument.Parse(await http.GetStringAsync("/api/v1/lineage/status").ConfigureAwait(false));
            return status.RootElement.GetProperty("queued").GetInt32();
        }
        catch (HttpRequestException)
        {
            return 0;
        }
    }

    private static string Event(int i, int job)
        => """{"eventType":"COMPLETE","eventTime":"2025-01-01T02:00:00.000Z","producer":"https://github.com/OpenLineage/OpenLineage/tree/1.23.0/integration/spark","schemaURL":"https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/RunEvent","run":{"runId":"run-#I#"},"job":{"namespace":"spark_etl","name":"job_#J#"},"inputs":[{"namespace":"hive://bench","name":"ods.src_#J#"}],"outputs":[{"namespace":"hive://bench","name":"dw.dst_#J#","facets":{"columnLineage":{"fields":{"id":{"inputFields":[{"namespace":"hive://bench","name":"ods.src_#J#","field":"id","transformations":[{"type":"DIRECT","subtype":"IDENTITY"}]}]},"amount":{"inputFields":[{"namespace":"hive://bench","name":"ods.src_#J#","field":"amount","transformations":[{"type":"DIRECT","subtype":"TRANSFORMATION"}]}]}}}}}]}"""
            .Replace("#I#", i.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal)
            .Replace("#J#", job.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal);
}

/// <summary>One run of item 10.</summary>
internal sealed record ServeResult(
    string Name,
    int Posted,
    double Seconds,
    int Accepted,
    int Unavailable,
    int Other,
    int MaxQueueDepth,
    int QueuedAtEnd,
    double LagAtEndSeconds,
    long EventsForwarded,
    long PairsRegistered,
    long Throttled,
    long PeakWorkingSetBytes)
{
    public const string MarkdownHeader = "| events | posted | in | accepted (200) | accepted / s | 503 | other | max queue depth | queued at the end | lag at the end | events forwarded | pairs registered (calls accepted) | throttled answers | peak working set (endpoint process) |\n|---|---|---|---|---|---|---|---|---|---|---|---|---|---|";

    public string ToMarkdownRow() => string.Create(
        CultureInfo.InvariantCulture,
        $"| {Name} | {Posted:N0} | {Seconds:F1} s | {Accepted:N0} | {Accepted / Seconds:F0} | {Unavailable:N0} | {Other:N0} | {MaxQueueDepth:N0} | {QueuedAtEnd:N0} | {LagAtEndSeconds:F1} s | {EventsForwarded:N0} | {PairsRegistered:N0} | {Throttled:N0} | {PeakWorkingSetBytes / 1048576.0:F1} MB |");
}
