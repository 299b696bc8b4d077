using Polly;
using Polly.CircuitBreaker;
using Polly.Retry;
using Polly.Timeout;

namespace Dataphin.OpenApi.Resilience;

/// <summary>
/// Builds the default pipeline of one throttling level: total timeout -> retry -> circuit breaker -> client-side
/// rate limiter -> attempt timeout. The attempt itself (signing included) runs inside, so every attempt is signed anew.
/// The strategies share the call's state only through <see cref="DataphinCall"/>, which documents who writes what.
/// </summary>
internal static class DataphinPipelineFactory
{
    public static ResiliencePipeline CreateDefault(ThrottlingLevel level, DataphinClientOptions options, ClientRateLimiter limiter, IResilienceObserver? observer)
    {
        var builder = new ResiliencePipelineBuilder { TimeProvider = options.TimeProvider, Name = "Dataphin.OpenApi." + level };
        var timeouts = options.Timeouts;
        if (timeouts.TotalTimeout != Timeout.InfiniteTimeSpan)
        {
            builder.AddTimeout(new TimeoutStrategyOptions
            {
                Name = "TotalTimeout",
                Timeout = timeouts.TotalTimeout,
                OnTimeout = static args =>
                {
                    DataphinCall.From(args.Context)?.MarkTotalTimeoutExpired();

                    return default;
                },
            });
        }

        if (options.Retry.MaxAttempts > 1)
        {
            var decision = new RetryDecision(options.Retry, options.TimeProvider);
            builder.AddRetry(new RetryStrategyOptions
            {
                Name = "Retry",
                MaxRetryAttempts = options.Retry.MaxAttempts - 1,
                BackoffType = DelayBackoffType.Constant,
                UseJitter = false,
                Delay = TimeSpan.Zero,
                ShouldHandle = args => new ValueTask<bool>(decision.ShouldRetry(args.Context, args.Outcome.Exception, args.AttemptNumber)),
                DelayGenerator = static args => new ValueTask<TimeSpan?>(DataphinCall.From(args.Context)?.PlannedRetryDelay ?? TimeSpan.Zero),
                OnRetry = args =>
                {
                    if (DataphinCall.From(args.Context) is { } call)
                    {
                        call.StartRetry(args.AttemptNumber + 1, args.RetryDelay);
                        observer?.OnRetry(call.Operation.Name, call.Operation.Level, call.RetryAttempt, args.RetryDelay, args.Outcome.Exception!);
                    }

                    return default;
                },
            });
        }

        var breaker = options.CircuitBreaker;
        if (breaker.Enabled)
        {
            builder.AddCircuitBreaker(new CircuitBreakerStrategyOptions
            {
                Name = "CircuitBreaker",
                FailureRatio = breaker.FailureRatio,
                MinimumThroughput = breaker.MinimumThroughput,
                SamplingDuration = breaker.SamplingDuration,
                BreakDuration = breaker.BreakDuration,
                ShouldHandle = static args => new ValueTask<bool>(RetryDecision.IsServiceFailure(args.Outcome.Exception, args.Context.CancellationToken)),
            });
        }

        if (options.RateLimit.Enabled)
        {
            builder.AddStrategy(_ => new ClientRateLimiterStrategy(limiter));
        }

        if (timeouts.AttemptTimeout != Timeout.InfiniteTimeSpan)
        {
            builder.AddTimeout(new TimeoutStrategyOptions { Name = "AttemptTimeout", Timeout = timeouts.AttemptTimeout });
        }

        return builder.Build();
    }
}
