using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using System.Text.Json;
using Dataphin.OpenApi.Bulk;
using Dataphin.OpenApi.Testing;

namespace Dataphin.OpenApi.Benchmarks;

/// <summary>
/// Item 5: a bulk run of table pairs read from a JSON Lines manifest against the emulator with quotas off, at growing
/// counts. Each count runs in a fresh child process holding only the SDK (reader, bulk runner, client); the emulator
/// stays in this process, so the child's peak working set is the SDK's own. The smallest count is the baseline the
/// larger ones are compared with: memory that stays flat as the count grows shows the run streams.
/// </summary>
internal static class ScaleScenario
{
    public const string ChildCommand = "scale-child";
    public const int Concurrency = 16;

    public static async Task<IReadOnlyList<ScaleResult>> RunAllAsync(IReadOnlyList<int> counts, TextWriter log)
    {
        var directory = Directory.CreateTempSubdirectory("dataphin-scale-");
        try
        {
            var options = BenchmarkEmulator.Options(EmulatorQuotas.Disabled);
            options.MaxRecordedRequests = 0;
            await using var emulator = await DataphinEmulator.StartAsync(options).ConfigureAwait(false);
            var results = new List<ScaleResult>();
            foreach (var count in counts)
            {
                var manifest = Path.Combine(directory.FullName, $"lineage-{count}.jsonl");
                await WriteManifestAsync(manifest, count).ConfigureAwait(false);
                log.WriteLine($"[scale] {count:N0} pairs from {Path.GetFileName(manifest)} ({new FileInfo(manifest).Length / 1024.0 / 1024.0:F1} MB) ...");
                emulator.ClearLineage(emulator.DefaultTenantId);
                var result = await RunChildAsync(manifest, emulator.Endpoint).ConfigureAwait(false);
                var stored = emulator.GetLineage(emulator.DefaultTenantId).Count;
                if (stored != count || result.Succeeded != count)
                {
                    throw new InvalidOperationException($"{count} pairs offered, {result.Succeeded} reported succeeded, {stored} stored by the emulator.");
                }

                log.WriteLine(string.Create(CultureInfo.InvariantCulture, $"[scale]   {result.Succeeded:N0} succeeded in {result.Seconds:F1} s ({result.ItemsPerSecond:F0} items/s), peak working set {result.PeakWorkingSetBytes / 1048576.0:F1} MB"));
                results.Add(result);
                File.Delete(manifest);
            }

            return results;
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    /// <summary>The child process: runs one manifest against the endpoint and prints its figures as one JSON line.</summary>
    public static async Task<int> ChildAsync(string manifest, Uri endpoint)
    {
        var options = new DataphinClientOptions
        {
            Endpoint = endpoint,
            Credential = new DataphinCredential(DataphinEmulatorOptions.DefaultAccessKeyId, DataphinEmulatorOptions.DefaultAccessKeySecret),
        };
        options.RateLimit.Enabled = false;
        using var client = new DataphinClient(options);
        var bulk = new DataphinBulkLineage(client, DataphinEmulatorOptions.DefaultTenant);
        var clock = Stopwatch.StartNew();
        var summary = await bulk.RunToSummaryAsync(
            LineageManifestReader.ReadFileAsync(manifest, LineageManifestOperation.Add),
            new BulkOptions { MaxConcurrency = Concurrency }).ConfigureAwait(false);
        clock.Stop();
        using var process = Process.GetCurrentProcess();
        process.Refresh();
        var result = new ScaleResult(summary.Total, summary.Succeeded, summary.Failed + summary.SkippedInvalid + summary.Cancelled, clock.Elapsed.TotalSeconds, process.PeakWorkingSet64, GC.GetTotalAllocatedBytes());
        Console.WriteLine(JsonSerializer.Serialize(result, ScaleResultJson.Default.ScaleResult));
        return result.NotSucceeded == 0 ? 0 : 1;
    }

    private static async Task WriteManifestAsync(string path, int count)
    {
        var stream = File.Create(path);
        await using (stream.ConfigureAwait(false))
        {
            var writer = LineageManifestWriter.Create(stream, LineageManifestFormat.JsonLines, leaveOpen: true);
            await using (writer.ConfigureAwait(false))
            {
                var i = 0;
                foreach (var command in Commands.Pairs(count))
                {
                    await writer.WriteAsync(string.Create(CultureInfo.InvariantCulture, $"pair-{i++}"), command).ConfigureAwait(false);
                }
            }
        }
    }

    private static async Task<ScaleResult> RunChildAsync(string manifest, Uri endpoint)
    {
        var start = new ProcessStartInfo
        {
            FileName = Environment.ProcessPath ?? throw new InvalidOperationException("The path of this process is unknown."),
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (Path.GetFileNameWithoutExtension(start.FileName).Equals("dotnet", StringComparison.OrdinalIgnoreCase))
        {
            start.ArgumentList.Add(Assembly.GetExecutingAssembly().Location);
        }

        start.ArgumentList.Add(ChildCommand);
        start.ArgumentList.Add(manifest);
        start.ArgumentList.Add(endpoint.ToString());
        start.Environment["DOTNET_gcServer"] = "0";
        using var child = Process.Start(start) ?? throw new InvalidOperationException("The child process did not start.");
        var output = child.StandardOutput.ReadToEndAsync();
        var errors = child.StandardError.ReadToEndAsync();
        await child.WaitForExitAsync().ConfigureAwait(false);
        var lastLine = (await output.ConfigureAwait(false)).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault();
        if (lastLine is null || !lastLine.StartsWith('{'))
        {
            throw new InvalidOperationException($"The child process exited with {child.ExitCode} without figures: {await errors.ConfigureAwait(false)}");
        }

        return JsonSerializer.Deserialize(lastLine, ScaleResultJson.Default.ScaleResult)
            ?? throw new InvalidOperationException("The child process printed no figures.");
    }
}

/// <summary>The figures of one scale run, as the child process measured them.</summary>
internal sealed record ScaleResult(long Total, long Succeeded, long NotSucceeded, double Seconds, long PeakWorkingSetBytes, long AllocatedBytes)
{
    public double ItemsPerSecond => Succeeded / Seconds;

    public string ToMarkdownRow(ScaleResult baseline) => string.Create(
        CultureInfo.InvariantCulture,
        $"| {Total:N0} | {Succeeded:N0} | {NotSucceeded} | {Seconds:F1} s | {ItemsPerSecond:F0} | {PeakWorkingSetBytes / 1048576.0:F1} MB ({(double)PeakWorkingSetBytes / baseline.PeakWorkingSetBytes:F2}x) | {AllocatedBytes / (double)Total / 1024:F1} KB |");

    public const string MarkdownHeader =
        "| pairs | succeeded | not succeeded | time | items/s | peak working set of the client process (vs the smallest run) | allocated per item |\n"
        + "|---|---|---|---|---|---|---|";
}

[System.Text.Json.Serialization.JsonSerializable(typeof(ScaleResult))]
internal sealed partial class ScaleResultJson : System.Text.Json.Serialization.JsonSerializerContext;
