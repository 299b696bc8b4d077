using System.Diagnostics.Metrics;
using System.Reflection;
using Microsoft.Extensions.Logging;

namespace Dataphin.OpenApi.Redis;

/// <summary>
/// This package's instruments, on a meter named <see cref="DataphinTelemetry.MeterName"/> like the client's, so
/// <c>.AddMeter(DataphinTelemetry.MeterName)</c> collects them too; and its log messages.
/// </summary>
internal static class RedisTelemetry
{
    /// <summary>Seconds spent pacing alone (Redis unreachable or slow), by throttling level.</summary>
    public const string FallbackDurationName = "dataphin.client.rate_limit.fallback.duration";

    /// <summary>Redis requests that failed or took too long (each one sends a process to its local bucket).</summary>
    public const string RedisFailuresName = "dataphin.client.rate_limit.redis.failures";

    private static readonly string Version = typeof(RedisTelemetry).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0";

    private static readonly Meter Meter = new(DataphinTelemetry.MeterName, Version);

    public static readonly Counter<double> FallbackDuration = Meter.CreateCounter<double>(
        FallbackDurationName, "s", "Time the client-side rate limiter paced calls with a local share of the quota because Redis could not be reached.");

    public static readonly Counter<long> RedisFailures = Meter.CreateCounter<long>(
        RedisFailuresName, "{failure}", "Requests to Redis for a rate-limit permit that failed or took longer than the timeout.");

    public static readonly Action<ILogger, string, double, string, Exception?> OutageStarted = LoggerMessage.Define<string, double, string>(
        LogLevel.Warning,
        new EventId(101, "RedisRateLimitOutage"),
        "Redis ({RedisEndpoint}) did not answer for the shared Dataphin quota: each process now paces itself alone at {FallbackShare:P0} of the quota until Redis answers again. {Reason}");

    public static readonly Action<ILogger, string, string, Exception?> RequestFailed = LoggerMessage.Define<string, string>(
        LogLevel.Debug,
        new EventId(103, "RedisRateLimitRequestFailed"),
        "Redis ({RedisEndpoint}) did not answer a rate-limit request: {Reason}");

    public static readonly Action<ILogger, string, double, Exception?> OutageEnded = LoggerMessage.Define<string, double>(
        LogLevel.Information,
        new EventId(102, "RedisRateLimitRecovered"),
        "Redis ({RedisEndpoint}) answers again: the shared Dataphin quota is used again after {OutageSeconds:0.#} s of local pacing.");
}
