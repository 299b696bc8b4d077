namespace Dataphin.OpenApi;

/// <summary>
/// The quota a client configured for one <see cref="DataphinRateLimitKey"/>: permits per second, the burst, and
/// whether the limiter slows down when the service throttles. Clients that configure different quotas for the same
/// key get different limiters from the in-process provider, so no client is ever slowed down by another's settings.
/// </summary>
public readonly struct DataphinRateLimitQuota : IEquatable<DataphinRateLimitQuota>
{
    /// <summary>Creates a quota.</summary>
    /// <param name="permitsPerSecond">The configured rate (above 0).</param>
    /// <param name="burst">How many permits the limiter holds when idle (at least 1).</param>
    /// <param name="adaptive">Whether a throttling answer slows the limiter down.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="permitsPerSecond"/> is not above 0, or <paramref name="burst"/> is below 1.</exception>
    public DataphinRateLimitQuota(double permitsPerSecond, int burst, bool adaptive)
    {
        if (!(permitsPerSecond > 0) || double.IsInfinity(permitsPerSecond))
        {
            throw new ArgumentOutOfRangeException(nameof(permitsPerSecond), permitsPerSecond, "The rate must be a finite number above 0.");
        }

        if (burst < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(burst), burst, "The burst must be at least 1.");
        }

        PermitsPerSecond = permitsPerSecond;
        Burst = burst;
        Adaptive = adaptive;
    }

    /// <summary>The configured rate, in permits per second.</summary>
    public double PermitsPerSecond { get; }

    /// <summary>How many permits the limiter holds when idle.</summary>
    public int Burst { get; }

    /// <summary>Whether a throttling answer slows the limiter down.</summary>
    public bool Adaptive { get; }

    /// <summary>Whether two quotas are equal.</summary>
    /// <param name="left">The first quota.</param>
    /// <param name="right">The second quota.</param>
    /// <returns>Whether they are equal.</returns>
    public static bool operator ==(DataphinRateLimitQuota left, DataphinRateLimitQuota right) => left.Equals(right);

    /// <summary>Whether two quotas differ.</summary>
    /// <param name="left">The first quota.</param>
    /// <param name="right">The second quota.</param>
    /// <returns>Whether they differ.</returns>
    public static bool operator !=(DataphinRateLimitQuota left, DataphinRateLimitQuota right) => !left.Equals(right);

    /// <inheritdoc/>
    public bool Equals(DataphinRateLimitQuota other)
        => PermitsPerSecond.Equals(other.PermitsPerSecond) && Burst == other.Burst && Adaptive == other.Adaptive;

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is DataphinRateLimitQuota other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode()
    {
        unchecked
        {
            return (((PermitsPerSecond.GetHashCode() * 397) ^ Burst) * 397) ^ (Adaptive ? 1 : 0);
        }
    }

    /// <summary>The quota for people.</summary>
    /// <returns>The text.</returns>
    public override string ToString() => FormattableString.Invariant(
        $"{PermitsPerSecond:0.###} per second, burst {Burst}, {(Adaptive ? "adaptive" : "fixed")}");
}
