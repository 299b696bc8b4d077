namespace Dataphin.OpenApi;

/// <summary>
/// Stops sending for a while when most recent attempts of one throttling level failed with a server error (5xx),
/// an attempt timeout or a connection failure. Throttling answers and other 4xx answers never count. While the
/// circuit is open, calls fail at once with <see cref="DataphinCircuitOpenException"/>. One circuit per client and level.
/// </summary>
public sealed class DataphinCircuitBreakerOptions
{
    /// <summary>Whether the circuit breaker is on. Default: <see langword="true"/>.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>The share of failed attempts within <see cref="SamplingDuration"/> that opens the circuit. Default: 0.5. Allowed: above 0, at most 1.</summary>
    public double FailureRatio { get; set; } = 0.5;

    /// <summary>The fewest attempts within <see cref="SamplingDuration"/> before the ratio is judged. Default: 10. Allowed: 2 or more.</summary>
    public int MinimumThroughput { get; set; } = 10;

    /// <summary>The window over which the failure ratio is measured. Default: 30 s. Allowed: at least 0.5 s.</summary>
    public TimeSpan SamplingDuration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long the circuit stays open before one trial attempt is let through. Default: 15 s. Allowed: at least 0.5 s.</summary>
    public TimeSpan BreakDuration { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>Returns a copy of these settings.</summary>
    /// <returns>The copy.</returns>
    public DataphinCircuitBreakerOptions Clone() => (DataphinCircuitBreakerOptions)MemberwiseClone();
}
