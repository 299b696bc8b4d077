using System.Text;
using Dataphin.OpenApi.Bulk;
using Dataphin.OpenApi.Internal;
using Dataphin.OpenApi.Manifests;

namespace Dataphin.OpenApi;

/// <summary>
/// Reads lineage manifests (JSON, JSON Lines, CSV; see <c>docs/manifest-format.md</c>) as a stream of
/// <see cref="LineageItem"/>s, ready for <see cref="DataphinBulkLineage"/>. Reading streams: JSON Lines and CSV use
/// constant memory, JSON holds one item at a time. A bad item or row becomes an unreadable item carrying its line
/// number, so one typo does not end the run; only a broken overall structure throws <see cref="LineageManifestException"/>.
/// </summary>
/// <example>
/// <code>
/// await using var file = File.OpenRead("lineage.csv");
/// var items = LineageManifestReader.ReadAsync(file, LineageManifestFormat.Csv, LineageManifestOperation.Add);
/// var summary = await new DataphinBulkLineage(client, tenantId).RunToSummaryAsync(items);
/// </code>
/// </example>
public static class LineageManifestReader
{
    /// <summary>Reads the items of a manifest.</summary>
    /// <param name="stream">The manifest (UTF-8). Not disposed.</param>
    /// <param name="format">Its format.</param>
    /// <param name="operation">Whether items become register or delete commands.</param>
    /// <param name="cancellationToken">Stops reading.</param>
    /// <returns>The items, one per JSON item or per group of CSV rows, read lazily.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="stream"/> is null.</exception>
    /// <exception cref="LineageManifestException">While enumerating: the manifest's structure is broken (not per-item problems).</exception>
    public static IAsyncEnumerable<LineageItem> ReadAsync(Stream stream, LineageManifestFormat format, LineageManifestOperation operation, CancellationToken cancellationToken = default)
    {
        Guard.NotNull(stream, nameof(stream));
        return format switch
        {
            LineageManifestFormat.Json => JsonManifestReader.ReadAsync(stream, operation, cancellationToken),
            LineageManifestFormat.JsonLines => JsonLinesManifestReader.ReadAsync(stream, operation, cancellationToken),
            LineageManifestFormat.Csv => CsvManifestReader.ReadAsync(stream, operation, cancellationToken),
            _ => throw new ArgumentOutOfRangeException(nameof(format), format, "Unknown manifest format."),
        };
    }

    /// <summary>
    /// Counts the items <see cref="ReadAsync"/> would yield, cheaply: JSON Lines by its non-blank lines, JSON by walking
    /// its structure without reading the items; CSV is read as <see cref="ReadAsync"/> reads it (its rows group into items).
    /// </summary>
    /// <param name="stream">The manifest (UTF-8). Read to the end of its structure; not disposed.</param>
    /// <param name="format">Its format.</param>
    /// <param name="cancellationToken">Stops reading.</param>
    /// <returns>How many items the manifest holds, unreadable ones included.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="stream"/> is null.</exception>
    /// <exception cref="LineageManifestException">The manifest's structure is broken, as <see cref="ReadAsync"/> would report it.</exception>
    public static async Task<long> CountItemsAsync(Stream stream, LineageManifestFormat format, CancellationToken cancellationToken = default)
    {
        Guard.NotNull(stream, nameof(stream));
        switch (format)
        {
            case LineageManifestFormat.Json:
                return await JsonManifestReader.CountAsync(stream, cancellationToken).ConfigureAwait(false);
            case LineageManifestFormat.JsonLines:
                return await JsonLinesManifestReader.CountAsync(stream, cancellationToken).ConfigureAwait(false);
            case LineageManifestFormat.Csv:
                long count = 0;
                await foreach (var _ in ReadAsync(stream, format, LineageManifestOperation.Add, cancellationToken).ConfigureAwait(false))
                {
                    count++;
                }

                return count;
            default:
                throw new ArgumentOutOfRangeException(nameof(format), format, "Unknown manifest format.");
        }
    }

    /// <summary>Reads the items of a manifest file, choosing the format from its extension unless <paramref name="format"/> is given.</summary>
    /// <param name="path">The file.</param>
    /// <param name="operation">Whether items become register or delete commands.</param>
    /// <param name="format">The format, or <see langword="null"/> to use <see cref="FormatFromPath"/>.</param>
    /// <param name="cancellationToken">Stops reading.</param>
    /// <returns>The items, read lazily; the file is open while enumerating.</returns>
    /// <exception cref="ArgumentException"><paramref name="path"/> is a directory, or the format cannot be told from the extension.</exception>
    public static IAsyncEnumerable<LineageItem> ReadFileAsync(string path, LineageManifestOperation operation, LineageManifestFormat? format = null, CancellationToken cancellationToken = default)
    {
        Guard.NotNullOrWhiteSpace(path, nameof(path));
        if (Directory.Exists(path))
        {
            throw new ArgumentException($"'{path}' is a directory, not a manifest file; name a .json, .jsonl (or .ndjson) or .csv file.", nameof(path));
        }

        var resolved = format ?? FormatFromPath(path);
        return ReadFileCoreAsync(path, operation, resolved, cancellationToken);
    }

    /// <summary>The format a file name implies: <c>.json</c>, <c>.jsonl</c> or <c>.ndjson</c>, <c>.csv</c> (case-insensitive).</summary>
    /// <param name="path">The file name or path.</param>
    /// <returns>The format.</returns>
    /// <exception cref="ArgumentException">The extension is none of these.</exception>
    public static LineageManifestFormat FormatFromPath(string path)
    {
        var extension = Path.GetExtension(path ?? string.Empty).ToUpperInvariant();
        return extension switch
        {
            ".JSON" => LineageManifestFormat.Json,
            ".JSONL" or ".NDJSON" => LineageManifestFormat.JsonLines,
            ".CSV" => LineageManifestFormat.Csv,
            _ => throw new ArgumentException($"Cannot tell the manifest format of '{path}' from its extension; use .json, .jsonl (or .ndjson) or .csv, or name the format.", nameof(path)),
        };
    }

    private static async IAsyncEnumerable<LineageItem> ReadFileCoreAsync(string path, LineageManifestOperation operation, LineageManifestFormat format, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 16 * 1024, useAsync: true);
        try
        {
            await foreach (var item in ReadAsync(file, format, operation, cancellationToken).ConfigureAwait(false))
            {
                yield return item;
            }
        }
        finally
        {
#if NETSTANDARD2_0
            file.Dispose();
#else
            await file.DisposeAsync().ConfigureAwait(false);
#endif
        }
    }
}
