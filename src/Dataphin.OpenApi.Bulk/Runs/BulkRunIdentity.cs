using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Dataphin.OpenApi.Internal;

namespace Dataphin.OpenApi.Bulk;

/// <summary>
/// What a run journal was written for: the operation, the input (a SHA-256 of its bytes and its item count), the
/// endpoint and the tenant. A journal is continued only by a run with the same identity, so that the items it
/// records as done are the same items. The AccessKey id is kept as a hash, for people reading the journal; a run
/// with another AccessKey may continue it.
/// </summary>
/// <example>
/// <code>
/// var identity = new BulkRunIdentity("lineage add", await BulkRunIdentity.Sha256Async(File.OpenRead(path)), itemCount, client.Endpoint.ToString(), tenantId);
/// using var store = FileBulkRunStore.Open("run.journal.jsonl", identity);
/// </code>
/// </example>
public sealed class BulkRunIdentity
{
    /// <summary>Creates an identity.</summary>
    /// <param name="operation">What the run does, e.g. <c>lineage add</c>.</param>
    /// <param name="inputSha256">The SHA-256 of the input's bytes (hex), e.g. from <see cref="Sha256Async(Stream, CancellationToken)"/>.</param>
    /// <param name="itemCount">How many items the input holds.</param>
    /// <param name="endpoint">The service endpoint.</param>
    /// <param name="tenantId">The tenant (<c>OpTenantId</c>).</param>
    /// <param name="accessKeyIdHash">A hash of the AccessKey id (<see cref="HashAccessKeyId"/>), or <see langword="null"/>.</param>
    /// <exception cref="ArgumentException">A text is empty, or <paramref name="itemCount"/> is negative.</exception>
    public BulkRunIdentity(string operation, string inputSha256, long itemCount, string endpoint, long tenantId, string? accessKeyIdHash = null)
    {
        Operation = Guard.NotNullOrWhiteSpace(operation, nameof(operation));
        InputSha256 = Guard.NotNullOrWhiteSpace(inputSha256, nameof(inputSha256)).ToLowerInvariant();
        ItemCount = itemCount >= 0 ? itemCount : throw new ArgumentException("The item count must not be negative.", nameof(itemCount));
        Endpoint = NormalizeEndpoint(Guard.NotNullOrWhiteSpace(endpoint, nameof(endpoint)));
        TenantId = tenantId;
        AccessKeyIdHash = string.IsNullOrWhiteSpace(accessKeyIdHash) ? null : accessKeyIdHash;
    }

    /// <summary>What the run does, e.g. <c>lineage add</c>.</summary>
    public string Operation { get; }

    /// <summary>The SHA-256 of the input's bytes, lower-case hex.</summary>
    public string InputSha256 { get; }

    /// <summary>How many items the input holds.</summary>
    public long ItemCount { get; }

    /// <summary>The service endpoint (scheme, host, port and path, lower case, ending in <c>/</c>).</summary>
    public string Endpoint { get; }

    /// <summary>The tenant.</summary>
    public long TenantId { get; }

    /// <summary>A hash of the AccessKey id, or <see langword="null"/>. Never the secret.</summary>
    public string? AccessKeyIdHash { get; }

    /// <summary>
    /// A short, stable fingerprint of everything that must match for a journal to be continued (operation, input,
    /// item count, endpoint, tenant): 16 hex digits, e.g. to name a journal file.
    /// </summary>
    public string Fingerprint
    {
        get
        {
            var text = string.Join("\n", "dataphin-run-v1", Operation, InputSha256, ItemCount.ToString(CultureInfo.InvariantCulture), Endpoint, TenantId.ToString(CultureInfo.InvariantCulture));
            return Hex(Sha256(Encoding.UTF8.GetBytes(text))).Substring(0, 16);
        }
    }

    /// <summary>The SHA-256 of a stream's bytes from its current position to its end, as lower-case hex.</summary>
    /// <param name="stream">The stream; read to its end, not disposed.</param>
    /// <param name="cancellationToken">Stops reading.</param>
    /// <returns>The hash.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="stream"/> is null.</exception>
    public static async Task<string> Sha256Async(Stream stream, CancellationToken cancellationToken = default)
    {
        Guard.NotNull(stream, nameof(stream));
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new byte[81920];
        int read;
#if NET8_0_OR_GREATER
        while ((read = await stream.ReadAsync(buffer.AsMemory(), cancellationToken).ConfigureAwait(false)) > 0)
#else
        while ((read = await stream.ReadAsync(buffer, 0, buffer.Length, cancellationToken).ConfigureAwait(false)) > 0)
#endif
        {
            hash.AppendData(buffer, 0, read);
        }

        return Hex(hash.GetHashAndReset());
    }

    /// <summary>A hash of an AccessKey id for the journal: <c>sha256:</c> and 16 hex digits. The id is not a secret, but the journal need not show it.</summary>
    /// <param name="accessKeyId">The AccessKey id.</param>
    /// <returns>The hash.</returns>
    /// <exception cref="ArgumentException"><paramref name="accessKeyId"/> is empty.</exception>
    public static string HashAccessKeyId(string accessKeyId)
        => "sha256:" + Hex(Sha256(Encoding.UTF8.GetBytes(Guard.NotNullOrWhiteSpace(accessKeyId, nameof(accessKeyId))))).Substring(0, 16);

    /// <summary>The ways <paramref name="other"/> (what a journal was written for) differs from this identity, as sentences; empty when a run with this identity may continue it.</summary>
    /// <param name="other">The identity recorded in the journal.</param>
    /// <returns>One sentence per difference.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="other"/> is null.</exception>
    public IReadOnlyList<string> DifferencesFrom(BulkRunIdentity other)
    {
        Guard.NotNull(other, nameof(other));
        var differences = new List<string>();
        if (!string.Equals(Operation, other.Operation, StringComparison.Ordinal))
        {
            differences.Add($"it is for another operation ('{other.Operation}', not '{Operation}')");
        }

        if (!string.Equals(InputSha256, other.InputSha256, StringComparison.Ordinal) || ItemCount != other.ItemCount)
        {
            differences.Add(string.Format(
                CultureInfo.InvariantCulture,
                "it is for another manifest ({0:N0} items, SHA-256 {1}...; this one has {2:N0} items, SHA-256 {3}...)",
                other.ItemCount,
                Short(other.InputSha256),
                ItemCount,
                Short(InputSha256)));
        }

        if (!string.Equals(Endpoint, other.Endpoint, StringComparison.Ordinal))
        {
            differences.Add($"it is for another endpoint ({other.Endpoint}, not {Endpoint})");
        }

        if (TenantId != other.TenantId)
        {
            differences.Add(string.Format(CultureInfo.InvariantCulture, "it is for another tenant ({0}, not {1})", other.TenantId, TenantId));
        }

        return differences;
    }

    /// <inheritdoc />
    public override string ToString() => string.Format(CultureInfo.InvariantCulture, "{0} of {1:N0} items (SHA-256 {2}...) at {3}, tenant {4}", Operation, ItemCount, Short(InputSha256), Endpoint, TenantId);

    internal static string NormalizeEndpoint(string endpoint)
    {
        if (Uri.TryCreate(endpoint.Trim(), UriKind.Absolute, out var uri))
        {
            var text = uri.GetLeftPart(UriPartial.Path).ToLowerInvariant();
            return text.EndsWith("/", StringComparison.Ordinal) ? text : text + "/";
        }

        return endpoint.Trim().ToLowerInvariant();
    }

    private static string Short(string sha) => sha.Length > 12 ? sha.Substring(0, 12) : sha;

    private static byte[] Sha256(byte[] data)
    {
#if NET8_0_OR_GREATER
        return SHA256.HashData(data);
#else
        using var sha = SHA256.Create();
        return sha.ComputeHash(data);
#endif
    }

    private static string Hex(byte[] bytes)
    {
        var text = new StringBuilder(bytes.Length * 2);
        foreach (var b in bytes)
        {
            text.Append(b.ToString("x2", CultureInfo.InvariantCulture));
        }

        return text.ToString();
    }
}
