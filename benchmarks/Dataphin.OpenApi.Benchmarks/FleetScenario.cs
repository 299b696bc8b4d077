using System.Diagnostics;
using System.Globalization;
using Dataphin.OpenApi.Redis;
using Dataphin.OpenApi.Testing;

namespace Dataphin.OpenApi.Benchmarks;

/// <summary>
/// Item 10 (issue 14): N real processes (1, 2, 4, 8) sharing one AccessKey and tenant against the emulator enforcing
/// the Level 2 quota (20 QPS), each with 8 callers registering lineage for a fixed time; once pacing alone (the
/// in-process limiter), once sharing the quota through a redis-server of the scenario's own. Reports the share of the
/// quota achieved and the share of attempts the emulator throttled. Also the cost of one permit: the Redis round trip
/// on loopback next to the in-process bucket, with a quota so high that nobody waits.
/// </summary>
internal static class FleetScenario
{
    public const string ChildCommand = "fleet-child";
    public const double Quota = 20;

    public static readonly int[] Counts = [1, 2, 4, 8];

    public static string MarkdownHeader => "| processes | quota shared through | achieved | share of the quota | attempts throttled |\n|---|---|---|---|---|";

    /// <summary>A child: 8 callers registering distinct pairs until the deadline; Redis when a connection string is given.</summary>
    public static async Task<int> ChildAsync(Uri endpoint, string prefix, double seconds, string? redis)
    {
        using var fleet = redis is null ? null : new DataphinRedisRateLimiterProvider(redis, new DataphinRedisRateLimitOptions { ExpectedFleetSize = 4 });
        var options = new DataphinClientOptions { Edition = DataphinEdition.Basic };
        options.RateLimit.Provider = fleet;
        options.RateLimit.MaxWait = TimeSpan.FromMinutes(2);
        using var client = new DataphinClient(endpoint, new DataphinCredential(DataphinEmulatorOptions.DefaultAccessKeyId, DataphinEmulatorOptions.DefaultAccessKeySecret), options);
        var deadline = TimeProvider.System.GetTimestamp() + (long)(seconds * TimeProvider.System.TimestampFrequency);
        var next = -1;
        var errors = 0;
        async Task CallerAsync()
        {
            while (TimeProvider.System.GetTimestamp() < deadline)
            {
                var item = Interlocked.Increment(ref next);
                var command = new AddRegisterLineageCommand(
                    AssetReference.ByGuid($"odps.300001234.ods.{prefix}_src_{item}"),
                    AssetReference.ByGuid($"odps.300001234.dw.{prefix}_dst_{item}"));
                try
                {
                    await client.AddRegisterLineageAsync(DataphinEmulatorOptions.DefaultTenant, command);
                }
                catch (DataphinException)
                {
                    Interlocked.Increment(ref errors);
                }
            }
        }

        await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(CallerAsync)));
        Console.WriteLine(errors.ToString(CultureInfo.InvariantCulture));
        return 0;
    }

    public static async Task<List<string>> RunAllAsync(TimeSpan length, TextWriter log)
    {
        var rows = new List<string>();
        var redis = await LocalRedis.StartAsync();
        try
        {
            foreach (var count in Counts)
            {
                foreach (var shared in new[] { false, true })
                {
                    await using var emulator = await DataphinEmulator.StartAsync(new DataphinEmulatorOptions { Quotas = EmulatorQuotas.ForEdition(EmulatorEdition.Basic), MaxRecordedRequests = 100_000 });
                    var children = Enumerable.Range(0, count).Select(p => Start(emulator.Endpoint, $"n{count}{(shared ? "r" : "l")}p{p}", length.TotalSeconds, shared ? redis.ConnectionString : null)).ToList();
                    foreach (var child in children)
                    {
                        await child.WaitForExitAsync();
                        child.Dispose();
                    }

                    var attempts = emulator.Requests.Where(r => r.Action == "AddRegisterLineage").ToList();
                    var accepted = attempts.Where(r => r.Status == 200).ToList();
                    var throttled = attempts.Count(r => r.Code == "Throttling.User");
                    var span = accepted.Count < 2 ? 1 : (accepted.Max(r => r.ReceivedAt) - accepted.Min(r => r.ReceivedAt)).TotalSeconds;
                    var rate = (accepted.Count - 1) / span;
                    var row = string.Create(CultureInfo.InvariantCulture, $"| {count} | {(shared ? "Redis" : "nothing (each alone)")} | {rate:F2} QPS | {rate / Quota:P1} | {throttled} of {attempts.Count} ({(attempts.Count == 0 ? 0 : (double)throttled / attempts.Count):P2}) |");
                    log.WriteLine(row);
                    rows.Add(row);
                }
            }

            rows.Add(string.Empty);
            rows.Add(await PermitCostAsync(redis.ConnectionString, log));
        }
        finally
        {
            redis.Stop();
        }

        return rows;
    }

    /// <summary>The cost of a permit: 5,000 in a row, best of 3, through Redis on loopback and through the in-process bucket.</summary>
    private static async Task<string> PermitCostAsync(string redis, TextWriter log)
    {
        using var provider = new DataphinRedisRateLimiterProvider(redis, new DataphinRedisRateLimitOptions { Timeout = TimeSpan.FromSeconds(5) });
        var quota = new DataphinRateLimitQuota(10_000_000, 10_000_000, adaptive: true);
        var shared = provider.GetLimiter(new DataphinRateLimitKey("cost:443", 1, "cost-redis", ThrottlingLevel.Level2), quota, TimeProvider.System);
        var local = DataphinRateLimiterProvider.InProcess.GetLimiter(new DataphinRateLimitKey("cost:443", 1, "cost-local", ThrottlingLevel.Level2), quota, TimeProvider.System);
        await shared.AcquireAsync(TimeSpan.FromSeconds(5), CancellationToken.None); // Connect and load the script.
        var redisMicros = double.MaxValue;
        var localMicros = double.MaxValue;
        for (var round = 0; round < 3; round++)
        {
            redisMicros = Math.Min(redisMicros, await MicrosPerPermitAsync(shared, 5_000));
            localMicros = Math.Min(localMicros, await MicrosPerPermitAsync(local, 5_000));
        }

        var text = string.Create(CultureInfo.InvariantCulture, $"One permit, best of 3 rounds of 5,000 taken one after another: {redisMicros:F1} µs through Redis on loopback, {localMicros:F2} µs from the in-process bucket.");
        log.WriteLine(text);
        return text;
    }

    private static async Task<double> MicrosPerPermitAsync(DataphinRateLimiter limiter, int count)
    {
        var start = TimeProvider.System.GetTimestamp();
        for (var i = 0; i < count; i++)
        {
            var permit = await limiter.AcquireAsync(TimeSpan.FromSeconds(5), CancellationToken.None);
            if (!permit.IsGranted)
            {
                throw new InvalidOperationException("A permit was refused.");
            }
        }

        return TimeProvider.System.GetElapsedTime(start).TotalMicroseconds / count;
    }

    private static Process Start(Uri endpoint, string prefix, double seconds, string? redis)
    {
        var start = new ProcessStartInfo(Environment.ProcessPath!) { UseShellExecute = false, RedirectStandardOutput = true };
        foreach (var arg in new[] { typeof(FleetScenario).Assembly.Location, ChildCommand, endpoint.ToString(), prefix, seconds.ToString(CultureInfo.InvariantCulture), redis ?? "-" })
        {
            start.ArgumentList.Add(arg);
        }

        if (!Environment.ProcessPath!.EndsWith("dotnet", StringComparison.Ordinal))
        {
            start.ArgumentList.RemoveAt(0); // An apphost: the assembly is the program itself.
        }

        return Process.Start(start) ?? throw new InvalidOperationException("The child did not start.");
    }

    /// <summary>A redis-server of the scenario's own, on a free loopback port, without persistence.</summary>
    private sealed class LocalRedis(Process process, int port)
    {
        public string ConnectionString => "127.0.0.1:" + port.ToString(CultureInfo.InvariantCulture);

        public static async Task<LocalRedis> StartAsync()
        {
            using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
            listener.Start();
            var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
            listener.Stop();
            var start = new ProcessStartInfo("redis-server") { UseShellExecute = false, RedirectStandardOutput = true };
            foreach (var arg in new[] { "--port", port.ToString(CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--save", string.Empty, "--appendonly", "no" })
            {
                start.ArgumentList.Add(arg);
            }

            var process = Process.Start(start) ?? throw new InvalidOperationException("redis-server did not start (install the Debian package redis-server).");
            while (await process.StandardOutput.ReadLineAsync() is { } line)
            {
                if (line.Contains("Ready to accept connections", StringComparison.Ordinal))
                {
                    _ = process.StandardOutput.ReadToEndAsync();
                    return new LocalRedis(process, port);
                }
            }

            throw new InvalidOperationException("redis-server ended before it was ready.");
        }

        public void Stop()
        {
            process.Kill();
            process.WaitForExit();
            process.Dispose();
        }
    }
}
