using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Dataphin.OpenApi.Resilience;
using Dataphin.OpenApi.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Dataphin.OpenApi.Tests.Throttling;

/// <summary>
/// The extension point (<see cref="DataphinRateLimiterProvider"/>): the client takes every permit from the provider's
/// limiter and reports every outcome to it; the in-process provider keys buckets by quota as well, and drops idle ones.
/// </summary>
public sealed class RateLimiterProviderTests
{
    private readonly ManualTimeProvider _clock = new();
    private readonly string _accessKeyId = ThrottlingClients.NewAccessKeyId();

    [Fact]
    public async Task The_client_takes_a_permit_from_the_provider_for_every_attempt_and_reports_each_outcome()
    {
        var provider = new RecordingProvider();
        var handler = new FakeDataphinTransport(_clock).Enqueue(FakeDataphinResponse.Throttled(TimeSpan.FromMilliseconds(10)));
        using var client = ThrottlingClients.Create(_clock, handler, _accessKeyId, o => o.RateLimit.Provider = provider);

        await _clock.DriveAsync(client.SendAsync(ThrottlingClients.Request("CreateDirectory")));

        var (key, quota) = Assert.Single(provider.Asked.Distinct());
        Assert.Equal(new DataphinRateLimitKey("dataphin-public.cn-hangzhou.aliyuncs.com", ThrottlingClients.Tenant, _accessKeyId, ThrottlingLevel.Level2), key);
        Assert.Equal(new DataphinRateLimitQuota(20, 1, true), quota);
        var limiter = provider.Limiters[key];
        Assert.Equal(["acquire", "throttled", "acquire", "succeeded"], limiter.Events);
        Assert.Equal(2, handler.RequestCount);
    }

    [Fact]
    public async Task A_refusal_from_the_provider_surfaces_as_a_client_side_throttling_error_and_nothing_is_sent()
    {
        var provider = new RecordingProvider { RefuseWith = TimeSpan.FromSeconds(42) };
        var handler = new FakeDataphinTransport(_clock);
        using var client = ThrottlingClients.Create(_clock, handler, _accessKeyId, o =>
        {
            o.RateLimit.Provider = provider;
            o.RateLimit.MaxWait = TimeSpan.FromSeconds(7);
        });

        var error = await Assert.ThrowsAsync<DataphinThrottledException>(() => client.SendAsync(ThrottlingClients.Request("DeleteDirectory")));

        Assert.True(error.IsClientSide);
        Assert.Equal(ThrottlingLevel.Level3, error.Level);
        Assert.Equal(TimeSpan.FromSeconds(42), error.RetryAfter);
        Assert.Contains("nothing was sent", error.Message);
        Assert.Equal(0, handler.RequestCount);
        var limiter = Assert.Single(provider.Limiters.Values);
        Assert.Equal([TimeSpan.FromSeconds(7)], limiter.MaxWaits);
    }

    [Fact]
    public async Task On_editions_with_one_budget_the_key_has_no_level()
    {
        var provider = new RecordingProvider();
        using var client = ThrottlingClients.Create(_clock, new FakeDataphinTransport(_clock), _accessKeyId, o =>
        {
            o.Edition = DataphinEdition.Agile;
            o.RateLimit.Provider = provider;
        });

        await _clock.DriveAsync(client.SendAsync(ThrottlingClients.Request("ListFiles")));
        await _clock.DriveAsync(client.SendAsync(ThrottlingClients.Request("DeleteDirectory")));

        var (key, quota) = Assert.Single(provider.Asked.Distinct());
        Assert.Null(key.Level);
        Assert.Equal(5, quota.PermitsPerSecond);
    }

    [Fact]
    public void Dependency_injection_registers_the_provider_for_the_named_client()
    {
        var provider = new RecordingProvider();
        var services = new ServiceCollection();
        services.AddSingleton(provider);
        services.AddDataphinClient("fleet", o =>
        {
            o.Endpoint = new Uri("https://dataphin-public.cn-hangzhou.aliyuncs.com");
            o.Credential = new DataphinCredential(_accessKeyId, ThrottlingClients.Secret);
        })
            .UseRateLimiterProvider(sp => sp.GetRequiredService<RecordingProvider>());
        using var container = services.BuildServiceProvider();

        var monitor = container.GetRequiredService<IOptionsMonitor<DataphinClientOptions>>();

        Assert.Same(provider, monitor.Get("fleet").RateLimit.Provider);
    }

    [Fact]
    public async Task A_client_with_another_quota_for_the_same_key_gets_its_own_bucket_and_is_never_slowed_down()
    {
        var handler = new FakeDataphinTransport(_clock);
        using var slow = ThrottlingClients.Create(_clock, handler, _accessKeyId, o => o.RateLimit.Level2Qps = 0.01);
        using var fast = ThrottlingClients.Create(_clock, handler, _accessKeyId);
        var start = _clock.GetUtcNow();

        await slow.SendAsync(ThrottlingClients.Request("CreateDirectory"));
        var refused = await Assert.ThrowsAsync<DataphinThrottledException>(() => slow.SendAsync(ThrottlingClients.Request("CreateDirectory")));
        var calls = Enumerable.Range(0, 10).Select(_ => fast.SendAsync(ThrottlingClients.Request("CreateDirectory"))).ToList();
        await _clock.DriveAsync(Task.WhenAll(calls));

        Assert.True(refused.IsClientSide);
        var fastOffsets = handler.Requests.Skip(1).Select(r => r.ReceivedAt - start).ToList();
        Assert.Equal(Enumerable.Range(0, 10).Select(i => TimeSpan.FromMilliseconds(50 * i)), fastOffsets);
        Assert.NotSame(slow.CallInvoker.RateLimiter.BucketFor(ThrottlingClients.Tenant, _accessKeyId, ThrottlingLevel.Level2), fast.CallInvoker.RateLimiter.BucketFor(ThrottlingClients.Tenant, _accessKeyId, ThrottlingLevel.Level2));
    }

    [Theory]
    [InlineData(1, false)]
    [InlineData(3, true)]
    public async Task Clients_that_differ_only_in_burst_or_adaptivity_do_not_share_a_bucket(int burst, bool adaptive)
    {
        using var first = ThrottlingClients.Create(_clock, new FakeDataphinTransport(_clock), _accessKeyId);
        using var second = ThrottlingClients.Create(_clock, new FakeDataphinTransport(_clock), _accessKeyId, o =>
        {
            o.RateLimit.Burst = burst;
            o.RateLimit.Adaptive = adaptive;
        });

        await first.SendAsync(ThrottlingClients.Request("CreateDirectory"));

        var a = first.CallInvoker.RateLimiter.BucketFor(ThrottlingClients.Tenant, _accessKeyId, ThrottlingLevel.Level2);
        var b = second.CallInvoker.RateLimiter.BucketFor(ThrottlingClients.Tenant, _accessKeyId, ThrottlingLevel.Level2);
        Assert.NotSame(a, b);
        Assert.Equal(burst, b.Capacity);
    }

    [Fact]
    public async Task An_idle_bucket_is_dropped_with_its_timer_after_the_idle_timeout_and_a_new_one_takes_its_place()
    {
        var clock = new TimerCountingClock(_clock);
        var provider = new InProcessRateLimiterProvider();
        var key = new DataphinRateLimitKey("example:443", 1, _accessKeyId, ThrottlingLevel.Level2);
        var quota = new DataphinRateLimitQuota(20, 1, true);
        var bucket = provider.GetBucket(key, quota, clock);
        Assert.True((await bucket.AcquireAsync(TimeSpan.Zero, default)).IsGranted);

        // Used again after 4 minutes: the idle time starts over.
        _clock.Advance(TimeSpan.FromMinutes(4));
        Assert.Same(bucket, provider.GetBucket(key, quota, clock));
        _clock.Advance(TimeSpan.FromMinutes(4));
        Assert.False(bucket.Retired);
        Assert.Equal(1, provider.Count);
        Assert.Equal(0, clock.TimersDisposed);

        _clock.Advance(TimeSpan.FromMinutes(1) + TimeSpan.FromSeconds(1));

        Assert.True(bucket.Retired);
        Assert.Equal(0, provider.Count);
        Assert.Equal(1, clock.TimersCreated);
        Assert.Equal(1, clock.TimersDisposed);
        var next = provider.GetBucket(key, quota, clock);
        Assert.NotSame(bucket, next);
        Assert.Equal(2, clock.TimersCreated);
    }

    [Fact]
    public async Task A_bucket_with_a_caller_waiting_is_not_dropped_however_long_the_wait()
    {
        var clock = new TimerCountingClock(_clock);
        var provider = new InProcessRateLimiterProvider();
        var key = new DataphinRateLimitKey("example:443", 1, _accessKeyId, ThrottlingLevel.Level3);
        var bucket = provider.GetBucket(key, new DataphinRateLimitQuota(0.001, 1, false), clock);
        Assert.True((await bucket.AcquireAsync(TimeSpan.Zero, default)).IsGranted);
        var waiting = bucket.AcquireAsync(TimeSpan.FromHours(1), default).AsTask();

        _clock.Advance(TimeSpan.FromMinutes(10));

        Assert.False(waiting.IsCompleted);
        Assert.False(bucket.Retired);
        Assert.Equal(1, provider.Count);
        Assert.Equal(0, clock.TimersDisposed);
        _clock.Advance(TimeSpan.FromMinutes(7));
        Assert.True((await waiting).IsGranted);
    }

    [Fact]
    public void The_hashed_id_is_a_stable_SHA_256_that_reveals_neither_the_AccessKey_id_nor_the_tenant()
    {
        var key = new DataphinRateLimitKey("Dataphin.Example.com:443", 300001234, "LTAI5tExampleKeyId", ThrottlingLevel.Level2);

        var id = key.ToHashedId();

        var expected = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(
            "dataphin-rate-limit-key/v1\n24:dataphin.example.com:443\n9:300001234\n18:LTAI5tExampleKeyId\n1:2"))).ToLowerInvariant();
        Assert.Equal(expected, id);
        Assert.Matches("^[0-9a-f]{64}$", id);
        Assert.DoesNotContain("LTAI5tExampleKeyId", id, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("300001234", id, StringComparison.Ordinal);
        Assert.Equal(id, new DataphinRateLimitKey("dataphin.example.com:443", 300001234, "LTAI5tExampleKeyId", ThrottlingLevel.Level2).ToHashedId());
        string[] others =
        [
            new DataphinRateLimitKey("other.example.com:443", 300001234, "LTAI5tExampleKeyId", ThrottlingLevel.Level2).ToHashedId(),
            new DataphinRateLimitKey("dataphin.example.com:443", 300001235, "LTAI5tExampleKeyId", ThrottlingLevel.Level2).ToHashedId(),
            new DataphinRateLimitKey("dataphin.example.com:443", 300001234, "LTAI5tExampleKeyIe", ThrottlingLevel.Level2).ToHashedId(),
            new DataphinRateLimitKey("dataphin.example.com:443", 300001234, "LTAI5tExampleKeyId", ThrottlingLevel.Level3).ToHashedId(),
            new DataphinRateLimitKey("dataphin.example.com:443", 300001234, "LTAI5tExampleKeyId", null).ToHashedId(),
        ];
        Assert.Equal(6, others.Append(id).Distinct().Count());
    }

    [Fact]
    public void Quota_settings_are_checked()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new DataphinRateLimitQuota(0, 1, true));
        Assert.Throws<ArgumentOutOfRangeException>(() => new DataphinRateLimitQuota(double.NaN, 1, true));
        Assert.Throws<ArgumentOutOfRangeException>(() => new DataphinRateLimitQuota(5, 0, true));
        Assert.Equal("2.5 per second, burst 3, fixed", new DataphinRateLimitQuota(2.5, 3, false).ToString());
        Assert.Equal(string.Create(CultureInfo.InvariantCulture, $"e:443, tenant 7, AccessKey AK, all levels"), new DataphinRateLimitKey("e:443", 7, "AK", null).ToString());
    }

    /// <summary>A provider that grants at once (or refuses) and records what it was asked and told.</summary>
    private sealed class RecordingProvider : DataphinRateLimiterProvider
    {
        public TimeSpan? RefuseWith { get; init; }

        public List<(DataphinRateLimitKey Key, DataphinRateLimitQuota Quota)> Asked { get; } = [];

        public Dictionary<DataphinRateLimitKey, RecordingLimiter> Limiters { get; } = [];

        public override DataphinRateLimiter GetLimiter(DataphinRateLimitKey key, DataphinRateLimitQuota quota, TimeProvider timeProvider)
        {
            lock (Asked)
            {
                Asked.Add((key, quota));
                if (!Limiters.TryGetValue(key, out var limiter))
                {
                    Limiters[key] = limiter = new RecordingLimiter(timeProvider, RefuseWith);
                }

                return limiter;
            }
        }
    }

    private sealed class RecordingLimiter(TimeProvider time, TimeSpan? refuseWith) : DataphinRateLimiter
    {
        public List<string> Events { get; } = [];

        public List<TimeSpan> MaxWaits { get; } = [];

        public override double CurrentRate => 1;

        public override ValueTask<DataphinRatePermit> AcquireAsync(TimeSpan maxWait, CancellationToken cancellationToken)
        {
            lock (Events)
            {
                Events.Add("acquire");
                MaxWaits.Add(maxWait);
            }

            return new(refuseWith is { } wait ? DataphinRatePermit.Refuse(wait) : DataphinRatePermit.Grant(time.GetTimestamp(), TimeSpan.Zero));
        }

        public override void OnThrottled(DataphinRatePermit permit)
        {
            lock (Events)
            {
                Events.Add("throttled");
            }
        }

        public override void OnSucceeded(DataphinRatePermit permit)
        {
            lock (Events)
            {
                Events.Add("succeeded");
            }
        }
    }

    /// <summary>The fake clock, counting the timers created on it and those disposed.</summary>
    private sealed class TimerCountingClock(ManualTimeProvider inner) : TimeProvider
    {
        private int _created;
        private int _disposed;

        public int TimersCreated => Volatile.Read(ref _created);

        public int TimersDisposed => Volatile.Read(ref _disposed);

        public override long TimestampFrequency => inner.TimestampFrequency;

        public override long GetTimestamp() => inner.GetTimestamp();

        public override DateTimeOffset GetUtcNow() => inner.GetUtcNow();

        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
        {
            Interlocked.Increment(ref _created);
            return new CountedTimer(inner.CreateTimer(callback, state, dueTime, period), this);
        }

        private sealed class CountedTimer(ITimer timer, TimerCountingClock owner) : ITimer
        {
            private int _done;

            public bool Change(TimeSpan dueTime, TimeSpan period) => timer.Change(dueTime, period);

            public void Dispose()
            {
                if (Interlocked.Exchange(ref _done, 1) == 0)
                {
                    Interlocked.Increment(ref owner._disposed);
                }

                timer.Dispose();
            }

            public ValueTask DisposeAsync()
            {
                Dispose();
                return default;
            }
        }
    }
}
