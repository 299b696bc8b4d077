using System.Globalization;
using BenchmarkDotNet.Running;
using Dataphin.OpenApi.Benchmarks;
using Dataphin.OpenApi.Testing;

// Everything, the one command README gives:
//   dotnet run -c Release --project benchmarks/Dataphin.OpenApi.Benchmarks
// BenchmarkDotNet suites only (items 1-3), or some of them:
//   dotnet run -c Release --project benchmarks/Dataphin.OpenApi.Benchmarks -- --filter '*EndToEnd*'
// The scenarios only (item 4 quota, item 5 scale, item 7 journal; journal-cost: item 7's last row alone; item 8 limiter,
// which runs only when named):
//   dotnet run -c Release --project benchmarks/Dataphin.OpenApi.Benchmarks -- scenarios [quota] [scale] [journal] [limiter] [serve] [fleet]
if (args is [ScaleScenario.ChildCommand, var manifest, var endpoint, .. var flags])
{
    var journal = Array.IndexOf(flags, "--journal") is var at and >= 0 ? flags[at + 1] : null;
    return await ScaleScenario.ChildAsync(manifest, new Uri(endpoint), journal, flags.Contains("--resume"), flags.Contains("--scan-only"));
}

if (args is [ServeScenario.ChildCommand, var emulatorEndpoint, var serveState])
{
    return await ServeScenario.ChildAsync(new Uri(emulatorEndpoint), serveState);
}

if (args is [FleetScenario.ChildCommand, var fleetEndpoint, var prefix, var fleetSeconds, var redis])
{
    return await FleetScenario.ChildAsync(new Uri(fleetEndpoint), prefix, double.Parse(fleetSeconds, CultureInfo.InvariantCulture), redis == "-" ? null : redis);
}

var runAll = args.Length == 0 || args is ["all"];
var scenarios = runAll ? ["quota", "scale", "journal"] : args is ["scenarios", .. var named] ? (named.Length == 0 ? ["quota", "scale", "journal"] : named) : [];
if (runAll || scenarios.Length == 0)
{
    // One emulator with quotas off for the end-to-end benchmark, outside the processes BenchmarkDotNet measures.
    await using var emulator = await DataphinEmulator.StartAsync(BenchmarkEmulator.Options(EmulatorQuotas.Disabled));
    Environment.SetEnvironmentVariable(BenchmarkEmulator.QuotasOffVariable, emulator.Endpoint.ToString());
    BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(runAll ? ["--filter", "*"] : args);
}

if (scenarios.Length > 0)
{
    var report = new List<string> { $"# Scenarios ({DateTimeOffset.UtcNow:yyyy-MM-dd HH:mm} UTC, {Environment.ProcessorCount} cores, .NET {Environment.Version})", string.Empty };
    if (scenarios.Contains("quota"))
    {
        var results = await QuotaScenario.RunAllAsync(Console.Out);
        report.Add($"## Item 4: {QuotaScenario.Registrations:N0} registrations against the emulator's Level 2 quota of {QuotaScenario.Level2Quota} QPS");
        report.Add(string.Empty);
        report.Add(QuotaResult.MarkdownHeader);
        report.AddRange(results.Select(r => r.ToMarkdownRow()));
        report.Add(string.Empty);
    }

    if (scenarios.Contains("limiter"))
    {
        // 60 s per run unless DATAPHIN_LIMITER_SECONDS says otherwise.
        var seconds = int.TryParse(Environment.GetEnvironmentVariable("DATAPHIN_LIMITER_SECONDS"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var s) ? s : 60;
        var results = await LimiterScenario.RunAllAsync(TimeSpan.FromSeconds(seconds), Console.Out);
        report.Add($"## Item 8: the adaptive limiter against a real Level 2 quota below the configured {LimiterScenario.Configured} QPS");
        report.Add(string.Empty);
        report.AddRange(results.Select(r => r.ToMarkdown()));
    }

    if (scenarios.Contains("fleet"))
    {
        // 30 s per run unless DATAPHIN_FLEET_SECONDS says otherwise; runs only when named.
        var seconds = int.TryParse(Environment.GetEnvironmentVariable("DATAPHIN_FLEET_SECONDS"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var f) ? f : 30;
        var rows = await FleetScenario.RunAllAsync(TimeSpan.FromSeconds(seconds), Console.Out);
        report.Add($"## Item 10: 1, 2, 4 and 8 processes on one AccessKey against the Level 2 quota of {FleetScenario.Quota} QPS, each alone or sharing it through Redis ({seconds} s each)");
        report.Add(string.Empty);
        report.Add(FleetScenario.MarkdownHeader);
        report.AddRange(rows);
        report.Add(string.Empty);
    }

    if (scenarios.Contains("scale"))
    {
        var results = await ScaleScenario.RunAllAsync([1_000, 10_000, 100_000], Console.Out);
        report.Add($"## Item 5: bulk run from a JSON Lines manifest, emulator quotas off, MaxConcurrency {ScaleScenario.Concurrency}");
        report.Add(string.Empty);
        report.Add(ScaleResult.MarkdownHeader);
        report.AddRange(results.Select(r => r.ToMarkdownRow(results[0])));
        report.Add(string.Empty);
    }

    if (scenarios.Contains("serve"))
    {
        // 30 s per run unless DATAPHIN_SERVE_SECONDS says otherwise.
        var seconds = int.TryParse(Environment.GetEnvironmentVariable("DATAPHIN_SERVE_SECONDS"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var s) ? s : 30;
        var duration = TimeSpan.FromSeconds(seconds);
        var results = new List<ServeResult>
        {
            await ServeScenario.RunAsync("every event a new table pair", int.MaxValue, duration, Console.Out),
            await ServeScenario.RunAsync("200 jobs, each run again and again", 200, duration, Console.Out),
        };
        report.Add($"## Item 10: the OpenLineage endpoint, {ServeScenario.Rate:N0} events/s posted for {seconds} s, forwarding at the Basic edition's Level 2 quota (20 QPS)");
        report.Add(string.Empty);
        report.Add(ServeResult.MarkdownHeader);
        report.AddRange(results.Select(r => r.ToMarkdownRow()));
        report.Add(string.Empty);
    }

    if (scenarios.Contains("journal-cost"))
    {
        await ScaleScenario.MeasureRecordCostAsync(100_000, rounds: 4, Console.Out);
    }

    if (scenarios.Contains("journal"))
    {
        var (without, with) = await ScaleScenario.MeasureRecordCostAsync(100_000, rounds: 4, Console.Out);
        var results = await ScaleScenario.RunJournalComparisonAsync(100_000, rounds: 5, Console.Out);
        report.Add($"## Item 7: the run journal's cost on 100,000 pairs, emulator quotas off, MaxConcurrency {ScaleScenario.Concurrency}");
        report.Add(string.Empty);
        report.AddRange(ScaleScenario.JournalRows(results));
        report.Add(string.Empty);
        report.Add(string.Create(CultureInfo.InvariantCulture, $"Without the network (a client that answers at once), best of 4: {without:F1} µs per item without a journal, {with:F1} µs with one: the journal costs {with - without:F1} µs per item."));
        report.Add(string.Empty);
    }

    var path = Path.Combine("BenchmarkDotNet.Artifacts", "results", "scenarios-report.md");
    Directory.CreateDirectory(Path.GetDirectoryName(path)!);
    await File.WriteAllLinesAsync(path, report);
    Console.WriteLine();
    Console.WriteLine(string.Join(Environment.NewLine, report));
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Written to {Path.GetFullPath(path)}"));
}

return 0;
