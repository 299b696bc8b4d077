using System.Diagnostics;
using System.Globalization;
using Dataphin.OpenApi.Bulk;
using Dataphin.OpenApi.Testing;

namespace Dataphin.OpenApi.Benchmarks;

/// <summary>
/// Item 4: 1,000 registrations offered at once against the emulator enforcing the Basic edition's Level 2 quota of
/// 20 QPS. Three runs side by side: the bulk runner with default client settings, 1,000 direct calls at once (with a
/// permit wait long enough for the queue), and the baseline of the same direct calls with client-side rate limiting
/// turned off (retries only), which is what a client without a token bucket does.
/// </summary>
internal static class QuotaScenario
{
    public const int Registrations = 1_000;
    public const double Level2Quota = 20;

    public static async Task<IReadOnlyList<QuotaResult>> RunAllAsync(TextWriter log)
    {
        var results = new List<QuotaResult>
        {
            await RunAsync("bulk runner, MaxConcurrency 32, default client", log, RunBulkAsync).ConfigureAwait(false),
            await RunAsync("1,000 direct calls at once, RateLimit.MaxWait 2 min", log, (client, emulator) => RunDirectAsync(client, emulator), maxWait: TimeSpan.FromMinutes(2)).ConfigureAwait(false),
            await RunAsync("baseline: 1,000 direct calls at once, client-side rate limiting off", log, (client, emulator) => RunDirectAsync(client, emulator), rateLimit: false).ConfigureAwait(false),
        };
        return results;
    }

    private static async Task<QuotaResult> RunAsync(
        string name,
        TextWriter log,
        Func<DataphinClient, DataphinEmulator, Task<int>> run,
        TimeSpan? maxWait = null,
        bool rateLimit = true)
    {
        log.WriteLine($"[quota] {name} ...");
        var options = BenchmarkEmulator.Options(EmulatorQuotas.ForEdition(EmulatorEdition.Basic));
        options.MaxRecordedRequests = 100_000;
        await using var emulator = await DataphinEmulator.StartAsync(options).ConfigureAwait(false);
        var clientOptions = new DataphinClientOptions
        {
            Endpoint = emulator.Endpoint,
            Credential = new DataphinCredential(emulator.AccessKeyId, emulator.AccessKeySecret),
            Edition = DataphinEdition.Basic,
        };
        clientOptions.RateLimit.Enabled = rateLimit;
        if (maxWait is { } wait)
        {
            clientOptions.RateLimit.MaxWait = wait;
            clientOptions.Timeouts.TotalTimeout = wait + TimeSpan.FromMinutes(1);
        }

        using var client = new DataphinClient(clientOptions);
        var clock = Stopwatch.StartNew();
        var errors = await run(client, emulator).ConfigureAwait(false);
        clock.Stop();

        var attempts = emulator.Requests.Where(r => r.Action == "AddRegisterLineage").ToList();
        var accepted = attempts.Where(r => r.Status == 200).ToList();
        var throttled = attempts.Count(r => r.Code == "Throttling.User");
        var span = accepted.Count > 1 ? (accepted.Max(r => r.ReceivedAt) - accepted.Min(r => r.ReceivedAt)).TotalSeconds : 0;
        var result = new QuotaResult(
            name,
            Offered: Registrations,
            Accepted: accepted.Count,
            Attempts: attempts.Count,
            ServerThrottled: throttled,
            ErrorsSurfaced: errors,
            Elapsed: clock.Elapsed,
            SteadyRate: span > 0 ? (accepted.Count - 1) / span : 0);
        log.WriteLine($"[quota]   {result.Accepted} accepted in {result.Elapsed.TotalSeconds:F1} s, {result.ServerThrottled} of {result.Attempts} attempts throttled, {result.ErrorsSurfaced} errors");
        return result;
    }

    private static async Task<int> RunBulkAsync(DataphinClient client, DataphinEmulator emulator)
    {
        var bulk = new DataphinBulkLineage(client, emulator.DefaultTenantId);
        var summary = await bulk.RunToSummaryAsync(LineageItem.FromCommands(Commands.Pairs(Registrations)), new BulkOptions { MaxConcurrency = 32 }).ConfigureAwait(false);
        if (summary.Total != Registrations)
        {
            throw new InvalidOperationException($"The bulk run reported {summary.Total} items for {Registrations} offered.");
        }

        return checked((int)(summary.Failed + summary.SkippedInvalid + summary.Cancelled));
    }

    private static async Task<int> RunDirectAsync(DataphinClient client, DataphinEmulator emulator)
    {
        var errors = 0;
        async Task CallAsync(AddRegisterLineageCommand command)
        {
            await Task.Yield();
            try
            {
                await client.AddRegisterLineageAsync(emulator.DefaultTenantId, command).ConfigureAwait(false);
            }
            catch (DataphinException)
            {
                Interlocked.Increment(ref errors);
            }
        }

        await Task.WhenAll(Commands.Pairs(Registrations).Select(CallAsync)).ConfigureAwait(false);
        return errors;
    }
}

/// <summary>The figures of one quota run.</summary>
internal sealed record QuotaResult(
    string Name,
    int Offered,
    int Accepted,
    int Attempts,
    int ServerThrottled,
    int ErrorsSurfaced,
    TimeSpan Elapsed,
    double SteadyRate)
{
    /// <summary>Accepted calls per second over the whole run, wall clock.</summary>
    public double WallRate => Accepted / Elapsed.TotalSeconds;

    public string ToMarkdownRow() => string.Create(
        CultureInfo.InvariantCulture,
        $"| {Name} | {Accepted} / {Offered} | {Elapsed.TotalSeconds:F1} s | {SteadyRate:F2} QPS ({SteadyRate / QuotaScenario.Level2Quota:F3}) | {WallRate:F2} QPS ({WallRate / QuotaScenario.Level2Quota:F3}) | {ServerThrottled} of {Attempts} ({(Attempts == 0 ? 0 : 100.0 * ServerThrottled / Attempts):F2}%) | {ErrorsSurfaced} |");

    public const string MarkdownHeader =
        "| run | accepted | time | achieved rate, first to last accepted (share of 20 QPS) | achieved rate, wall clock (share) | server-side throttling answers / attempts | errors surfaced |\n"
        + "|---|---|---|---|---|---|---|";
}
