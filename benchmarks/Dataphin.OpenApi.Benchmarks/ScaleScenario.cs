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

    /// <summary>
    /// Item 6: the cost of the run journal. The same manifest runs without a journal and with one (a
    /// <see cref="FileBulkRunStore"/>: one line per item, written to the operating system before the worker goes on,
    /// synced to disk every second in the background), alternating which goes first, <paramref name="rounds"/> times; then once more with
    /// the finished journal, which skips every item; and the first pass the CLI makes over a manifest before it sends
    /// anything (its SHA-256 and item count).
    /// </summary>
    public static async Task<IReadOnlyList<(string Run, ScaleResult Result)>> RunJournalComparisonAsync(int count, int rounds, TextWriter log)
    {
        var directory = Directory.CreateTempSubdirectory("dataphin-journal-");
        try
        {
            var manifest = Path.Combine(directory.FullName, $"lineage-{count}.jsonl");
            await WriteManifestAsync(manifest, count).ConfigureAwait(false);
            var results = new List<(string, ScaleResult)>();
            string? lastJournal = null;
            for (var round = 0; round < rounds; round++)
            {
                var order = round % 2 == 0 ? new[] { false, true } : [true, false];
                foreach (var withJournal in order)
                {
                    var journal = withJournal ? Path.Combine(directory.FullName, $"journal-{round}.jsonl") : null;
                    var label = withJournal ? "with a journal" : "without a journal";
                    log.WriteLine($"[journal] round {round + 1}: {count:N0} pairs {label} ...");

                    // A fresh emulator for every run, so that no run pays for what an earlier one left in it.
                    await using var emulator = await StartEmulatorAsync().ConfigureAwait(false);
                    var result = await RunChildAsync(manifest, emulator.Endpoint, journal, resume: false).ConfigureAwait(false);
                    Verify(emulator, count, result, expectedStored: count);
                    log.WriteLine(string.Create(CultureInfo.InvariantCulture, $"[journal]   {result.ItemsPerSecond:F0} items/s, peak working set {result.PeakWorkingSetBytes / 1048576.0:F1} MB"));
                    results.Add((label, result));
                    lastJournal = journal ?? lastJournal;
                }
            }

            log.WriteLine("[journal] the same command again with the finished journal ...");
            await using (var emulator = await StartEmulatorAsync().ConfigureAwait(false))
            {
                var resumed = await RunChildAsync(manifest, emulator.Endpoint, lastJournal, resume: true).ConfigureAwait(false);
                if (resumed.AlreadyDone != count || emulator.GetLineage(emulator.DefaultTenantId).Count != 0)
                {
                    throw new InvalidOperationException($"The resumed run skipped {resumed.AlreadyDone} of {count} items and sent {emulator.GetLineage(emulator.DefaultTenantId).Count}.");
                }

                results.Add(("again with the finished journal (every item skipped, nothing sent)", resumed));
                log.WriteLine("[journal] the first pass over the manifest (SHA-256 and item count) ...");
                results.Add(("first pass over the manifest only (SHA-256 and item count, as the CLI makes it)", await RunChildAsync(manifest, emulator.Endpoint, null, resume: false, scanOnly: true).ConfigureAwait(false)));
            }

            return results;
        }
        finally
        {
            directory.Delete(recursive: true);
        }

        static Task<DataphinEmulator> StartEmulatorAsync()
        {
            var options = BenchmarkEmulator.Options(EmulatorQuotas.Disabled);
            options.MaxRecordedRequests = 0;
            return DataphinEmulator.StartAsync(options);
        }
    }

    /// <summary>
    /// The journal's own cost per item, without the network: <paramref name="count"/> items through the bulk runner
    /// over a client that answers at once, without and with a journal, alternately, <paramref name="rounds"/> times.
    /// Returns the fastest time per item of each (microseconds): the least disturbed by other work on the machine.
    /// </summary>
    public static async Task<(double Without, double With)> MeasureRecordCostAsync(int count, int rounds, TextWriter log)
    {
        var directory = Directory.CreateTempSubdirectory("dataphin-journal-cost-");
        try
        {
            var items = Commands.Pairs(count, fieldLineages: 0).Select((c, i) => new LineageItem(string.Create(CultureInfo.InvariantCulture, $"pair-{i}"), c)).ToList();
            double bestWithout = double.MaxValue, bestWith = double.MaxValue;
            for (var round = 0; round < rounds; round++)
            {
                foreach (var withJournal in round % 2 == 0 ? new[] { false, true } : [true, false])
                {
                    using var client = new InstantClient();
                    var journal = Path.Combine(directory.FullName, $"cost-{round}.jsonl");
                    using var store = withJournal ? FileBulkRunStore.Open(journal, new BulkRunIdentity("lineage add", new string('0', 64), count, "http://127.0.0.1:1/", Commands.TenantId), fresh: true) : null;
                    var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
                    var clock = Stopwatch.StartNew();
                    var summary = await new DataphinBulkLineage(client, Commands.TenantId).RunToSummaryAsync(items, new BulkOptions { MaxConcurrency = Concurrency, RunStore = store }).ConfigureAwait(false);
                    clock.Stop();
                    var allocatedPerItem = (GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore) / (double)count;
                    if (summary.Succeeded != count)
                    {
                        throw new InvalidOperationException($"{summary.Succeeded} of {count} succeeded.");
                    }

                    var perItem = clock.Elapsed.TotalMilliseconds * 1000 / count;
                    log.WriteLine(string.Create(CultureInfo.InvariantCulture, $"[journal] no network, {(withJournal ? "with" : "without")} a journal: {perItem:F1} µs and {allocatedPerItem:F0} bytes allocated per item"));
                    if (withJournal)
                    {
                        bestWith = Math.Min(bestWith, perItem);
                    }
                    else
                    {
                        bestWithout = Math.Min(bestWithout, perItem);
                    }
                }
            }

            return (bestWithout, bestWith);
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    /// <summary>The markdown rows of item 6: each run, and the mean of each mode with its ratio to the runs without a journal.</summary>
    public static IEnumerable<string> JournalRows(IReadOnlyList<(string Run, ScaleResult Result)> results)
    {
        yield return "| run | items | time | items/s | peak working set | allocated per item |";
        yield return "|---|---|---|---|---|---|";
        foreach (var (run, r) in results)
        {
            yield return string.Create(CultureInfo.InvariantCulture, $"| {run} | {r.Total:N0} | {r.Seconds:F1} s | {r.Total / r.Seconds:F0} | {r.PeakWorkingSetBytes / 1048576.0:F1} MB | {r.AllocatedBytes / (double)Math.Max(1, r.Total) / 1024:F1} KB |");
        }

        var without = results.Where(r => r.Run == "without a journal").Select(r => r.Result).ToList();
        var with = results.Where(r => r.Run == "with a journal").Select(r => r.Result).ToList();
        if (without.Count > 0 && with.Count > 0)
        {
            var rateWithout = without.Average(r => r.ItemsPerSecond);
            var rateWith = with.Average(r => r.ItemsPerSecond);
            var memoryWithout = without.Average(r => (double)r.PeakWorkingSetBytes);
            var memoryWith = with.Average(r => (double)r.PeakWorkingSetBytes);
            yield return string.Empty;
            yield return string.Create(CultureInfo.InvariantCulture, $"Mean of {with.Count} runs each: {rateWith:F0} items/s with a journal against {rateWithout:F0} without ({(1 - (rateWith / rateWithout)) * 100:F1}% slower); peak working set {memoryWith / 1048576.0:F1} MB against {memoryWithout / 1048576.0:F1} MB ({memoryWith / memoryWithout:F2}x).");
        }
    }

    /// <summary>The child process: runs one manifest against the endpoint and prints its figures as one JSON line.</summary>
    public static async Task<int> ChildAsync(string manifest, Uri endpoint, string? journal = null, bool resume = false, bool scanOnly = false)
    {
        if (scanOnly)
        {
            return await ScanChildAsync(manifest).ConfigureAwait(false);
        }

        var options = new DataphinClientOptions
        {
            Endpoint = endpoint,
            Credential = new DataphinCredential(DataphinEmulatorOptions.DefaultAccessKeyId, DataphinEmulatorOptions.DefaultAccessKeySecret),
        };
        options.RateLimit.Enabled = false;
        using var client = new DataphinClient(options);
        var bulk = new DataphinBulkLineage(client, DataphinEmulatorOptions.DefaultTenant);
        var clock = Stopwatch.StartNew();
        FileBulkRunStore? store = null;
        if (journal is not null)
        {
            // What the CLI records: the manifest's identity (its SHA-256 is part of the cost), then one line per item.
            string sha;
            await using (var file = File.OpenRead(manifest))
            {
                sha = await BulkRunIdentity.Sha256Async(file).ConfigureAwait(false);
            }

            var count = File.ReadLines(manifest).LongCount(l => l.Length > 0);
            // Each run has an emulator of its own on another port; the journal names one stand-in endpoint for all of them.
            store = FileBulkRunStore.Open(journal, new BulkRunIdentity("lineage add", sha, count, "http://127.0.0.1/emulator", DataphinEmulatorOptions.DefaultTenant), fresh: !resume);
        }

        BulkSummary summary;
        using (store)
        {
            summary = await bulk.RunToSummaryAsync(
                LineageManifestReader.ReadFileAsync(manifest, LineageManifestOperation.Add),
                new BulkOptions { MaxConcurrency = Concurrency, RunStore = store }).ConfigureAwait(false);
        }

        clock.Stop();
        using var process = Process.GetCurrentProcess();
        process.Refresh();
        var result = new ScaleResult(summary.Total, summary.Succeeded, summary.Failed + summary.SkippedInvalid + summary.Cancelled, clock.Elapsed.TotalSeconds, process.PeakWorkingSet64, GC.GetTotalAllocatedBytes()) { AlreadyDone = summary.AlreadyDone };
        Console.WriteLine(JsonSerializer.Serialize(result, ScaleResultJson.Default.ScaleResult));
        return result.NotSucceeded == 0 ? 0 : 1;
    }

    /// <summary>The first pass the CLI makes before sending: every byte hashed, the items counted (LineageManifestReader.CountItemsAsync).</summary>
    private static async Task<int> ScanChildAsync(string manifest)
    {
        var clock = Stopwatch.StartNew();
        string sha;
        await using (var file = File.OpenRead(manifest))
        {
            sha = await BulkRunIdentity.Sha256Async(file).ConfigureAwait(false);
        }

        long items;
        await using (var file = File.OpenRead(manifest))
        {
            items = await LineageManifestReader.CountItemsAsync(file, LineageManifestFormat.JsonLines).ConfigureAwait(false);
        }

        clock.Stop();
        using var process = Process.GetCurrentProcess();
        process.Refresh();
        var result = new ScaleResult(items, 0, 0, clock.Elapsed.TotalSeconds, process.PeakWorkingSet64, GC.GetTotalAllocatedBytes()) { Hash = sha };
        Console.WriteLine(JsonSerializer.Serialize(result, ScaleResultJson.Default.ScaleResult));
        return 0;
    }

    private static void Verify(DataphinEmulator emulator, int count, ScaleResult result, int expectedStored)
    {
        var stored = emulator.GetLineage(emulator.DefaultTenantId).Count;
        if (stored != expectedStored || result.Succeeded != count)
        {
            throw new InvalidOperationException($"{count} pairs offered, {result.Succeeded} reported succeeded, {stored} stored by the emulator.");
        }
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

    private static async Task<ScaleResult> RunChildAsync(string manifest, Uri endpoint, string? journal = null, bool resume = false, bool scanOnly = false)
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
        if (journal is not null)
        {
            start.ArgumentList.Add("--journal");
            start.ArgumentList.Add(journal);
        }

        if (resume)
        {
            start.ArgumentList.Add("--resume");
        }

        if (scanOnly)
        {
            start.ArgumentList.Add("--scan-only");
        }

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

/// <summary>A client that answers every call at once, so that only the bulk runner's own work (and its journal) is measured.</summary>
internal sealed class InstantClient : DataphinClient
{
    private static readonly Task<DataphinResponse> Answer = Task.FromResult(new DataphinResponse(200, "req", "OK", null, 200));

    public override Task<DataphinResponse> AddRegisterLineageAsync(long opTenantId, AddRegisterLineageCommand command, CancellationToken cancellationToken = default) => Answer;
}

/// <summary>The figures of one scale run, as the child process measured them.</summary>
internal sealed record ScaleResult(long Total, long Succeeded, long NotSucceeded, double Seconds, long PeakWorkingSetBytes, long AllocatedBytes)
{
    /// <summary>Items a run with a finished journal skipped.</summary>
    public long AlreadyDone { get; init; }

    /// <summary>The manifest's SHA-256, from the first-pass child (so that the work cannot be skipped).</summary>
    public string? Hash { get; init; }

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
