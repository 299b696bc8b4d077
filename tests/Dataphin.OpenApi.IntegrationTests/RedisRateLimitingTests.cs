using System.Diagnostics.Metrics;
using Dataphin.OpenApi.IntegrationTests.Support;
using Dataphin.OpenApi.Redis;
using Dataphin.OpenApi.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Dataphin.OpenApi.IntegrationTests;

/// <summary>
/// Issue 14: the shared budget in a real redis-server (started per test on a free loopback port, no persistence),
/// driven on a fake clock: the script takes its time from the client's clock, so every wait it answers is exact.
/// Two providers with their own connections stand for two processes.
/// </summary>
public sealed class RedisRateLimitingTests : IAsyncDisposable
{
    private static readonly TimeSpan Guard = TimeSpan.FromSeconds(20);
    private static readonly DataphinRateLimitQuota Level2 = new(20, 1, adaptive: true);
    private readonly ManualTimeProvider _clock = new();
    private readonly DataphinRateLimitKey _key = new("dataphin-public.cn-hangzhou.aliyuncs.com:443", 300001234, "LTAI5tFleetKeyId", ThrottlingLevel.Level2);
    private readonly List<IDisposable> _disposables = [];

    public async ValueTask DisposeAsync()
    {
        foreach (var disposable in _disposables)
        {
            disposable.Dispose();
        }

        await Task.CompletedTask;
    }

    [Fact]
    public async Task Two_processes_draw_from_one_budget_and_each_waits_exactly_its_turn()
    {
        await using var redis = await RedisServer.StartAsync();
        if (redis is null)
        {
            return; // redis-server is not installed (outside CI): nothing to run against.
        }

        var a = Limiter(await ProviderAsync(redis));
        var b = Limiter(await ProviderAsync(redis));

        var first = await a.AcquireAsync(TimeSpan.FromSeconds(5), CancellationToken.None).AsTask().WaitAsync(Guard);
        var second = await AcquireOnClockAsync(b, TimeSpan.FromMilliseconds(50));
        var third = await AcquireOnClockAsync(a, TimeSpan.FromMilliseconds(50));

        Assert.True(first.IsGranted);
        Assert.Equal(TimeSpan.Zero, first.Waited);
        Assert.True(second.IsGranted);
        Assert.Equal(TimeSpan.FromMilliseconds(50), second.Waited);
        Assert.True(third.IsGranted);
        Assert.Equal(TimeSpan.FromMilliseconds(50), third.Waited);
        Assert.Equal(20, a.CurrentRate, 6);
    }

    [Fact]
    public async Task A_wait_longer_than_the_budget_is_refused_with_the_estimate_and_reserves_nothing()
    {
        await using var redis = await RedisServer.StartAsync();
        if (redis is null)
        {
            return;
        }

        var a = Limiter(await ProviderAsync(redis));
        var b = Limiter(await ProviderAsync(redis));
        await a.AcquireAsync(TimeSpan.FromSeconds(5), CancellationToken.None).AsTask().WaitAsync(Guard);

        var refused = await b.AcquireAsync(TimeSpan.FromMilliseconds(10), CancellationToken.None).AsTask().WaitAsync(Guard);
        var next = await AcquireOnClockAsync(b, TimeSpan.FromMilliseconds(50));

        Assert.False(refused.IsGranted);
        Assert.Equal(TimeSpan.FromMilliseconds(50), refused.EstimatedWait);
        Assert.Equal(TimeSpan.FromMilliseconds(50), next.Waited); // Not 100 ms: the refusal took no place in line.
    }

    [Fact]
    public async Task A_cancelled_waiter_gives_its_place_back_to_the_fleet()
    {
        await using var redis = await RedisServer.StartAsync();
        if (redis is null)
        {
            return;
        }

        var a = (RedisRateLimiter)Limiter(await ProviderAsync(redis));
        var b = Limiter(await ProviderAsync(redis));
        await a.AcquireAsync(TimeSpan.FromSeconds(5), CancellationToken.None).AsTask().WaitAsync(Guard);
        using var cancel = new CancellationTokenSource();

        var waiting = a.AcquireAsync(TimeSpan.FromSeconds(5), cancel.Token).AsTask();
        await _clock.TimerCreated.WaitAsync(Guard);
        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting.WaitAsync(Guard));
        await a.PendingReport.WaitAsync(Guard);
        var next = await AcquireOnClockAsync(b, TimeSpan.FromMilliseconds(50));

        Assert.Equal(TimeSpan.FromMilliseconds(50), next.Waited); // Not 100 ms: the cancelled reservation was given back.
    }

    [Fact]
    public async Task A_throttle_seen_by_one_process_slows_every_process_once_and_the_recovery_is_shared()
    {
        await using var redis = await RedisServer.StartAsync();
        if (redis is null)
        {
            return;
        }

        var a = (RedisRateLimiter)Limiter(await ProviderAsync(redis));
        var b = (RedisRateLimiter)Limiter(await ProviderAsync(redis));

        // One second at the quota: 20 permits, 50 ms apart.
        var permits = new List<DataphinRatePermit> { await a.AcquireAsync(TimeSpan.FromSeconds(5), CancellationToken.None).AsTask().WaitAsync(Guard) };
        for (var i = 1; i < 20; i++)
        {
            permits.Add(await AcquireOnClockAsync(i % 2 == 0 ? a : b, TimeSpan.FromMilliseconds(50)));
        }

        a.OnThrottled(permits[^1]);
        await a.PendingReport.WaitAsync(Guard);
        var afterCut = await b.ReadSharedRateAsync().WaitAsync(Guard);
        b.OnThrottled(permits[^2]); // Reserved before the cut: the same congestion, no second cut.
        await b.PendingReport.WaitAsync(Guard);
        var afterSecondReport = await a.ReadSharedRateAsync().WaitAsync(Guard);

        // W_max = 0.9 x the 20 per second sent; the rate is cut to 0.7 of it.
        Assert.Equal(20 * 0.9 * 0.7, afterCut, 3);
        Assert.Equal(afterCut, afterSecondReport, 6);
        Assert.Equal(afterCut, b.CurrentRate, 6);
        Assert.Equal(afterCut, a.CurrentRate, 6);
        var slotGiven = await AcquireOnClockAsync(b, TimeSpan.FromMilliseconds(50)); // The slot after the last permit was set at the old rate.
        var slower = await AcquireOnClockAsync(a, TimeSpan.FromMilliseconds(80)); // 1 / 12.6 s = 79.37 ms, waited in whole milliseconds, never less.
        Assert.Equal(TimeSpan.FromMilliseconds(50), slotGiven.Waited);
        Assert.Equal(TimeSpan.FromMilliseconds(80), slower.Waited);

        _clock.Advance(TimeSpan.FromSeconds(3)); // Past the cubic recovery (2.4 s): at W_max, on its plateau.
        Assert.Equal(18, await a.ReadSharedRateAsync().WaitAsync(Guard), 6);
        _clock.Advance(TimeSpan.FromSeconds(18)); // The plateau (6 s: doubled, the estimate is near the last W_max) and the probe (12 s): back at the quota.
        Assert.Equal(20, await b.ReadSharedRateAsync().WaitAsync(Guard), 6);
    }

    [Fact]
    public async Task Only_a_hash_of_the_key_is_written_to_Redis()
    {
        await using var redis = await RedisServer.StartAsync();
        if (redis is null)
        {
            return;
        }

        var provider = await ProviderAsync(redis);
        await Limiter(provider).AcquireAsync(TimeSpan.FromSeconds(5), CancellationToken.None).AsTask().WaitAsync(Guard);
        using var connection = await ConnectionMultiplexer.ConnectAsync(redis.ConnectionString + ",allowAdmin=true");
        var keys = connection.GetServer(connection.GetEndPoints()[0]).Keys(pattern: "*").Select(k => k.ToString()).ToList();

        var key = Assert.Single(keys);
        Assert.Equal("dataphin:ratelimit:{" + _key.ToHashedId() + "}", key);
        Assert.Equal(provider.RedisKeyFor(_key), key);
        var stored = string.Join(" ", connection.GetDatabase().HashGetAll(key).Select(e => e.Name + "=" + e.Value));
        Assert.DoesNotContain("LTAI5tFleetKeyId", key + stored, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("300001234", key + stored, StringComparison.Ordinal);
        Assert.DoesNotContain("aliyuncs", key + stored, StringComparison.Ordinal);
        Assert.True(await connection.GetDatabase().KeyTimeToLiveAsync(key) > TimeSpan.Zero); // Idle budgets expire.
    }

    [Fact]
    public async Task With_Redis_killed_calls_go_on_at_the_fallback_share_with_one_warning_and_the_shared_budget_returns_when_Redis_answers()
    {
        await using var redis = await RedisServer.StartAsync();
        if (redis is null)
        {
            return;
        }

        var logs = new FakeLoggerProvider();
        using var loggerFactory = new LoggerFactory([logs]);
        var provider = await ProviderAsync(redis, o => o.ExpectedFleetSize = 4, loggerFactory);
        var limiter = (RedisRateLimiter)Limiter(provider);
        var connection = await provider.Connection!.WaitAsync(Guard);
        double fallbackSeconds = 0;
        using var listener = FallbackListener(value => fallbackSeconds += value);
        await limiter.AcquireAsync(TimeSpan.FromSeconds(5), CancellationToken.None).AsTask().WaitAsync(Guard);
        Assert.False(limiter.InFallback);

        var lost = Event(h => connection.ConnectionFailed += h, h => connection.ConnectionFailed -= h);
        await redis.KillAsync();
        await lost.WaitAsync(Guard);
        var outageStart = _clock.GetUtcNow();

        // Twenty calls, none failing: the first at once, then one every 200 ms (20 per second / 4 processes).
        var firstLocal = await limiter.AcquireAsync(TimeSpan.FromSeconds(5), CancellationToken.None).AsTask().WaitAsync(Guard);
        Assert.True(firstLocal.IsGranted);
        Assert.Equal(TimeSpan.Zero, firstLocal.Waited);
        var waits = new List<TimeSpan>();
        for (var i = 1; i < 20; i++)
        {
            var permit = await _clock.DriveAsync(limiter.AcquireAsync(TimeSpan.FromSeconds(5), CancellationToken.None).AsTask(), TimeSpan.FromSeconds(1));
            Assert.True(permit.IsGranted);
            waits.Add(permit.Waited);
        }

        Assert.True(limiter.InFallback);
        Assert.Equal(5, limiter.CurrentRate, 6);
        Assert.All(waits.Skip(2), w => Assert.Equal(TimeSpan.FromMilliseconds(200), w));
        Assert.True(Math.Abs(3.8 - (_clock.GetUtcNow() - outageStart).TotalSeconds) < 1e-6, string.Join(",", waits.Select(w => w.TotalMilliseconds)) + "\n" + string.Join("\n", logs.Collector.GetSnapshot().Select(r => r.Message))); // 19 x 200 ms: the calls asked Redis again (each second) without waiting for it.
        var warning = Assert.Single(logs.Collector.GetSnapshot(), r => r.Level == LogLevel.Warning);
        Assert.Contains("each process now paces itself alone at 25", warning.Message, StringComparison.Ordinal);
        Assert.Contains(redis.ConnectionString, warning.Message, StringComparison.Ordinal);

        await redis.RestartAsync();
        await ReadyAsync(connection);
        _clock.Advance(TimeSpan.FromSeconds(1)); // The retry interval: the next call asks Redis.
        var shared = await limiter.AcquireAsync(TimeSpan.FromSeconds(5), CancellationToken.None).AsTask().WaitAsync(Guard);

        Assert.True(shared.IsGranted);
        Assert.False(limiter.InFallback, string.Join("\n", logs.Collector.GetSnapshot().Select(r => r.Message)));
        Assert.Equal(20, limiter.CurrentRate, 6);
        Assert.True(await connection.GetDatabase().KeyExistsAsync(provider.RedisKeyFor(_key))); // The new server holds the budget again.
        Assert.Equal((_clock.GetUtcNow() - outageStart).TotalSeconds, fallbackSeconds, 6);
        Assert.Single(logs.Collector.GetSnapshot(), r => r.Level == LogLevel.Warning);
        Assert.Contains(logs.Collector.GetSnapshot(), r => r.Level == LogLevel.Information && r.Message.Contains("answers again", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_Redis_that_stops_answering_holds_no_call_up_longer_than_the_timeout()
    {
        await using var redis = await RedisServer.StartAsync();
        if (redis is null)
        {
            return;
        }

        var provider = await ProviderAsync(redis, o => o.Timeout = TimeSpan.FromMilliseconds(200));
        var limiter = (RedisRateLimiter)Limiter(provider);
        await limiter.AcquireAsync(TimeSpan.FromSeconds(5), CancellationToken.None).AsTask().WaitAsync(Guard);

        await redis.SignalAsync("-STOP"); // There, connected, silent.
        var permit = await limiter.AcquireAsync(TimeSpan.FromSeconds(5), CancellationToken.None).AsTask().WaitAsync(Guard);

        Assert.True(permit.IsGranted);
        Assert.True(limiter.InFallback);
        await redis.SignalAsync("-CONT");
    }

    [Fact]
    public async Task A_password_in_the_connection_string_never_reaches_the_log()
    {
        var logs = new FakeLoggerProvider();
        using var loggerFactory = new LoggerFactory([logs]);
        var port = RedisServer.FreePort(); // Nobody listens there.
        using var provider = new DataphinRedisRateLimiterProvider($"127.0.0.1:{port},password=Pw-never-logged-7c1e,user=fleet", new() { Timeout = TimeSpan.FromMilliseconds(100) }, loggerFactory);

        var permit = await provider.GetLimiter(_key, Level2, _clock).AcquireAsync(TimeSpan.FromSeconds(5), CancellationToken.None).AsTask().WaitAsync(Guard);

        Assert.True(permit.IsGranted);
        var warning = Assert.Single(logs.Collector.GetSnapshot(), r => r.Level == LogLevel.Warning);
        Assert.Contains($"127.0.0.1:{port}", warning.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("Pw-never-logged-7c1e", string.Join("\n", logs.Collector.GetSnapshot().Select(r => r.Message + r.Exception)), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("ExpectedFleetSize", "ExpectedFleetSize must be between 1 and 10,000; it was 0.")]
    [InlineData("FallbackShare", "FallbackShare must be above 0 and at most 1; it was 1.5.")]
    [InlineData("Timeout", "Timeout must be between 10 ms and 30 s; it was 0 ms.")]
    [InlineData("ConnectTimeout", "ConnectTimeout must be between 10 ms and 30 s; it was 60000 ms.")]
    [InlineData("RetryInterval", "RetryInterval must be between 10 ms and 5 minutes; it was 600000 ms.")]
    [InlineData("KeyPrefix", "KeyPrefix must be 1 to 100 characters without braces or white space; it was 'a{b'.")]
    public void A_setting_out_of_range_is_refused_before_anything_is_sent_naming_it_and_its_rule(string setting, string message)
    {
        var options = new DataphinRedisRateLimitOptions();
        switch (setting)
        {
            case "ExpectedFleetSize": options.ExpectedFleetSize = 0; break;
            case "FallbackShare": options.FallbackShare = 1.5; break;
            case "Timeout": options.Timeout = TimeSpan.Zero; break;
            case "ConnectTimeout": options.ConnectTimeout = TimeSpan.FromMinutes(1); break;
            case "RetryInterval": options.RetryInterval = TimeSpan.FromMinutes(10); break;
            default: options.KeyPrefix = "a{b"; break;
        }

        var error = Assert.Throws<ArgumentException>(() => new DataphinRedisRateLimiterProvider("127.0.0.1:1", options));
        var viaDi = Assert.Throws<ArgumentException>(() => new ServiceCollection().AddDataphinClient(o => { }).UseRedisRateLimiting("127.0.0.1:1", o => Copy(options, o)));

        Assert.Equal(setting, error.ParamName);
        Assert.StartsWith(message, error.Message, StringComparison.Ordinal);
        Assert.Equal(setting, viaDi.ParamName);
    }

    [Theory]
    [InlineData("", "must not be empty")]
    [InlineData("  ", "must not be empty")]
    [InlineData("localhost:6379,notAnOption=1", "is not valid")]
    [InlineData("abortConnect=false", "names no server")]
    public void A_connection_string_that_cannot_work_is_refused_naming_the_rule(string configuration, string rule)
    {
        var error = Assert.Throws<ArgumentException>(() => new DataphinRedisRateLimiterProvider(configuration));

        Assert.Equal("configuration", error.ParamName);
        Assert.Contains(rule, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_client_registered_with_UseRedisRateLimiting_takes_its_permits_from_Redis()
    {
        await using var redis = await RedisServer.StartAsync();
        if (redis is null)
        {
            return;
        }

        await using var emulator = await DataphinEmulator.StartAsync(new DataphinEmulatorOptions { Quotas = EmulatorQuotas.ForEdition(EmulatorEdition.Basic) });
        var services = new ServiceCollection();
        services.AddDataphinClient("fleet", o =>
        {
            o.Endpoint = emulator.Endpoint;
            o.Credential = new DataphinCredential(emulator.AccessKeyId, emulator.AccessKeySecret);
        }).UseRedisRateLimiting(redis.ConnectionString, o => o.ExpectedFleetSize = 2);
        DataphinRedisRateLimiterProvider provider;
        await using (var container = services.BuildServiceProvider())
        {
            var options = container.GetRequiredService<IOptionsMonitor<DataphinClientOptions>>().Get("fleet");
            provider = Assert.IsType<DataphinRedisRateLimiterProvider>(options.RateLimit.Provider);
            Assert.Equal(2, provider.Options.ExpectedFleetSize);
            var client = container.GetRequiredService<IDataphinClientFactory>().CreateClient("fleet");

            await client.AddRegisterLineageAsync(emulator.DefaultTenantId, Lineages.Add()).WaitAsync(Guard);

            using var connection = await ConnectionMultiplexer.ConnectAsync(redis.ConnectionString);
            var key = new DataphinRateLimitKey($"{emulator.Endpoint.Host}:{emulator.Endpoint.Port}", emulator.DefaultTenantId, emulator.AccessKeyId, ThrottlingLevel.Level2);
            Assert.True(await connection.GetDatabase().KeyExistsAsync(provider.RedisKeyFor(key)));
            Assert.Single(emulator.GetLineage(emulator.DefaultTenantId));
        }

        // Disposed with the container: its connection is closed, and a call now paces itself alone.
        var afterwards = await provider.GetLimiter(_key, Level2, _clock).AcquireAsync(TimeSpan.FromSeconds(1), CancellationToken.None).AsTask().WaitAsync(Guard);
        Assert.True(afterwards.IsGranted);
    }

    private static void Copy(DataphinRedisRateLimitOptions from, DataphinRedisRateLimitOptions to)
    {
        to.ExpectedFleetSize = from.ExpectedFleetSize;
        to.FallbackShare = from.FallbackShare;
        to.Timeout = from.Timeout;
        to.ConnectTimeout = from.ConnectTimeout;
        to.RetryInterval = from.RetryInterval;
        to.KeyPrefix = from.KeyPrefix;
    }

    private static Task Event(Action<EventHandler<ConnectionFailedEventArgs>> add, Action<EventHandler<ConnectionFailedEventArgs>> remove)
    {
        var raised = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        EventHandler<ConnectionFailedEventArgs> handler = (_, _) => raised.TrySetResult();
        add(handler);
        return raised.Task.ContinueWith(_ => remove(handler), TaskScheduler.Default);
    }

    private static MeterListener FallbackListener(Action<double> record)
    {
        var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Name == DataphinTelemetry.MeterName && instrument.Name == "dataphin.client.rate_limit.fallback.duration")
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        listener.SetMeasurementEventCallback<double>((_, value, _, _) => record(value));
        listener.Start();
        return listener;
    }

    /// <summary>A provider whose connection is up (it connects in the background; a call made before would pace itself alone).</summary>
    private async Task<DataphinRedisRateLimiterProvider> ProviderAsync(RedisServer redis, Action<DataphinRedisRateLimitOptions>? configure = null, ILoggerFactory? loggerFactory = null)
    {
        // A loaded test machine can take longer than the default 250 ms to answer; the timeout tests set their own.
        var options = new DataphinRedisRateLimitOptions { Timeout = TimeSpan.FromSeconds(5) };
        configure?.Invoke(options);
        var provider = new DataphinRedisRateLimiterProvider(redis.ConnectionString, options, loggerFactory);
        _disposables.Add(provider);
        var connection = await provider.Connection!.WaitAsync(Guard);

        await ReadyAsync(connection);
        return provider;
    }

    /// <summary>
    /// Waits until the connection runs a script: it comes up in the background, and a call made before it is ready
    /// paces itself alone. A bounded wait for another process to be ready, not a wait that decides a result.
    /// </summary>
    private static async Task ReadyAsync(IConnectionMultiplexer connection)
    {
        for (var tries = 0; ; tries++)
        {
            try
            {
                await connection.GetDatabase().ScriptEvaluateAsync("return 1");
                if (connection.IsConnected)
                {
                    return;
                }
            }
            catch (RedisException) when (tries < 500)
            {
            }

            await Task.Delay(TimeSpan.FromMilliseconds(20));
        }
    }

    private DataphinRateLimiter Limiter(DataphinRedisRateLimiterProvider provider) => provider.GetLimiter(_key, Level2, _clock);

    /// <summary>Asks for a permit that Redis answers with a wait of <paramref name="expected"/>: the permit is not given a tick before, and is given at it.</summary>
    private async Task<DataphinRatePermit> AcquireOnClockAsync(DataphinRateLimiter limiter, TimeSpan expected)
    {
        while (_clock.TimerCreated.Wait(0))
        {
            // Forget the timers of earlier waits: the next one released is this wait's.
        }

        var task = limiter.AcquireAsync(TimeSpan.FromSeconds(5), CancellationToken.None).AsTask();
        await Task.WhenAny(task, _clock.TimerCreated.WaitAsync(Guard));
        Assert.False(task.IsCompleted, $"The permit came at once: waited {(task.IsCompleted ? task.Result.Waited.Ticks : 0)} ticks, expected {expected.Ticks}.");
        _clock.Advance(expected - TimeSpan.FromTicks(10));
        Assert.False(task.IsCompleted, $"The permit came before its wait: {(task.IsCompleted ? task.Result.Waited.Ticks : 0)} ticks, expected {expected.Ticks}.");
        _clock.Advance(TimeSpan.FromTicks(10));
        return await task.WaitAsync(Guard);
    }
}
