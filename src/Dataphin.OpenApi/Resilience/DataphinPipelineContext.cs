using Dataphin.OpenApi.Resilience;
using Polly;

namespace Dataphin.OpenApi;

/// <summary>
/// Passed to <see cref="DataphinClientOptions.PipelineFactory"/> to build the pipeline of one throttling level. The
/// pipeline runs each attempt (which signs the request anew); to keep the built-in behaviour and add to it, wrap
/// <see cref="CreateDefaultPipeline"/>; to replace it, build your own and keep the client-side rate limiter with
/// <see cref="AddClientRateLimiter"/> (inside your retry, so that every attempt takes a permit).
/// </summary>
/// <example>
/// <code>
/// options.PipelineFactory = context => new ResiliencePipelineBuilder { TimeProvider = context.TimeProvider }
///     .AddTimeout(TimeSpan.FromMinutes(5))
///     .AddPipeline(context.CreateDefaultPipeline())
///     .Build();
/// </code>
/// </example>
public sealed class DataphinPipelineContext
{
    private readonly DataphinClientOptions _options;
    private readonly ClientRateLimiter _limiter;
    private readonly IResilienceObserver? _observer;

    internal DataphinPipelineContext(ThrottlingLevel level, DataphinClientOptions options, ClientRateLimiter limiter, IResilienceObserver? observer)
    {
        Level = level;
        _options = options;
        _limiter = limiter;
        _observer = observer;
    }

    /// <summary>The throttling level the pipeline is for; the client builds one pipeline per level and keeps it.</summary>
    public ThrottlingLevel Level { get; }

    /// <summary>The client's clock (<see cref="DataphinClientOptions.TimeProvider"/>); give it to your builder so tests can use a fake clock.</summary>
    public TimeProvider TimeProvider => _options.TimeProvider;

    /// <summary>Builds the pipeline the client would use: total timeout, retry, circuit breaker, client-side rate limiter and attempt timeout, from the options.</summary>
    /// <returns>The default pipeline for <see cref="Level"/>.</returns>
    public ResiliencePipeline CreateDefaultPipeline() => DataphinPipelineFactory.CreateDefault(Level, _options, _limiter, _observer);

    /// <summary>Adds the client-side rate limiter (the shared token bucket of this level's quota) to <paramref name="builder"/>.</summary>
    /// <param name="builder">The builder to add to.</param>
    /// <returns>The same builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> is null.</exception>
    public ResiliencePipelineBuilder AddClientRateLimiter(ResiliencePipelineBuilder builder)
    {
        if (builder is null)
        {
            throw new ArgumentNullException(nameof(builder));
        }

        var limiter = _limiter;
        return builder.AddStrategy(_ => new ClientRateLimiterStrategy(limiter));
    }
}
