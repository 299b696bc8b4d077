namespace Dataphin.OpenApi.Redis;

/// <summary>
/// Settings of <see cref="DataphinRedisRateLimiterProvider"/>: how the fleet shares a quota through Redis, and what a
/// process does while Redis is down or slow.
/// </summary>
public sealed class DataphinRedisRateLimitOptions
{
    /// <summary>The most <see cref="ExpectedFleetSize"/> may be.</summary>
    public const int MaxFleetSize = 10_000;

    /// <summary>
    /// How many processes are expected to share one quota. While Redis cannot be reached each process paces itself
    /// alone at the quota divided by this number (unless <see cref="FallbackShare"/> is set). Default: 4. Allowed: 1 to 10,000.
    /// </summary>
    public int ExpectedFleetSize { get; set; } = 4;

    /// <summary>
    /// The share of the quota one process uses while Redis cannot be reached; <see langword="null"/> (the default)
    /// uses 1 / <see cref="ExpectedFleetSize"/>. Allowed: above 0, at most 1.
    /// </summary>
    public double? FallbackShare { get; set; }

    /// <summary>
    /// The longest a process waits for Redis (to connect, and for each answer) before it paces itself alone for a
    /// while: a slow Redis never holds up a Dataphin call by more than this. Default: 250 ms. Allowed: 10 ms to 30 s.
    /// </summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromMilliseconds(250);

    /// <summary>
    /// The longest the first call of a process waits for the first connection to Redis (a process that has just
    /// started, on a loaded machine, may need more than <see cref="Timeout"/> to connect, and would otherwise begin
    /// alone, on top of the shared budget). Only the first call waits; if Redis cannot be reached then, the process
    /// paces itself alone like in any outage. Default: 2 s. Allowed: 10 ms to 30 s.
    /// </summary>
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// How long a process paces itself alone after Redis failed to answer before it asks Redis again (then one call
    /// asks; the others go on alone until Redis answers). Default: 1 s. Allowed: 10 ms to 5 minutes.
    /// </summary>
    public TimeSpan RetryInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// The start of every key this package writes to Redis. A key is this prefix and, in braces (a Redis Cluster hash
    /// tag), the SHA-256 of the endpoint, tenant, AccessKey id and level (<see cref="DataphinRateLimitKey.ToHashedId"/>):
    /// neither the AccessKey id, nor its secret, nor the tenant is ever written to Redis. Default: <c>dataphin:ratelimit:</c>.
    /// Allowed: 1 to 100 characters, no braces, no white space.
    /// </summary>
    public string KeyPrefix { get; set; } = "dataphin:ratelimit:";

    /// <summary>The share of the quota a process uses while Redis cannot be reached.</summary>
    internal double EffectiveFallbackShare => FallbackShare ?? 1.0 / ExpectedFleetSize;

    /// <summary>Returns a copy of these settings.</summary>
    /// <returns>The copy.</returns>
    public DataphinRedisRateLimitOptions Clone() => (DataphinRedisRateLimitOptions)MemberwiseClone();

    /// <summary>Checks every setting, naming the first one that is out of range and its rule.</summary>
    /// <exception cref="ArgumentException">A setting is out of range.</exception>
    public void Validate()
    {
        if (ExpectedFleetSize is < 1 or > MaxFleetSize)
        {
            throw new ArgumentException($"ExpectedFleetSize must be between 1 and {MaxFleetSize:N0}; it was {ExpectedFleetSize}.", nameof(ExpectedFleetSize));
        }

        if (FallbackShare is { } share && !(share > 0 && share <= 1))
        {
            throw new ArgumentException(FormattableString.Invariant($"FallbackShare must be above 0 and at most 1; it was {share}."), nameof(FallbackShare));
        }

        if (Timeout < TimeSpan.FromMilliseconds(10) || Timeout > TimeSpan.FromSeconds(30))
        {
            throw new ArgumentException(FormattableString.Invariant($"Timeout must be between 10 ms and 30 s; it was {Timeout.TotalMilliseconds} ms."), nameof(Timeout));
        }

        if (ConnectTimeout < TimeSpan.FromMilliseconds(10) || ConnectTimeout > TimeSpan.FromSeconds(30))
        {
            throw new ArgumentException(FormattableString.Invariant($"ConnectTimeout must be between 10 ms and 30 s; it was {ConnectTimeout.TotalMilliseconds} ms."), nameof(ConnectTimeout));
        }

        if (RetryInterval < TimeSpan.FromMilliseconds(10) || RetryInterval > TimeSpan.FromMinutes(5))
        {
            throw new ArgumentException(FormattableString.Invariant($"RetryInterval must be between 10 ms and 5 minutes; it was {RetryInterval.TotalMilliseconds} ms."), nameof(RetryInterval));
        }

        if (KeyPrefix is null || KeyPrefix.Length is < 1 or > 100 || KeyPrefix.Any(c => c is '{' or '}' || char.IsWhiteSpace(c)))
        {
            throw new ArgumentException($"KeyPrefix must be 1 to 100 characters without braces or white space; it was '{KeyPrefix}'.", nameof(KeyPrefix));
        }
    }
}
