using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Reflection;

namespace Dataphin.OpenApi;

/// <summary>
/// The names of this package's tracing source and meter, for OpenTelemetry:
/// <c>.AddSource(DataphinTelemetry.SourceName)</c> and <c>.AddMeter(DataphinTelemetry.MeterName)</c>.
/// Nothing is recorded, and no work is done, while nobody listens.
/// </summary>
public static class DataphinTelemetry
{
    /// <summary>The <see cref="ActivitySource"/> name: a span per call (<c>Dataphin.&lt;Action&gt;</c>) and a child per attempt.</summary>
    public const string SourceName = "Dataphin.OpenApi";

    /// <summary>
    /// The <see cref="Meter"/> name. Instruments: <c>dataphin.client.requests</c> (calls, by action, level and outcome),
    /// <c>dataphin.client.request.duration</c> (s), <c>dataphin.client.retries</c>, <c>dataphin.client.throttle_wait.duration</c> (s)
    /// and <c>dataphin.client.rejections</c> (calls refused by the client-side rate limiter).
    /// </summary>
    public const string MeterName = "Dataphin.OpenApi";

    private static readonly string Version = typeof(DataphinTelemetry).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0";

    internal static readonly ActivitySource Source = new(SourceName, Version);

    internal static readonly Meter Meter = new(MeterName, Version);

    internal static readonly Counter<long> Requests = Meter.CreateCounter<long>("dataphin.client.requests", "{call}", "Calls made, by action, throttling level and outcome.");

    internal static readonly Histogram<double> Duration = Meter.CreateHistogram<double>("dataphin.client.request.duration", "s", "Duration of calls, waits and retries included.");

    internal static readonly Counter<long> Retries = Meter.CreateCounter<long>("dataphin.client.retries", "{retry}", "Attempts sent again after a throttling answer, a server error or a network failure.");

    internal static readonly Histogram<double> ThrottleWait = Meter.CreateHistogram<double>("dataphin.client.throttle_wait.duration", "s", "Time calls waited for a client-side rate-limit permit.");

    internal static readonly Counter<long> Rejections = Meter.CreateCounter<long>("dataphin.client.rejections", "{call}", "Calls the client-side rate limiter refused because the wait would pass the budget.");
}
