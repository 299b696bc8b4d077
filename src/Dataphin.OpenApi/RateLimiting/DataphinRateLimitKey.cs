using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Dataphin.OpenApi;

/// <summary>
/// What a quota belongs to: the endpoint (host and port), the tenant, the AccessKey id and the budget (a throttling
/// level, or <see langword="null"/> for the one budget all levels share on Personal and Agile R&amp;D). A
/// <see cref="DataphinRateLimiterProvider"/> gets one limiter per key. A key that leaves the process (a shared store
/// such as Redis) must use <see cref="ToHashedId"/>, never the AccessKey id or the tenant as they are.
/// </summary>
public readonly struct DataphinRateLimitKey : IEquatable<DataphinRateLimitKey>
{
    /// <summary>Creates a key.</summary>
    /// <param name="endpoint">The endpoint's host and port, e.g. <c>dataphin-openapi.cn-hangzhou.aliyuncs.com:443</c>.</param>
    /// <param name="opTenantId">The tenant the calls are made in.</param>
    /// <param name="accessKeyId">The AccessKey id the calls are signed with (never the secret).</param>
    /// <param name="level">The throttling level whose quota the calls draw from, or <see langword="null"/> for the budget all levels share.</param>
    /// <exception cref="ArgumentNullException"><paramref name="endpoint"/> or <paramref name="accessKeyId"/> is null.</exception>
    public DataphinRateLimitKey(string endpoint, long opTenantId, string accessKeyId, ThrottlingLevel? level)
    {
        Endpoint = endpoint ?? throw new ArgumentNullException(nameof(endpoint));
        OpTenantId = opTenantId;
        AccessKeyId = accessKeyId ?? throw new ArgumentNullException(nameof(accessKeyId));
        Level = level;
    }

    /// <summary>The endpoint's host and port.</summary>
    public string Endpoint { get; }

    /// <summary>The tenant.</summary>
    public long OpTenantId { get; }

    /// <summary>The AccessKey id (not a secret, but keep it inside the process: use <see cref="ToHashedId"/> outside).</summary>
    public string AccessKeyId { get; }

    /// <summary>The throttling level, or <see langword="null"/> for the one budget all levels share (Personal and Agile R&amp;D).</summary>
    public ThrottlingLevel? Level { get; }

    /// <summary>Whether two keys are equal.</summary>
    /// <param name="left">The first key.</param>
    /// <param name="right">The second key.</param>
    /// <returns>Whether they are equal.</returns>
    public static bool operator ==(DataphinRateLimitKey left, DataphinRateLimitKey right) => left.Equals(right);

    /// <summary>Whether two keys differ.</summary>
    /// <param name="left">The first key.</param>
    /// <param name="right">The second key.</param>
    /// <returns>Whether they differ.</returns>
    public static bool operator !=(DataphinRateLimitKey left, DataphinRateLimitKey right) => !left.Equals(right);

    /// <summary>
    /// A stable id for this key, the same in every process and on every machine: the lowercase hex SHA-256 of the
    /// endpoint, tenant, AccessKey id and budget (each length-prefixed, so no two keys share an encoding). Neither the
    /// AccessKey id nor the tenant can be read from it; use it for keys that leave the process.
    /// </summary>
    /// <returns>64 lowercase hex digits.</returns>
    public string ToHashedId()
    {
        var text = new StringBuilder("dataphin-rate-limit-key/v1");
        foreach (var part in new[] { Endpoint.ToLowerInvariant(), OpTenantId.ToString(CultureInfo.InvariantCulture), AccessKeyId, Level is { } level ? ((int)level).ToString(CultureInfo.InvariantCulture) : "shared" })
        {
            text.Append('\n').Append(part.Length.ToString(CultureInfo.InvariantCulture)).Append(':').Append(part);
        }

#if NET
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString()));
#else
        using var sha = SHA256.Create();
        var hash = sha.ComputeHash(Encoding.UTF8.GetBytes(text.ToString()));
#endif
        var hex = new StringBuilder(hash.Length * 2);
        foreach (var b in hash)
        {
            hex.Append(b.ToString("x2", CultureInfo.InvariantCulture));
        }

        return hex.ToString();
    }

    /// <inheritdoc/>
    public bool Equals(DataphinRateLimitKey other)
        => OpTenantId == other.OpTenantId && Level == other.Level
            && string.Equals(Endpoint, other.Endpoint, StringComparison.OrdinalIgnoreCase)
            && string.Equals(AccessKeyId, other.AccessKeyId, StringComparison.Ordinal);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is DataphinRateLimitKey other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode()
    {
        unchecked
        {
            var hash = StringComparer.OrdinalIgnoreCase.GetHashCode(Endpoint ?? string.Empty);
            hash = (hash * 397) ^ OpTenantId.GetHashCode();
            hash = (hash * 397) ^ StringComparer.Ordinal.GetHashCode(AccessKeyId ?? string.Empty);
            return (hash * 397) ^ (Level is { } level ? (int)level : 0);
        }
    }

    /// <summary>The key for people: endpoint, tenant, AccessKey id and budget.</summary>
    /// <returns>The text.</returns>
    public override string ToString() => FormattableString.Invariant(
        $"{Endpoint}, tenant {OpTenantId}, AccessKey {AccessKeyId}, {(Level is { } level ? level.ToString() : "all levels")}");
}
