using Microsoft.Extensions.Logging;

namespace Dataphin.OpenApi.Diagnostics;

/// <summary>The package's log events (source-generated). Event ids are stable; README lists them.</summary>
internal static partial class DataphinLog
{
    public const string CategoryName = "Dataphin.OpenApi.DataphinClient";

    [LoggerMessage(EventId = 1, EventName = "CallSucceeded", Level = LogLevel.Debug,
        Message = "{Action} (Level {Level}) succeeded after {Attempts} attempt(s): HTTP {Status} {Code}, RequestId {RequestId}, {DurationMs} ms")]
    public static partial void CallSucceeded(ILogger logger, string action, int level, int attempts, int status, string? code, string? requestId, long durationMs);

    [LoggerMessage(EventId = 2, EventName = "CallFailed", Level = LogLevel.Warning,
        Message = "{Action} (Level {Level}) failed after {Attempts} attempt(s): HTTP {Status} {Code}, RequestId {RequestId}, {DurationMs} ms: {ErrorType}")]
    public static partial void CallFailed(ILogger logger, string action, int level, int attempts, int status, string? code, string? requestId, long durationMs, string errorType);

    [LoggerMessage(EventId = 3, EventName = "Retrying", Level = LogLevel.Information,
        Message = "{Action} (Level {Level}): retry {RetryAttempt} in {DelayMs} ms after {Reason}")]
    public static partial void Retrying(ILogger logger, string action, int level, int retryAttempt, long delayMs, string reason);

    [LoggerMessage(EventId = 4, EventName = "ThrottleWait", Level = LogLevel.Debug,
        Message = "{Action} (Level {Level}) waited {WaitedMs} ms for a client-side rate-limit permit")]
    public static partial void ThrottleWait(ILogger logger, string action, int level, long waitedMs);

    [LoggerMessage(EventId = 5, EventName = "ClientSideRejection", Level = LogLevel.Warning,
        Message = "{Action} (Level {Level}) was refused by the client-side rate limiter: the wait would be about {EstimatedWaitMs} ms")]
    public static partial void ClientSideRejection(ILogger logger, string action, int level, long estimatedWaitMs);

    [LoggerMessage(EventId = 6, EventName = "DailyQuotaWarning", Level = LogLevel.Warning,
        Message = "Tenant {TenantId}: {Count} of the daily quota of {Limit} calls ({Levels}) have been used on {Day}")]
    public static partial void DailyQuotaWarning(ILogger logger, long tenantId, long count, long limit, string levels, string day);

    [LoggerMessage(EventId = 7, EventName = "AttemptCompleted", Level = LogLevel.Trace,
        Message = "{Action} attempt {Attempt}: HTTP {Status} {Code} in {DurationMs} ms")]
    public static partial void AttemptCompleted(ILogger logger, string action, int attempt, int status, string? code, long durationMs);

    [LoggerMessage(EventId = 8, EventName = "SendingRequest", Level = LogLevel.Trace,
        Message = "Sending {Action} attempt {Attempt}: POST {PathAndQuery} ({BodyBytes} body bytes) headers {Headers}")]
    public static partial void SendingRequest(ILogger logger, string action, int attempt, string pathAndQuery, int bodyBytes, string headers);
}
