using System.Diagnostics;
using Dataphin.OpenApi.Resilience;
using Microsoft.Extensions.Logging;

namespace Dataphin.OpenApi.Diagnostics;

/// <summary>
/// Turns the request path's events into log lines and metrics, and passes them on to an inner observer (tests).
/// Each event checks whether anyone listens before doing any work.
/// </summary>
internal sealed class DiagnosticsObserver(ILogger? logger, IResilienceObserver? inner) : IResilienceObserver
{
    public ILogger? Logger { get; } = logger;

    public void OnAttempt(string operation, ThrottlingLevel level, int attempt, int status, string? errorCode, TimeSpan duration)
    {
        if (Logger is not null && Logger.IsEnabled(LogLevel.Trace))
        {
            DataphinLog.AttemptCompleted(Logger, operation, attempt, status, errorCode, (long)duration.TotalMilliseconds);
        }

        inner?.OnAttempt(operation, level, attempt, status, errorCode, duration);
    }

    public void OnRetry(string operation, ThrottlingLevel level, int retryAttempt, TimeSpan delay, Exception cause)
    {
        if (Logger is not null && Logger.IsEnabled(LogLevel.Information))
        {
            var reason = cause is DataphinRequestException request
                ? $"HTTP {request.Status} {request.ErrorCode} (RequestId {request.RequestId})"
                : cause.GetType().Name;
            DataphinLog.Retrying(Logger, operation, (int)level, retryAttempt, (long)delay.TotalMilliseconds, reason);
        }

        if (DataphinTelemetry.Retries.Enabled)
        {
            DataphinTelemetry.Retries.Add(1, Tags(operation, level));
        }

        inner?.OnRetry(operation, level, retryAttempt, delay, cause);
    }

    public void OnThrottleWait(string operation, ThrottlingLevel level, TimeSpan waited)
    {
        if (Logger is not null && Logger.IsEnabled(LogLevel.Debug))
        {
            DataphinLog.ThrottleWait(Logger, operation, (int)level, (long)waited.TotalMilliseconds);
        }

        if (DataphinTelemetry.ThrottleWait.Enabled)
        {
            DataphinTelemetry.ThrottleWait.Record(waited.TotalSeconds, Tags(operation, level));
        }

        inner?.OnThrottleWait(operation, level, waited);
    }

    public void OnClientSideRejection(string operation, ThrottlingLevel level, TimeSpan estimatedWait)
    {
        if (Logger is not null && Logger.IsEnabled(LogLevel.Warning))
        {
            DataphinLog.ClientSideRejection(Logger, operation, (int)level, (long)estimatedWait.TotalMilliseconds);
        }

        if (DataphinTelemetry.Rejections.Enabled)
        {
            DataphinTelemetry.Rejections.Add(1, Tags(operation, level));
        }

        inner?.OnClientSideRejection(operation, level, estimatedWait);
    }

    public void OnDailyQuotaWarning(DataphinDailyQuotaWarning warning)
    {
        if (Logger is not null && Logger.IsEnabled(LogLevel.Warning))
        {
            DataphinLog.DailyQuotaWarning(
                Logger,
                warning.OpTenantId,
                warning.CallsToday,
                warning.DailyLimit,
                string.Join("+", warning.Levels),
                warning.Day.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));
        }

        inner?.OnDailyQuotaWarning(warning);
    }

    /// <summary>One call ended: the per-call log line and the request metrics.</summary>
    public void OnCallCompleted(string operation, ThrottlingLevel level, int attempts, RpcOutcome outcome, TimeSpan duration)
    {
        if (Logger is not null)
        {
            var ms = (long)duration.TotalMilliseconds;
            if (outcome.Error is null)
            {
                if (Logger.IsEnabled(LogLevel.Debug))
                {
                    DataphinLog.CallSucceeded(Logger, operation, (int)level, attempts, outcome.Status, outcome.Code, outcome.RequestId, ms);
                }
            }
            else if (Logger.IsEnabled(LogLevel.Warning))
            {
                DataphinLog.CallFailed(Logger, operation, (int)level, attempts, outcome.Status, outcome.Code, outcome.RequestId, ms, outcome.Error.GetType().Name);
            }
        }

        if (DataphinTelemetry.Requests.Enabled || DataphinTelemetry.Duration.Enabled)
        {
            var tags = Tags(operation, level);
            tags.Add("dataphin.outcome", outcome.Name);
            DataphinTelemetry.Requests.Add(1, tags);
            DataphinTelemetry.Duration.Record(duration.TotalSeconds, tags);
        }
    }

    private static TagList Tags(string operation, ThrottlingLevel level) => new()
    {
        { "dataphin.action", operation },
        { "dataphin.level", (int)level },
    };
}
