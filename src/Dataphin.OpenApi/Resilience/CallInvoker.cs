using System.Diagnostics;
using System.Globalization;
using System.Runtime.ExceptionServices;
using Dataphin.OpenApi.Diagnostics;
using Dataphin.OpenApi.Transport;
using Polly;
using Polly.CircuitBreaker;
using Polly.Timeout;

namespace Dataphin.OpenApi.Resilience;

/// <summary>
/// A call, the step between the facade (<see cref="DataphinClient"/>, <see cref="DataphinPipelineHandler"/>) and the
/// attempts: looks the operation up in the catalog, checks the edition, then runs the attempts
/// (<see cref="AttemptInvoker"/>) through the cached pipeline of the operation's throttling level, and maps what Polly
/// raises (timeouts, an open circuit) to this package's exceptions. Also the call's log line, metrics and span.
/// </summary>
internal sealed class CallInvoker
{
    private readonly AttemptInvoker _attempts;
    private readonly DataphinCredentialProvider _credentials;
    private readonly DataphinClientOptions _options;
    private readonly DiagnosticsObserver _observer;
    private readonly ClientRateLimiter _limiter;
    private readonly ResiliencePipeline?[] _pipelines = new ResiliencePipeline?[3];
    private readonly object _gate = new();

    /// <summary>Creates the call step, and the attempt step below it, sending to <paramref name="endpoint"/>.</summary>
    /// <param name="httpClients">The HTTP client source, asked once per attempt.</param>
    /// <param name="endpoint">The resolved endpoint.</param>
    /// <param name="credentials">Asked once per attempt for the credential.</param>
    /// <param name="options">The client's (validated, copied) settings.</param>
    public CallInvoker(Func<HttpClient> httpClients, Uri endpoint, DataphinCredentialProvider credentials, DataphinClientOptions options)
    {
        _credentials = credentials;
        _options = options;
        _observer = new DiagnosticsObserver(options.LoggerFactory?.CreateLogger(DataphinLog.CategoryName), options.Observer);
        _attempts = new AttemptInvoker(httpClients, endpoint, options.TimeProvider, options.UserAgentSuffix, _observer);
        _limiter = new ClientRateLimiter(endpoint.Authority, options, _observer);
    }

    public Uri Endpoint => _attempts.Endpoint;

    internal AttemptInvoker Attempts => _attempts;

    internal ClientRateLimiter RateLimiter => _limiter;

    /// <summary>Runs the call of <paramref name="request"/> and returns the successful answer, or throws the typed error.</summary>
    /// <param name="request">The validated request, built once.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    public async Task<RpcResult> InvokeAsync(RpcRequest request, CancellationToken cancellationToken)
    {
        CheckBodySize(request);
        var operation = DataphinOperationCatalog.GetOrUnknown(request.Action);
        CheckEdition(operation);
        cancellationToken.ThrowIfCancellationRequested();

        var time = _options.TimeProvider;
        var started = time.GetTimestamp();
        var call = new DataphinCall(operation, request, _credentials, started, _options.Timeouts.TotalTimeout);
        var pipeline = PipelineFor(operation.Level);
        var context = ResilienceContextPool.Shared.Get(operation.Name, continueOnCapturedContext: false, cancellationToken);
        context.Properties.Set(DataphinCall.Key, call);
        using var activity = DataphinTelemetry.Source.HasListeners() ? StartCallActivity(operation, request.OpTenantId) : null;
        RpcOutcome result = default;
        try
        {
            var outcome = await pipeline.ExecuteOutcomeAsync(
                static (ctx, state) => state.Attempts.SendAsync(ctx, state.Call),
                context,
                (Attempts: _attempts, Call: call)).ConfigureAwait(false);
            if (outcome.Exception is { } exception)
            {
                var translated = Translate(exception, call, Endpoint, cancellationToken);
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

    /// <summary>A body over <see cref="DataphinClientOptions.MaxRequestBodyBytes"/> is refused before the first attempt: not sent, so not resent.</summary>
    private static void CheckBodySize(RpcRequest request)
    {
        if (request.Body.Length > DataphinClientOptions.MaxRequestBodyBytes)
        {
            throw new DataphinValidationException(request.Action, [BodyTooLarge(request.Body.Length)]);
        }
    }

    internal static DataphinValidationError BodyTooLarge(long bytes)
        => new(
            "Body",
            DataphinValidationRules.TooLarge,
            string.Format(
                CultureInfo.InvariantCulture,
                "The request body is {0:N0} bytes once form-encoded, over the limit of {1:N0} bytes (10 MiB) a call may send; split the call into smaller ones, or shorten its values.",
                bytes,
                DataphinClientOptions.MaxRequestBodyBytes));

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

    private static Exception Translate(Exception exception, DataphinCall call, Uri endpoint, CancellationToken cancellationToken)
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
            case Exception when TransportFailure.Is(exception, cancellationToken):
                return new DataphinTransportException(call.Operation.Name, endpoint, call.RetryAttempt + 1, exception);
        }

        return exception;
    }
}
