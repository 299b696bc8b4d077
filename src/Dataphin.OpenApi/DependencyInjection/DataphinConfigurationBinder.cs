using System.Globalization;
using Microsoft.Extensions.Configuration;

namespace Dataphin.OpenApi.DependencyInjection;

/// <summary>
/// Binds a configuration section (for example <c>"Dataphin"</c> of appsettings.json) to <see cref="DataphinClientOptions"/>
/// by hand: no reflection (trimming and Native AOT safe), every bad value and every unknown key reported with its
/// full path, so a typo fails the host's start instead of being ignored.
/// </summary>
internal static class DataphinConfigurationBinder
{
    public static void Bind(IConfiguration section, DataphinClientOptions options, List<string> errors)
    {
        string? accessKeyId = null, accessKeySecret = null, securityToken = null;
        string? credentialPath = null;
        Apply(section, errors, new(StringComparer.OrdinalIgnoreCase)
        {
            ["Endpoint"] = c => Parse(c, errors, "an absolute URI such as https://dataphin-public.cn-hangzhou.aliyuncs.com", (string t, out Uri v) => Uri.TryCreate(t, UriKind.Absolute, out v!), v => options.Endpoint = v),
            ["RegionId"] = c => options.RegionId = Text(c),
            ["AccessKeyId"] = c => (accessKeyId, credentialPath) = (Text(c), c.Path),
            ["AccessKeySecret"] = c => (accessKeySecret, credentialPath) = (Text(c), c.Path),
            ["SecurityToken"] = c => securityToken = Text(c),
            ["Edition"] = c => Parse<DataphinEdition?>(c, errors, "one of Personal, Agile, Basic, Intelligent", TryParseEdition, v => options.Edition = v),
            ["AllowInsecureHttp"] = c => Bool(c, errors, v => options.AllowInsecureHttp = v),
            ["UserAgentSuffix"] = c => options.UserAgentSuffix = Text(c),
            ["Profile"] = c => (options.ProfileRequested, options.ProfileName) = (true, Text(c)),
            ["RateLimit"] = c => BindRateLimit(c, options.RateLimit, errors),
            ["Retry"] = c => BindRetry(c, options.Retry, errors),
            ["Timeouts"] = c => BindTimeouts(c, options.Timeouts, errors),
            ["CircuitBreaker"] = c => BindCircuitBreaker(c, options.CircuitBreaker, errors),
        });

        if (accessKeyId is not null || accessKeySecret is not null || securityToken is not null)
        {
            var prefix = credentialPath is null ? string.Empty : credentialPath.Substring(0, credentialPath.LastIndexOf(':') + 1);
            if (string.IsNullOrWhiteSpace(accessKeyId) || string.IsNullOrWhiteSpace(accessKeySecret))
            {
                errors.Add($"{prefix}AccessKeyId and {prefix}AccessKeySecret must be set together (one of them is missing or empty).");
            }
            else
            {
                options.Credential = new DataphinCredential(accessKeyId!, accessKeySecret!, string.IsNullOrWhiteSpace(securityToken) ? null : securityToken);
            }
        }
    }

    private static void BindRateLimit(IConfigurationSection section, DataphinRateLimitOptions o, List<string> errors) => Apply(section, errors, new(StringComparer.OrdinalIgnoreCase)
    {
        ["Enabled"] = c => Bool(c, errors, v => o.Enabled = v),
        ["Level1Qps"] = c => NullableDouble(c, errors, v => o.Level1Qps = v),
        ["Level2Qps"] = c => NullableDouble(c, errors, v => o.Level2Qps = v),
        ["Level3Qps"] = c => NullableDouble(c, errors, v => o.Level3Qps = v),
        ["SharedQps"] = c => NullableDouble(c, errors, v => o.SharedQps = v),
        ["Burst"] = c => Int(c, errors, v => o.Burst = v),
        ["Adaptive"] = c => Bool(c, errors, v => o.Adaptive = v),
        ["MaxWait"] = c => Duration(c, errors, v => o.MaxWait = v),
        ["TrackDailyQuota"] = c => Bool(c, errors, v => o.TrackDailyQuota = v),
        ["DailyQuotaWarningThreshold"] = c => Parse<double>(c, errors, "a number", TryParseDouble, v => o.DailyQuotaWarningThreshold = v),
        ["Level12DailyLimit"] = c => NullableLong(c, errors, v => o.Level12DailyLimit = v),
        ["Level3DailyLimit"] = c => NullableLong(c, errors, v => o.Level3DailyLimit = v),
        ["SharedDailyLimit"] = c => NullableLong(c, errors, v => o.SharedDailyLimit = v),
        ["DailyQuotaUtcOffset"] = c => Duration(c, errors, v => o.DailyQuotaUtcOffset = v),
    });

    private static void BindRetry(IConfigurationSection section, DataphinRetryOptions o, List<string> errors) => Apply(section, errors, new(StringComparer.OrdinalIgnoreCase)
    {
        ["MaxAttempts"] = c => Int(c, errors, v => o.MaxAttempts = v),
        ["BaseDelay"] = c => Duration(c, errors, v => o.BaseDelay = v),
        ["MaxDelay"] = c => Duration(c, errors, v => o.MaxDelay = v),
        ["UseJitter"] = c => Bool(c, errors, v => o.UseJitter = v),
        ["MaxRetryAfter"] = c => Duration(c, errors, v => o.MaxRetryAfter = v),
    });

    private static void BindTimeouts(IConfigurationSection section, DataphinTimeoutOptions o, List<string> errors) => Apply(section, errors, new(StringComparer.OrdinalIgnoreCase)
    {
        ["AttemptTimeout"] = c => Duration(c, errors, v => o.AttemptTimeout = v),
        ["TotalTimeout"] = c => Duration(c, errors, v => o.TotalTimeout = v),
    });

    private static void BindCircuitBreaker(IConfigurationSection section, DataphinCircuitBreakerOptions o, List<string> errors) => Apply(section, errors, new(StringComparer.OrdinalIgnoreCase)
    {
        ["Enabled"] = c => Bool(c, errors, v => o.Enabled = v),
        ["FailureRatio"] = c => Parse<double>(c, errors, "a number", TryParseDouble, v => o.FailureRatio = v),
        ["MinimumThroughput"] = c => Int(c, errors, v => o.MinimumThroughput = v),
        ["SamplingDuration"] = c => Duration(c, errors, v => o.SamplingDuration = v),
        ["BreakDuration"] = c => Duration(c, errors, v => o.BreakDuration = v),
    });

    private static void Apply(IConfiguration section, List<string> errors, Dictionary<string, Action<IConfigurationSection>> setters)
    {
        foreach (var child in section.GetChildren())
        {
            if (setters.TryGetValue(child.Key, out var set))
            {
                set(child);
            }
            else
            {
                errors.Add($"{child.Path} is not a setting of the Dataphin client (known here: {string.Join(", ", setters.Keys)}).");
            }
        }
    }

    private static string? Text(IConfigurationSection section) => string.IsNullOrEmpty(section.Value) ? null : section.Value;

    private delegate bool TryParse<T>(string text, out T value);

    private static void Parse<T>(IConfigurationSection section, List<string> errors, string expected, TryParse<T> parse, Action<T> assign)
    {
        if (Text(section) is not { } text)
        {
            return;
        }

        if (parse(text.Trim(), out var value))
        {
            assign(value);
        }
        else
        {
            errors.Add($"{section.Path} is '{text}', which is not {expected}.");
        }
    }

    private static void Bool(IConfigurationSection c, List<string> errors, Action<bool> assign)
        => Parse<bool>(c, errors, "true or false", bool.TryParse, assign);

    private static void Int(IConfigurationSection c, List<string> errors, Action<int> assign)
        => Parse(c, errors, "a whole number", (string t, out int v) => int.TryParse(t, NumberStyles.Integer, CultureInfo.InvariantCulture, out v), assign);

    private static void Duration(IConfigurationSection c, List<string> errors, Action<TimeSpan> assign)
        => Parse(c, errors, "a time span such as 00:00:30 (hh:mm:ss) or 1.00:00:00", (string t, out TimeSpan v) => TimeSpan.TryParse(t, CultureInfo.InvariantCulture, out v), assign);

    private static void NullableDouble(IConfigurationSection c, List<string> errors, Action<double?> assign)
        => Parse<double>(c, errors, "a number", TryParseDouble, v => assign(v));

    private static void NullableLong(IConfigurationSection c, List<string> errors, Action<long?> assign)
        => Parse(c, errors, "a whole number", (string t, out long v) => long.TryParse(t, NumberStyles.Integer, CultureInfo.InvariantCulture, out v), v => assign(v));

    private static bool TryParseDouble(string text, out double value)
        => double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value);

    private static bool TryParseEdition(string text, out DataphinEdition? value)
    {
        foreach (DataphinEdition edition in new[] { DataphinEdition.Personal, DataphinEdition.Agile, DataphinEdition.Basic, DataphinEdition.Intelligent })
        {
            if (string.Equals(edition.ToString(), text, StringComparison.OrdinalIgnoreCase))
            {
                value = edition;
                return true;
            }
        }

        value = null;
        return false;
    }
}
