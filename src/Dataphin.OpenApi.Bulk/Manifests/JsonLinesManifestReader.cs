using System.Runtime.CompilerServices;
using System.Text;
using Dataphin.OpenApi.Bulk;

namespace Dataphin.OpenApi.Manifests;

/// <summary>Reads a JSON Lines manifest line by line (constant memory); blank lines are skipped.</summary>
internal static class JsonLinesManifestReader
{
    /// <summary>The non-blank lines: the items <see cref="ReadAsync"/> yields, each line one (unreadable ones too).</summary>
    public static async Task<long> CountAsync(Stream stream, CancellationToken cancellationToken)
    {
        using var reader = new StreamReader(stream, new UTF8Encoding(false), detectEncodingFromByteOrderMarks: true, bufferSize: 64 * 1024, leaveOpen: true);
        long count = 0;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
#if NET8_0_OR_GREATER
            var line = await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false);
#else
            var line = await reader.ReadLineAsync().ConfigureAwait(false);
#endif
            if (line is null)
            {
                return count;
            }

            if (!string.IsNullOrWhiteSpace(line))
            {
                count++;
            }
        }
    }

    public static async IAsyncEnumerable<LineageItem> ReadAsync(Stream stream, LineageManifestOperation operation, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using var reader = new StreamReader(stream, new UTF8Encoding(false), detectEncodingFromByteOrderMarks: true, bufferSize: 16 * 1024, leaveOpen: true);
        var lineNumber = 0;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
#if NET8_0_OR_GREATER
            var line = await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false);
#else
            var line = await reader.ReadLineAsync().ConfigureAwait(false);
#endif
            if (line is null)
            {
                yield break;
            }

            lineNumber++;
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            yield return ManifestItemParser.Parse(Encoding.UTF8.GetBytes(line), lineNumber, operation);
        }
    }
}
