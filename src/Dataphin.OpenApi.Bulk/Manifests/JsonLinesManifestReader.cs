using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using Dataphin.OpenApi.Bulk;

namespace Dataphin.OpenApi.Manifests;

/// <summary>
/// Reads a JSON Lines manifest line by line (constant memory); blank lines are skipped. A line that is not valid
/// UTF-8 becomes an unreadable item naming the line and byte offset (never text with U+FFFD in it).
/// </summary>
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
        var checking = new Utf8CheckingStream(stream);
        using var reader = new StreamReader(checking, new UTF8Encoding(false), detectEncodingFromByteOrderMarks: true, bufferSize: 16 * 1024, leaveOpen: true);
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
            if (checking.Take(lineNumber, lineNumber) is { } problem)
            {
                yield return ManifestItemParser.Malformed("line " + lineNumber.ToString(CultureInfo.InvariantCulture), lineNumber, "$", problem.ItemMessage);
                continue;
            }

            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            yield return ManifestItemParser.Parse(Encoding.UTF8.GetBytes(line), lineNumber, operation);
        }
    }
}
