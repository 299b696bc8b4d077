using System.Runtime.CompilerServices;
using System.Text;
using Dataphin.OpenApi.Bulk;

namespace Dataphin.OpenApi.Manifests;

/// <summary>Reads a JSON Lines manifest line by line (constant memory); blank lines are skipped.</summary>
internal static class JsonLinesManifestReader
{
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
