using Dataphin.OpenApi.Testing;
using Polly;

namespace Dataphin.OpenApi.Tests.Throttling;

public class PipelineFactoryTests
{
    private readonly ManualTimeProvider _clock = new();
    private readonly string _accessKeyId = ThrottlingClients.NewAccessKeyId();

    [Fact]
    public async Task A_replacement_pipeline_is_used_instead_of_the_default_and_built_once_per_level()
    {
        var built = new List<ThrottlingLevel>();
        var handler = new FakeDataphinTransport(_clock) { Fallback = FakeDataphinResponse.Throttled() };
        using var client = ThrottlingClients.Create(_clock, handler, _accessKeyId, o => o.PipelineFactory = context =>
        {
            built.Add(context.Level);
            return context.AddClientRateLimiter(new ResiliencePipelineBuilder { TimeProvider = context.TimeProvider }).Build();
        });

        await Assert.ThrowsAsync<DataphinThrottledException>(() => _clock.DriveAsync(client.SendAsync(ThrottlingClients.Request("CreateDirectory"))));
        await Assert.ThrowsAsync<DataphinThrottledException>(() => _clock.DriveAsync(client.SendAsync(ThrottlingClients.Request("CreateDirectory"))));

        // No retry in the replacement: one request per call; the rate limiter it kept still slowed down after the throttling.
        Assert.Equal(2, handler.RequestCount);
        Assert.Equal([ThrottlingLevel.Level2], built);
        Assert.True(client.CallInvoker.RateLimiter.BucketFor(ThrottlingClients.Tenant, _accessKeyId, ThrottlingLevel.Level2).CurrentRate < 20);
    }

    [Fact]
    public async Task The_default_pipeline_can_be_wrapped()
    {
        var outerCalls = 0;
        var handler = new FakeDataphinTransport(_clock).Enqueue(FakeDataphinResponse.Throttled());
        using var client = ThrottlingClients.Create(_clock, handler, _accessKeyId, o => o.PipelineFactory = context => new ResiliencePipelineBuilder { TimeProvider = context.TimeProvider }
            .AddStrategy(_ => new CountingStrategy(() => outerCalls++))
            .AddPipeline(context.CreateDefaultPipeline())
            .Build());

        await _clock.DriveAsync(client.SendAsync(ThrottlingClients.Request("CreateDirectory")));

        Assert.Equal(1, outerCalls);
        Assert.Equal(2, handler.RequestCount);
        Assert.Equal("1", handler.Requests[1].Headers["x-acs-retry-attempts"]);
    }

    private sealed class CountingStrategy(Action onExecute) : ResilienceStrategy
    {
        protected override ValueTask<Outcome<TResult>> ExecuteCore<TResult, TState>(Func<ResilienceContext, TState, ValueTask<Outcome<TResult>>> callback, ResilienceContext context, TState state)
        {
            onExecute();
            return callback(context, state);
        }
    }
}
