using System.Diagnostics;
using System.Runtime.ExceptionServices;
using Dataphin.OpenApi.Diagnostics;
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
    private readonly DiagnosticsObserver _observer;
    private readonly ClientRateLimiter _limiter;
    private readonly ResiliencePipeline?[] _pipelines = new ResiliencePipeline?[3];
    private readonly object _gate = new();

    public ResilientInvoker(RpcInvoker invoker, DataphinCredentialProvider credentials, DataphinClientOptions options)
    {
        _invoker = invoker;
        _credentials = credentials;
        _options = options;
        _observer = new DiagnosticsObserver(options.LoggerFactory?.CreateLogger(DataphinLog.CategoryName), options.Observer);
        _limiter = new ClientRateLimiter(invoker.Endpoint.Authority, credentials, options, _observer);
    }

    internal ClientRateLimiter RateLimiter => _limiter;

    internal Microsoft.Extensions.Logging.ILogger? Logger => _observer.Logger;

    public async Task<RpcResult> InvokeAsync(RpcRequest request, long opTenantId, CancellationToken cancellationToken)
    {
        var operation = DataphinOperationCatalog.GetOrUnknown(request.Action);
        CheckEdition(operation);
        cancellationToken.ThrowIfCancellationRequested();

        var time = _options.TimeProvider;
        var started = time.GetTimestamp();
        var call = new DataphinCall(operation, opTenantId, request, started, _options.Timeouts.TotalTimeout);
        var pipeline = PipelineFor(operation.Level);
        var context = ResilienceContextPool.Shared.Get(operation.Name, continueOnCapturedContext: false, cancellationToken);
        context.Properties.Set(DataphinCall.Key, call);
        using var activity = DataphinTelemetry.Source.HasListeners() ? StartCallActivity(operation, opTenantId) : null;
        RpcOutcome result = default;
        try
        {
            var outcome = await pipeline.ExecuteOutcomeAsync(
                static (ctx, state) => state.Self.SendAttemptAsync(ctx, state.Call),
                context,
                (Self: this, Call: call)).ConfigureAwait(false);
            if (outcome.Exception is { } exception)
            {
                var translated = Translate(exception, call, cancellationToken);
                result = RpcOutcome.From(translated);
                if (ReferenceEquals(translated, exception))
                {
                    ExceptionDispatchInfo.Capture(exception).Throw();
                }

                throw translated;
            }

            var answer = outcome.Result!;
            result = new RpcOutcome(answer.Status, answer.Answer.Code, answer.Answer.RequestId, null);
            return answer;
        }
        catch (OperationCanceledException canceled) when (result.Error is null && result.Status == 0)
        {
            result = RpcOutcome.From(canceled);
            throw;
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
            _observer.OnCallCompleted(operation.Name, operation.Level, call.RetryAttempt + 1, result, time.GetElapsedTime(started));
            if (activity is not null)
            {
                EndCallActivity(activity, call, result);
            }
        }
    }

    private static Activity? StartCallActivity(DataphinOperationInfo operation, long opTenantId)
    {
        var activity = DataphinTelemetry.Source.StartActivity("Dataphin." + operation.Name, ActivityKind.Client);
        if (activity is { IsAllDataRequested: true })
        {
            activity.SetTag("rpc.system", "alibaba_cloud_acs");
            activity.SetTag("rpc.service", "dataphin-public");
            activity.SetTag("rpc.method", operation.Name);
            activity.SetTag("dataphin.level", (int)operation.Level);
            activity.SetTag("dataphin.tenant_id", opTenantId);
        }

        return activity;
    }

    private static void EndCallActivity(Activity activity, DataphinCall call, RpcOutcome result)
    {
        if (activity.IsAllDataRequested)
        {
            activity.SetTag("dataphin.attempts", call.RetryAttempt + 1);
            activity.SetTag("dataphin.outcome", result.Name);
            if (result.Status > 0)
            {
                activity.SetTag("http.response.status_code", result.Status);
            }

            if (result.Code is not null)
            {
                activity.SetTag("dataphin.code", result.Code);
            }

            if (result.RequestId is not null)
            {
                activity.SetTag("dataphin.request_id", result.RequestId);
            }
        }

        if (result.Error is not null)
        {
            activity.SetStatus(ActivityStatusCode.Error, result.Error.GetType().Name);
            activity.SetTag("error.type", result.Error.GetType().FullName);
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
        using var activity = DataphinTelemetry.Source.HasListeners() ? DataphinTelemetry.Source.StartActivity("Dataphin." + call.Operation.Name + " attempt", ActivityKind.Client) : null;
        if (activity is { IsAllDataRequested: true } && call.RetryAttempt > 0)
        {
            activity.SetTag("http.request.resend_count", call.RetryAttempt);
        }

        try
        {
            var credential = call.Credential ?? await _credentials.GetCredentialAsync(context.CancellationToken).ConfigureAwait(false);
            call.Credential = null;
            var result = await _invoker.SendAttemptAsync(call.Request, credential, call.Operation.Level, call.RetryAttempt, call.RetryDelay, context.CancellationToken).ConfigureAwait(false);
            _observer.OnAttempt(call.Operation.Name, call.Operation.Level, call.RetryAttempt, result.Status, null, time.GetElapsedTime(started));
            activity?.SetTag("http.response.status_code", result.Status);
            return Outcome.FromResult(result);
        }
        catch (Exception exception)
        {
            var request = exception as DataphinRequestException;
            _observer.OnAttempt(call.Operation.Name, call.Operation.Level, call.RetryAttempt, request?.Status ?? 0, request?.ErrorCode, time.GetElapsedTime(started));
            if (activity is not null)
            {
                if (request is { Status: > 0 })
                {
                    activity.SetTag("http.response.status_code", request.Status);
                }

                activity.SetStatus(ActivityStatusCode.Error, exception.GetType().Name);
            }

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

        return exception;
    }
}
