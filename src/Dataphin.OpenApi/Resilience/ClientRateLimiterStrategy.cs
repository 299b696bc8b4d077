using Polly;

namespace Dataphin.OpenApi.Resilience;

/// <summary>The Polly strategy that takes a client-side rate-limit permit before each attempt (it sits inside the retry).</summary>
internal sealed class ClientRateLimiterStrategy(ClientRateLimiter limiter) : ResilienceStrategy
{
    protected override async ValueTask<Outcome<TResult>> ExecuteCore<TResult, TState>(
        Func<ResilienceContext, TState, ValueTask<Outcome<TResult>>> callback,
        ResilienceContext context,
        TState state)
    {
        var call = DataphinCall.From(context);
        if (call is null)
        {
            return await callback(context, state).ConfigureAwait(context.ContinueOnCapturedContext);
        }

        try
        {
            var refusal = await limiter.AcquireAsync(call, context.CancellationToken).ConfigureAwait(context.ContinueOnCapturedContext);
            if (refusal is not null)
            {
                return Outcome.FromException<TResult>(refusal);
            }
        }
        catch (Exception exception)
        {
            return Outcome.FromException<TResult>(exception);
        }

        var outcome = await callback(context, state).ConfigureAwait(context.ContinueOnCapturedContext);
        ClientRateLimiter.OnAttemptEnded(call, outcome.Exception);
        return outcome;
    }
}
