using Dataphin.OpenApi.Resilience;
using Dataphin.OpenApi.Testing;

namespace Dataphin.OpenApi.Tests.Throttling;

public class RateLimiterTests
{
    private readonly ManualTimeProvider _clock = new();
    private readonly string _accessKeyId = ThrottlingClients.NewAccessKeyId();

    [Theory]
    [InlineData(null, 50, 20, 5)]
    [InlineData(DataphinEdition.Basic, 50, 20, 5)]
    [InlineData(DataphinEdition.Intelligent, 50, 20, 5)]
    public void Basic_and_Intelligent_editions_have_a_bucket_per_level(DataphinEdition? edition, double level1, double level2, double level3)
    {
        using var client = ThrottlingClients.Create(_clock, new FakeDataphinTransport(_clock), _accessKeyId, o => o.Edition = edition);
        var limiter = client.CallInvoker.RateLimiter;

        var buckets = new[] { ThrottlingLevel.Level1, ThrottlingLevel.Level2, ThrottlingLevel.Level3 }.Select(l => limiter.BucketFor(ThrottlingClients.Tenant, _accessKeyId, l)).ToList();

        Assert.Equal([level1, level2, level3], buckets.Select(b => b.ConfiguredRate));
        Assert.Equal(3, buckets.Distinct().Count());
    }

    [Theory]
    [InlineData(DataphinEdition.Personal)]
    [InlineData(DataphinEdition.Agile)]
    public void Personal_and_Agile_editions_share_one_5_QPS_bucket_for_all_levels(DataphinEdition edition)
    {
        using var client = ThrottlingClients.Create(_clock, new FakeDataphinTransport(_clock), _accessKeyId, o => o.Edition = edition);
        var limiter = client.CallInvoker.RateLimiter;

        var buckets = new[] { ThrottlingLevel.Level1, ThrottlingLevel.Level2, ThrottlingLevel.Level3 }.Select(l => limiter.BucketFor(ThrottlingClients.Tenant, _accessKeyId, l)).Distinct().ToList();

        var bucket = Assert.Single(buckets);
        Assert.Equal(5, bucket.ConfiguredRate);
    }

    [Fact]
    public void Every_quota_can_be_overridden()
    {
        using var basic = ThrottlingClients.Create(_clock, new FakeDataphinTransport(_clock), _accessKeyId, o =>
        {
            o.RateLimit.Level1Qps = 9;
            o.RateLimit.Level2Qps = 7;
            o.RateLimit.Level3Qps = 0.5;
            o.RateLimit.Burst = 3;
        });
        var agileKey = ThrottlingClients.NewAccessKeyId();
        using var agile = ThrottlingClients.Create(_clock, new FakeDataphinTransport(_clock), agileKey, o =>
        {
            o.Edition = DataphinEdition.Agile;
            o.RateLimit.SharedQps = 2;
        });

        Assert.Equal(9, basic.CallInvoker.RateLimiter.BucketFor(ThrottlingClients.Tenant, _accessKeyId, ThrottlingLevel.Level1).ConfiguredRate);
        Assert.Equal(7, basic.CallInvoker.RateLimiter.BucketFor(ThrottlingClients.Tenant, _accessKeyId, ThrottlingLevel.Level2).ConfiguredRate);
        Assert.Equal(0.5, basic.CallInvoker.RateLimiter.BucketFor(ThrottlingClients.Tenant, _accessKeyId, ThrottlingLevel.Level3).ConfiguredRate);
        Assert.Equal(3, basic.CallInvoker.RateLimiter.BucketFor(ThrottlingClients.Tenant, _accessKeyId, ThrottlingLevel.Level3).Capacity);
        Assert.Equal(2, agile.CallInvoker.RateLimiter.BucketFor(ThrottlingClients.Tenant, agileKey, ThrottlingLevel.Level1).ConfiguredRate);
    }

    [Fact]
    public async Task Calls_are_spread_evenly_at_the_levels_quota()
    {
        var handler = new FakeDataphinTransport(_clock);
        using var client = ThrottlingClients.Create(_clock, handler, _accessKeyId);
        var start = _clock.GetUtcNow();

        // GetBizUnitInfo is a read in Level 3: 5 QPS.
        var calls = Enumerable.Range(0, 10).Select(_ => client.SendAsync(ThrottlingClients.Request("GetBizUnitInfo"))).ToList();
        await _clock.DriveAsync(Task.WhenAll(calls));

        var offsets = handler.Requests.Select(r => r.ReceivedAt - start).OrderBy(t => t).ToList();
        Assert.Equal(Enumerable.Range(0, 10).Select(i => TimeSpan.FromMilliseconds(200 * i)), offsets);
    }

    [Fact]
    public async Task Clients_with_the_same_tenant_and_AccessKey_share_one_bucket()
    {
        var handler = new FakeDataphinTransport(_clock);
        using var first = ThrottlingClients.Create(_clock, handler, _accessKeyId);
        using var second = ThrottlingClients.Create(_clock, handler, _accessKeyId);
        var start = _clock.GetUtcNow();

        var calls = Enumerable.Range(0, 6).Select(i => (i % 2 == 0 ? first : second).SendAsync(ThrottlingClients.Request("CreateDirectory"))).ToList();
        await _clock.DriveAsync(Task.WhenAll(calls));

        // Level 2 is 20 QPS: one permit every 50 ms, whichever client asks.
        var offsets = handler.Requests.Select(r => r.ReceivedAt - start).OrderBy(t => t).ToList();
        Assert.Equal(Enumerable.Range(0, 6).Select(i => TimeSpan.FromMilliseconds(50 * i)), offsets);
    }

    [Fact]
    public async Task Clients_of_other_tenants_or_AccessKeys_have_their_own_buckets()
    {
        var handler = new FakeDataphinTransport(_clock);
        using var first = ThrottlingClients.Create(_clock, handler, _accessKeyId);
        using var otherKey = ThrottlingClients.Create(_clock, handler, ThrottlingClients.NewAccessKeyId());
        var start = _clock.GetUtcNow();

        await _clock.DriveAsync(Task.WhenAll(
            first.SendAsync(ThrottlingClients.Request("CreateDirectory")),
            first.SendAsync(ThrottlingClients.Request("CreateDirectory", tenant: 300009999)),
            otherKey.SendAsync(ThrottlingClients.Request("CreateDirectory"))));

        Assert.All(handler.Requests, r => Assert.Equal(start, r.ReceivedAt));
    }

    [Fact]
    public async Task Service_throttling_slows_the_bucket_down_and_without_more_throttling_it_regains_the_quota_within_30_s()
    {
        var handler = new FakeDataphinTransport(_clock).Enqueue(FakeDataphinResponse.Throttled());
        using var client = ThrottlingClients.Create(_clock, handler, _accessKeyId, o => o.Retry.MaxAttempts = 1);
        var bucket = client.CallInvoker.RateLimiter.BucketFor(ThrottlingClients.Tenant, _accessKeyId, ThrottlingLevel.Level2);

        await Assert.ThrowsAsync<DataphinThrottledException>(() => client.SendAsync(ThrottlingClients.Request("CreateDirectory")));

        var cut = bucket.CurrentRate;
        Assert.InRange(cut, 0.5, 20 * AdaptiveTokenBucket.Beta);
        Assert.Equal(bucket.LastMaxRate * AdaptiveTokenBucket.Beta, cut, 6);
        var previous = cut;
        for (var second = 1; second <= 30; second++)
        {
            _clock.Advance(TimeSpan.FromSeconds(1));
            var rate = bucket.CurrentRate;
            Assert.True(rate >= previous, $"the rate fell from {previous} to {rate} at {second} s with no throttling");
            previous = rate;
        }

        Assert.Equal(20, previous);
    }

    [Fact]
    public async Task Calls_sent_before_a_cut_that_come_back_throttled_do_not_cut_again()
    {
        var handler = new FakeDataphinTransport(_clock) { Fallback = FakeDataphinResponse.Throttled() };
        using var client = ThrottlingClients.Create(_clock, handler, _accessKeyId, o =>
        {
            o.RateLimit.Burst = 5;
            o.Retry.MaxAttempts = 1;
        });
        var bucket = client.CallInvoker.RateLimiter.BucketFor(ThrottlingClients.Tenant, _accessKeyId, ThrottlingLevel.Level2);

        // Five calls leave at the same instant (burst 5) and all come back throttled. The first answer cuts the rate
        // (less than a second of answers says nothing about rates: an estimate of 0.9 of the rate the bucket had, 20,
        // cut to 0.7 of it); the other four were sent no later than that cut and do not cut again.
        var calls = Enumerable.Range(0, 5).Select(_ => client.SendAsync(ThrottlingClients.Request("CreateDirectory"))).ToList();
        foreach (var call in calls)
        {
            await Assert.ThrowsAsync<DataphinThrottledException>(() => call);
        }

        Assert.Equal(20 * AdaptiveTokenBucket.Settle, bucket.LastMaxRate, 6);
        Assert.Equal(20 * AdaptiveTokenBucket.Settle * AdaptiveTokenBucket.Beta, bucket.CurrentRate, 6);
        Assert.Equal(5, handler.RequestCount);
    }

    [Fact]
    public async Task Caller_who_would_wait_longer_than_MaxWait_is_refused_at_once_and_nothing_is_sent()
    {
        var handler = new FakeDataphinTransport(_clock);
        using var client = ThrottlingClients.Create(_clock, handler, _accessKeyId, o => o.RateLimit.MaxWait = TimeSpan.FromSeconds(1));

        // Level 3 at 5 QPS: the 1st goes now, the 2nd to 6th wait 0.2 s to 1.0 s, the 7th would wait 1.2 s.
        var calls = Enumerable.Range(0, 6).Select(_ => client.SendAsync(ThrottlingClients.Request("DeleteDirectory"))).ToList();
        var refused = client.SendAsync(ThrottlingClients.Request("DeleteDirectory"));

        Assert.True(refused.IsCompleted);
        var error = await Assert.ThrowsAsync<DataphinThrottledException>(() => refused);
        Assert.True(error.IsClientSide);
        Assert.Equal(ThrottlingLevel.Level3, error.Level);
        Assert.Equal(TimeSpan.FromSeconds(1.2), error.RetryAfter);
        Assert.Contains("nothing was sent", error.Message);
        await _clock.DriveAsync(Task.WhenAll(calls));
        Assert.Equal(6, handler.RequestCount);
    }

    [Fact]
    public async Task Client_side_refusal_is_not_retried()
    {
        var handler = new FakeDataphinTransport(_clock);
        using var client = ThrottlingClients.Create(_clock, handler, _accessKeyId, o => o.RateLimit.MaxWait = TimeSpan.Zero);
        var first = client.SendAsync(ThrottlingClients.Request("ListFiles"));

        var error = await Assert.ThrowsAsync<DataphinThrottledException>(() => client.SendAsync(ThrottlingClients.Request("ListFiles")));

        Assert.True(error.IsClientSide);
        await first;
        Assert.Equal(1, handler.RequestCount);
    }

    [Fact]
    public async Task Cancelling_a_caller_waiting_for_a_permit_stops_at_once_and_takes_no_permit()
    {
        var handler = new FakeDataphinTransport(_clock);
        using var client = ThrottlingClients.Create(_clock, handler, _accessKeyId);
        using var cancellation = new CancellationTokenSource();
        var start = _clock.GetUtcNow();

        await client.SendAsync(ThrottlingClients.Request("DeleteDirectory"));
        var waiting = client.SendAsync(ThrottlingClients.Request("DeleteDirectory"), cancellation.Token);
        Assert.False(waiting.IsCompleted);
        cancellation.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting);
        Assert.Equal(start, _clock.GetUtcNow());

        // The cancelled caller took no permit: the next one goes out at 200 ms, the first free slot.
        await _clock.DriveAsync(client.SendAsync(ThrottlingClients.Request("DeleteDirectory")));
        Assert.Equal(2, handler.RequestCount);
        Assert.Equal(TimeSpan.FromMilliseconds(200), handler.Requests[1].ReceivedAt - start);
    }

    [Fact]
    public async Task Daily_quota_warning_is_raised_once_when_the_threshold_is_reached()
    {
        var warnings = new List<DataphinDailyQuotaWarning>();
        var handler = new FakeDataphinTransport(_clock);
        using var client = ThrottlingClients.Create(_clock, handler, _accessKeyId, o =>
        {
            o.Edition = DataphinEdition.Personal;
            o.RateLimit.SharedQps = 1000;
            o.RateLimit.SharedDailyLimit = 10;
            o.RateLimit.DailyQuotaWarning = warnings.Add;
        });

        for (var i = 0; i < 10; i++)
        {
            await _clock.DriveAsync(client.SendAsync(ThrottlingClients.Request(i % 2 == 0 ? "ListFiles" : "CreateDirectory")));
            Assert.Equal(i >= 8 ? 1 : 0, warnings.Count);
        }

        var warning = Assert.Single(warnings);
        Assert.Equal((9L, 10L, ThrottlingClients.Tenant, _accessKeyId), (warning.CallsToday, warning.DailyLimit, warning.OpTenantId, warning.AccessKeyId));
        Assert.Equal(3, warning.Levels.Count);
        Assert.DoesNotContain(ThrottlingClients.Secret, warning.ToString());
    }

    [Fact]
    public async Task Edition_gating_fails_before_sending_and_names_the_operation_and_both_editions()
    {
        var handler = new FakeDataphinTransport(_clock);
        using var client = ThrottlingClients.Create(_clock, handler, _accessKeyId, o => o.Edition = DataphinEdition.Agile);

        var error = await Assert.ThrowsAsync<DataphinEditionException>(() => client.SendAsync(ThrottlingClients.Request("GetBizEntityInfo")));

        Assert.Equal(0, handler.RequestCount);
        Assert.Equal((DataphinEdition.Intelligent, DataphinEdition.Agile), (error.MinimumEdition, error.ConfiguredEdition));
        Assert.Equal(
            "GetBizEntityInfo needs Dataphin Intelligent R&D (Intelligent Edition) or higher, but the client is configured for Agile R&D (Agile Edition) (DataphinClientOptions.Edition); nothing was sent. Set Edition to your tenant's edition, or to null to turn edition checks off.",
            error.Message);
    }

    [Fact]
    public async Task Operations_the_edition_offers_and_unknown_operations_pass_the_gate()
    {
        var handler = new FakeDataphinTransport(_clock);
        using var personal = ThrottlingClients.Create(_clock, handler, _accessKeyId, o => o.Edition = DataphinEdition.Personal);
        using var unset = ThrottlingClients.Create(_clock, handler, ThrottlingClients.NewAccessKeyId());

        await _clock.DriveAsync(personal.SendAsync(ThrottlingClients.Request("AddRegisterLineage")));
        await _clock.DriveAsync(personal.SendAsync(ThrottlingClients.Request("SomeOperationNewerThanThisPackage")));
        await _clock.DriveAsync(unset.SendAsync(ThrottlingClients.Request("GetBizEntityInfo")));

        Assert.Equal(3, handler.RequestCount);
    }

    [Fact]
    public async Task Unknown_operations_are_paced_as_Level_3_and_not_retried_after_server_errors()
    {
        var handler = new FakeDataphinTransport(_clock) { Fallback = FakeDataphinResponse.InternalError() };
        using var client = ThrottlingClients.Create(_clock, handler, _accessKeyId);

        await Assert.ThrowsAsync<DataphinRequestException>(() => _clock.DriveAsync(client.SendAsync(ThrottlingClients.Request("SomeOperationNewerThanThisPackage"))));

        Assert.Equal(1, handler.RequestCount);
        Assert.Equal(5, client.CallInvoker.RateLimiter.BucketFor(ThrottlingClients.Tenant, _accessKeyId, ThrottlingLevel.Level3).ConfiguredRate);
    }

    [Fact]
    public void Invalid_settings_are_refused_when_the_client_is_created_naming_the_setting()
    {
        var error = Assert.Throws<ArgumentException>(() => ThrottlingClients.Create(_clock, new FakeDataphinTransport(_clock), _accessKeyId, o => o.Retry.MaxAttempts = 0));
        Assert.Contains("DataphinClientOptions.Retry.MaxAttempts", error.Message);
        error = Assert.Throws<ArgumentException>(() => ThrottlingClients.Create(_clock, new FakeDataphinTransport(_clock), _accessKeyId, o => o.RateLimit.Level2Qps = -1));
        Assert.Contains("DataphinClientOptions.RateLimit.Level2Qps", error.Message);
    }
}
