using System.Globalization;

namespace Dataphin.OpenApi.Resilience;

/// <summary>Checks the resilience settings when a client is created, naming the setting and the rule it breaks.</summary>
internal static class ResilienceOptionsValidator
{
    private static readonly TimeSpan MinimumTimeout = TimeSpan.FromMilliseconds(10);
    private static readonly TimeSpan MaximumTimeout = TimeSpan.FromDays(1);

    public static void Validate(DataphinClientOptions options)
    {
        if (options.Edition is { } edition && edition is not (DataphinEdition.Personal or DataphinEdition.Agile or DataphinEdition.Basic or DataphinEdition.Intelligent))
        {
            Fail($"DataphinClientOptions.Edition must be Personal, Agile, Basic, Intelligent or null; it was {(int)edition}.");
        }

        var rate = options.RateLimit ?? throw Error("DataphinClientOptions.RateLimit must not be null.");
        var retry = options.Retry ?? throw Error("DataphinClientOptions.Retry must not be null.");
        var timeouts = options.Timeouts ?? throw Error("DataphinClientOptions.Timeouts must not be null.");
        var breaker = options.CircuitBreaker ?? throw Error("DataphinClientOptions.CircuitBreaker must not be null.");

        Qps(rate.Level1Qps, "Level1Qps");
        Qps(rate.Level2Qps, "Level2Qps");
        Qps(rate.Level3Qps, "Level3Qps");
        Qps(rate.SharedQps, "SharedQps");
        if (rate.Burst is < 1 or > 1000)
        {
            Fail($"DataphinClientOptions.RateLimit.Burst must be between 1 and 1000; it was {rate.Burst}.");
        }

        Range(rate.MaxWait, TimeSpan.Zero, MaximumTimeout, "RateLimit.MaxWait");
        Ratio(rate.DailyQuotaWarningThreshold, "RateLimit.DailyQuotaWarningThreshold");
        DailyLimit(rate.Level12DailyLimit, "Level12DailyLimit");
        DailyLimit(rate.Level3DailyLimit, "Level3DailyLimit");
        DailyLimit(rate.SharedDailyLimit, "SharedDailyLimit");
        Range(rate.DailyQuotaUtcOffset, TimeSpan.FromHours(-14), TimeSpan.FromHours(14), "RateLimit.DailyQuotaUtcOffset");

        if (retry.MaxAttempts is < 1 or > 20)
        {
            Fail($"DataphinClientOptions.Retry.MaxAttempts must be between 1 and 20 (1 turns retries off); it was {retry.MaxAttempts}.");
        }

        Range(retry.BaseDelay, TimeSpan.Zero, MaximumTimeout, "Retry.BaseDelay");
        Range(retry.MaxDelay, retry.BaseDelay, MaximumTimeout, "Retry.MaxDelay");
        Range(retry.MaxRetryAfter, TimeSpan.Zero, MaximumTimeout, "Retry.MaxRetryAfter");

        Timeout(timeouts.AttemptTimeout, "Timeouts.AttemptTimeout");
        Timeout(timeouts.TotalTimeout, "Timeouts.TotalTimeout");
        if (timeouts.AttemptTimeout != System.Threading.Timeout.InfiniteTimeSpan && timeouts.TotalTimeout != System.Threading.Timeout.InfiniteTimeSpan
            && timeouts.TotalTimeout < timeouts.AttemptTimeout)
        {
            Fail($"DataphinClientOptions.Timeouts.TotalTimeout ({timeouts.TotalTimeout}) must be at least DataphinClientOptions.Timeouts.AttemptTimeout ({timeouts.AttemptTimeout}), or no attempt could use its full time.");
        }

        if (breaker.Enabled)
        {
            Ratio(breaker.FailureRatio, "CircuitBreaker.FailureRatio");
            if (breaker.MinimumThroughput < 2)
            {
                Fail($"DataphinClientOptions.CircuitBreaker.MinimumThroughput must be at least 2; it was {breaker.MinimumThroughput}.");
            }

            Range(breaker.SamplingDuration, TimeSpan.FromMilliseconds(500), MaximumTimeout, "CircuitBreaker.SamplingDuration");
            Range(breaker.BreakDuration, TimeSpan.FromMilliseconds(500), MaximumTimeout, "CircuitBreaker.BreakDuration");
        }
    }

    private static void Qps(double? value, string name)
    {
        if (value is { } qps && (double.IsNaN(qps) || qps <= 0 || qps > 100_000))
        {
            Fail($"DataphinClientOptions.RateLimit.{name} must be above 0 and at most 100000 calls per second (or null for the edition's quota); it was {qps.ToString(CultureInfo.InvariantCulture)}.");
        }
    }

    private static void DailyLimit(long? value, string name)
    {
        if (value is < 1)
        {
            Fail($"DataphinClientOptions.RateLimit.{name} must be at least 1 (or null for the edition's cap); it was {value}.");
        }
    }

    private static void Ratio(double value, string name)
    {
        if (double.IsNaN(value) || value <= 0 || value > 1)
        {
            Fail($"DataphinClientOptions.{name} must be above 0 and at most 1; it was {value.ToString(CultureInfo.InvariantCulture)}.");
        }
    }

    private static void Range(TimeSpan value, TimeSpan minimum, TimeSpan maximum, string name)
    {
        if (value < minimum || value > maximum)
        {
            Fail($"DataphinClientOptions.{name} must be between {minimum} and {maximum}; it was {value}.");
        }
    }

    private static void Timeout(TimeSpan value, string name)
    {
        if (value != System.Threading.Timeout.InfiniteTimeSpan && (value < MinimumTimeout || value > MaximumTimeout))
        {
            Fail($"DataphinClientOptions.{name} must be between 10 ms and 1 day, or Timeout.InfiniteTimeSpan to turn it off; it was {value}.");
        }
    }

    private static ArgumentException Error(string message, string paramName = "options") => new(message, paramName);

    private static void Fail(string message) => throw Error(message);
}
