using System.Runtime.ExceptionServices;
using Dataphin.OpenApi.Throttling;
using Dataphin.OpenApi.Transport;
using Polly;
using Polly.CircuitBreaker;
using Polly.Timeout;

namespace Dataphin.OpenApi.Resilience;

/// <summary>
/// The one path every call of a <see cref="DataphinClient"/> takes: look the operation up in the catalog, check the
/// edition, then run the attempts through the (cached) pipeline of its throttling level, and map what Polly raises
/// (timeouts, an open circuit) to this package's exceptions.
/// </summary>
internal sealed class ResilientInvoker
{
    private readonly RpcInvoker _invoker;
    private readonly DataphinCredentialProvider _credentials;
    private readonly DataphinClientOptions _options;
    private readonly IResilienceObserver? _observer;
    private readonly ClientRateLimiter _limiter;
    private readonly ResiliencePipeline?[] _pipelines = new ResiliencePipeline?[3];
    private readonly object _gate = new();

    public ResilientInvoker(RpcInvoker invoker, DataphinCredentialProvider credentials, DataphinClientOptions options)
    {
        _invoker = invoker;
        _credentials = credentials;
        _options = options;
        _observer = options.Observer;
        _limiter = new ClientRateLimiter(invoker.Endpoint.Authority, credentials, options, _observer);
    }

    internal ClientRateLimiter RateLimiter => _limiter;

    public async Task<RpcResult> InvokeAsync(RpcRequest request, long opTenantId, CancellationToken cancellationToken)
    {
        var operation = DataphinOperationCatalog.GetOrUnknown(request.Action);
        CheckEdition(operation);
        cancellationToken.ThrowIfCancellationRequested();

        var time = _options.TimeProvider;
        var call = new DataphinCall(operation, opTenantId, request, time.GetTimestamp(), _options.Timeouts.TotalTimeout);
        var pipeline = PipelineFor(operation.Level);
        var context = ResilienceContextPool.Shared.Get(operation.Name, continueOnCapturedContext: false, cancellationToken);
        context.Properties.Set(DataphinCall.Key, call);
        try
        {
            var outcome = await pipeline.ExecuteOutcomeAsync(
                static (ctx, state) => state.Self.SendAttemptAsync(ctx, state.Call),
                context,
                (Self: this, Call: call)).ConfigureAwait(false);
            if (outcome.Exception is { } exception)
            {
                throw Translate(exception, call, cancellationToken);
            }

            return outcome.Result!;
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }

    private void CheckEdition(DataphinOperationInfo operation)
    {
        if (_options.Edition is { } configured && operation.MinimumEdition is { } minimum && GatingRank(configured) < GatingRank(minimum))
        {
            throw new DataphinEditionException(operation.Name, minimum, configured);
        }
    }

    /// <summary>Personal is gated like Agile R&amp;D: the throttling table's lowest minimum is "Agile Edition", and Personal has a quota to use.</summary>
    private static int GatingRank(DataphinEdition edition) => edition == DataphinEdition.Personal ? (int)DataphinEdition.Agile : (int)edition;

    private ResiliencePipeline PipelineFor(ThrottlingLevel level)
    {
        var index = (int)level - 1;
        if (_pipelines[index] is { } existing)
        {
            return existing;
        }

        lock (_gate)
        {
            if (_pipelines[index] is null)
            {
                var context = new DataphinPipelineContext(level, _options, _limiter, _observer);
                _pipelines[index] = _options.PipelineFactory is { } factory
                    ? factory(context) ?? throw new InvalidOperationException($"DataphinClientOptions.PipelineFactory returned null for {level}.")
                    : context.CreateDefaultPipeline();
            }

            return _pipelines[index]!;
        }
    }

    private async ValueTask<Outcome<RpcResult>> SendAttemptAsync(ResilienceContext context, DataphinCall call)
    {
        var time = _options.TimeProvider;
        var started = time.GetTimestamp();
        try
        {
            var credential = call.Credential ?? await _credentials.GetCredentialAsync(context.CancellationToken).ConfigureAwait(false);
            call.Credential = null;
            var result = await _invoker.SendAttemptAsync(call.Request, credential, call.Operation.Level, call.RetryAttempt, call.RetryDelay, context.CancellationToken).ConfigureAwait(false);
            _observer?.OnAttempt(call.Operation.Name, call.Operation.Level, call.RetryAttempt, result.Status, null, time.GetElapsedTime(started));
            return Outcome.FromResult(result);
        }
        catch (Exception exception)
        {
            var request = exception as DataphinRequestException;
            _observer?.OnAttempt(call.Operation.Name, call.Operation.Level, call.RetryAttempt, request?.Status ?? 0, request?.ErrorCode, time.GetElapsedTime(started));
            return Outcome.FromException<RpcResult>(exception);
        }
    }

    private static Exception Translate(Exception exception, DataphinCall call, CancellationToken cancellationToken)
    {
        switch (exception)
        {
            case OperationCanceledException when cancellationToken.IsCancellationRequested:
                break;
            case TimeoutRejectedException timeout:
                return call.TotalTimeoutExpired
                    ? new DataphinTimeoutException(call.Operation.Name, DataphinTimeoutKind.Total, timeout.Timeout, timeout)
                    : new DataphinTimeoutException(call.Operation.Name, DataphinTimeoutKind.Attempt, timeout.Timeout, timeout);
            case BrokenCircuitException broken:
                return new DataphinCircuitOpenException(call.Operation.Name, call.Operation.Level, broken.RetryAfter, broken);
        }

        ExceptionDispatchInfo.Capture(exception).Throw();
        return exception;
    }
}
