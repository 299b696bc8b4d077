using Dataphin.OpenApi.Testing;
using Polly;

namespace Dataphin.OpenApi.Tests.Throttling;

/// <summary>The credential provider is asked exactly once per attempt, and the attempt signs with what it returned.</summary>
public class AttemptCredentialTests
{
    private readonly ManualTimeProvider _clock = new();
    private readonly string _accessKeyId = ThrottlingClients.NewAccessKeyId();

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Each_attempt_asks_the_provider_once_and_signs_with_its_answer(bool rateLimited)
    {
        var handler = new FakeDataphinTransport(_clock).Enqueue(FakeDataphinResponse.Throttled(), FakeDataphinResponse.Throttled());
        var keys = new List<string>();
        using var client = ThrottlingClients.Create(_clock, handler, _accessKeyId, o =>
        {
            o.RateLimit.Enabled = rateLimited;
            o.Credential = null;
            o.CredentialProvider = Rotating(keys);
        });

        await _clock.DriveAsync(client.SendAsync(ThrottlingClients.Request("CreateDirectory")));

        Assert.Equal(3, handler.RequestCount);
        Assert.Equal(3, keys.Count);
        Assert.Equal(3, keys.Distinct().Count());
        for (var i = 0; i < 3; i++)
        {
            SignatureCheck.AssertValid(handler.Requests[i], keys[i], ThrottlingClients.Secret);
        }

        // The rate limiter keyed each attempt's permit by that attempt's AccessKey id: the two throttled attempts slowed
        // their own buckets down, the successful one left its bucket at the quota.
        if (rateLimited)
        {
            var rates = keys.Select(key => client.CallInvoker.RateLimiter.BucketFor(ThrottlingClients.Tenant, key, ThrottlingLevel.Level2).CurrentRate).ToList();
            Assert.True(rates[0] < 20 && rates[1] < 20, string.Join(", ", rates));
            Assert.Equal(20, rates[2]);
        }
    }

    [Fact]
    public async Task A_replacement_pipeline_with_its_own_retry_still_asks_once_per_attempt()
    {
        var handler = new FakeDataphinTransport(_clock).Enqueue(FakeDataphinResponse.Throttled());
        var keys = new List<string>();
        using var client = ThrottlingClients.Create(_clock, handler, _accessKeyId, o =>
        {
            o.Credential = null;
            o.CredentialProvider = Rotating(keys);
            o.PipelineFactory = context => context.AddClientRateLimiter(new ResiliencePipelineBuilder { TimeProvider = context.TimeProvider }
                .AddRetry(new Polly.Retry.RetryStrategyOptions { MaxRetryAttempts = 1, Delay = TimeSpan.Zero, ShouldHandle = args => new(args.Outcome.Exception is DataphinThrottledException) }))
                .Build();
        });

        await _clock.DriveAsync(client.SendAsync(ThrottlingClients.Request("CreateDirectory")));

        Assert.Equal(2, handler.RequestCount);
        Assert.Equal(2, keys.Count);
        SignatureCheck.AssertValid(handler.Requests[0], keys[0], ThrottlingClients.Secret);
        SignatureCheck.AssertValid(handler.Requests[1], keys[1], ThrottlingClients.Secret);
    }

    [Fact]
    public async Task A_provider_that_fails_ends_the_call_with_its_error_and_sends_nothing()
    {
        var handler = new FakeDataphinTransport(_clock);
        using var client = ThrottlingClients.Create(_clock, handler, _accessKeyId, o =>
        {
            o.Credential = null;
            o.CredentialProvider = DataphinCredentialProvider.FromFactory(_ => throw new InvalidOperationException("vault unavailable"));
        });

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => _clock.DriveAsync(client.SendAsync(ThrottlingClients.Request("CreateDirectory"))));

        Assert.Equal("vault unavailable", error.Message);
        Assert.Equal(0, handler.RequestCount);
    }

    /// <summary>A provider that hands out a new AccessKey id every time it is asked, and records it.</summary>
    private static DataphinCredentialProvider Rotating(List<string> keys)
        => DataphinCredentialProvider.FromFactory(_ =>
        {
            var key = ThrottlingClients.NewAccessKeyId();
            keys.Add(key);
            return new ValueTask<DataphinCredential>(new DataphinCredential(key, ThrottlingClients.Secret));
        });
}
