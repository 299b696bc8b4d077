using Polly;

namespace Dataphin.OpenApi.Resilience;

/// <summary>
/// The Polly strategy that takes a client-side rate-limit permit before each attempt (it sits inside the retry, so
/// every attempt takes one). It is the first stage of the attempt that needs the credential (the bucket is keyed by
/// the AccessKey id), so it fetches the attempt's credential, which the attempt then signs with.
/// </summary>
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

        ClientPermit permit;
        try
        {
            var credential = await call.GetAttemptCredentialAsync(context.CancellationToken).ConfigureAwait(context.ContinueOnCapturedContext);
            permit = await limiter.AcquireAsync(call, credential.AccessKeyId, context.CancellationToken).ConfigureAwait(context.ContinueOnCapturedContext);
        }
        catch (Exception exception)
        {
            call.EndAttempt();
            return Outcome.FromException<TResult>(exception);
        }

        if (permit.Refusal is { } refusal)
        {
            call.EndAttempt();
            return Outcome.FromException<TResult>(refusal);
        }

        var outcome = await callback(context, state).ConfigureAwait(context.ContinueOnCapturedContext);
        call.EndAttempt();
        permit.OnAttemptEnded(outcome.Exception);
        return outcome;
    }
}
