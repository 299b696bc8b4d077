using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Dataphin.OpenApi.Bulk;
using Dataphin.OpenApi.Internal;
using Dataphin.OpenApi.Manifests;
using Dataphin.OpenApi.Serialization;

namespace Dataphin.OpenApi;

/// <summary>
/// Writes lineage items as a manifest (JSON, JSON Lines or CSV) that <see cref="LineageManifestReader"/> reads back,
/// for example the failures of a bulk run (<see cref="WriteRemainingAsync"/>) so that the run can be resumed with
/// just those items. Dispose it (asynchronously) to complete the file.
/// </summary>
/// <example>
/// <code>
/// await using var failures = LineageManifestWriter.Create(File.Create("failures.jsonl"), LineageManifestFormat.JsonLines);
/// var summary = await bulk.RunToSummaryAsync(items, onResult: async r => await failures.WriteRemainingAsync(r));
/// </code>
/// </example>
public sealed class LineageManifestWriter : IAsyncDisposable
{
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
    private static readonly byte[] NewLine = [(byte)'\n'];
    private readonly Stream _stream;
    private readonly bool _leaveOpen;
    private readonly SemaphoreSlim _lock = new(1, 1);
    private bool _started;
    private bool _disposed;

    private LineageManifestWriter(Stream stream, LineageManifestFormat format, bool leaveOpen)
    {
        _stream = stream;
        Format = format;
        _leaveOpen = leaveOpen;
    }

    /// <summary>The format written.</summary>
    public LineageManifestFormat Format { get; }

    /// <summary>How many items were written.</summary>
    public int Count { get; private set; }

    /// <summary>Creates a writer.</summary>
    /// <param name="stream">Where to write (UTF-8).</param>
    /// <param name="format">The manifest format.</param>
    /// <param name="leaveOpen">Whether the stream stays open when the writer is disposed.</param>
    /// <returns>The writer.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="stream"/> is null.</exception>
    public static LineageManifestWriter Create(Stream stream, LineageManifestFormat format, bool leaveOpen = false)
        => new(Guard.NotNull(stream, nameof(stream)), format, leaveOpen);

    /// <summary>Writes one item. Safe to call from several threads; items are written whole, one after the other.</summary>
    /// <param name="id">The item's identity, written as <c>Id</c> (JSON) or the <c>id</c> column (CSV).</param>
    /// <param name="command">The command.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>A task that completes when the item is written.</returns>
    /// <exception cref="ArgumentException">CSV only: the command has settings or references that the CSV form cannot express; use JSON Lines.</exception>
    /// <exception cref="ObjectDisposedException">The writer was disposed.</exception>
    public async Task WriteAsync(string id, LineageCommand command, CancellationToken cancellationToken = default)
    {
        Guard.NotNullOrWhiteSpace(id, nameof(id));
        Guard.NotNull(command, nameof(command));
        var bytes = Format == LineageManifestFormat.Csv ? CsvManifestWriter.Rows(id, command) : ItemJson(id, command);
        await _lock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
#if NET8_0_OR_GREATER
            ObjectDisposedException.ThrowIf(_disposed, this);
#else
            if (_disposed)
            {
                throw new ObjectDisposedException(nameof(LineageManifestWriter));
            }
#endif

            await StartAsync(cancellationToken).ConfigureAwait(false);
            if (Format == LineageManifestFormat.Json && Count > 0)
            {
                await WriteBytesAsync(Encoding.UTF8.GetBytes(",\n"), cancellationToken).ConfigureAwait(false);
            }

            await WriteBytesAsync(bytes, cancellationToken).ConfigureAwait(false);
            if (Format == LineageManifestFormat.JsonLines)
            {
                await WriteBytesAsync(NewLine, cancellationToken).ConfigureAwait(false);
            }

            Count++;
        }
        finally
        {
            _lock.Release();
        }
    }

    /// <summary>
    /// Writes what is left to do of a bulk result (<see cref="BulkItemResult.RemainingCommand"/>: the failed,
    /// cancelled or invalid part of the item) under the item's identity; does nothing for an item that succeeded.
    /// </summary>
    /// <param name="result">The result.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns><see langword="true"/> when something was written.</returns>
    public async Task<bool> WriteRemainingAsync(BulkItemResult result, CancellationToken cancellationToken = default)
    {
        Guard.NotNull(result, nameof(result));
        if (result.RemainingCommand is not { } remaining)
        {
            return false;
        }

        await WriteAsync(result.Id, remaining, cancellationToken).ConfigureAwait(false);
        return true;
    }

    /// <summary>
    /// Hands what was written so far to the stream's destination (for a file, the operating system), so that a crash
    /// of the process loses none of it. A JSON manifest is complete only once the writer is disposed; JSON Lines and
    /// CSV are complete after every item.
    /// </summary>
    /// <param name="cancellationToken">Cancels the flush.</param>
    /// <returns>A task that completes when the data is flushed.</returns>
    public async Task FlushAsync(CancellationToken cancellationToken = default)
    {
        await _lock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (!_disposed)
            {
                await _stream.FlushAsync(cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            _lock.Release();
        }
    }

    /// <summary>Completes the manifest (closing the JSON array, writing the CSV header of an empty file) and flushes.</summary>
    /// <returns>A task that completes when the file is complete.</returns>
    public async ValueTask DisposeAsync()
    {
        await _lock.WaitAsync().ConfigureAwait(false);
        try
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            await StartAsync(CancellationToken.None).ConfigureAwait(false);
            if (Format == LineageManifestFormat.Json)
            {
                await WriteBytesAsync(Encoding.UTF8.GetBytes("\n]}\n"), CancellationToken.None).ConfigureAwait(false);
            }

            await _stream.FlushAsync().ConfigureAwait(false);
            if (!_leaveOpen)
            {
#if NETSTANDARD2_0
                _stream.Dispose();
#else
                await _stream.DisposeAsync().ConfigureAwait(false);
#endif
            }
        }
        finally
        {
            _lock.Release();
        }

        _lock.Dispose();
    }

    internal static byte[] ItemJson(string id, LineageCommand command)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        using (var document = JsonDocument.Parse(DataphinJson.SerializeToUtf8Bytes(command)))
        {
            writer.WriteStartObject();
            writer.WriteString(ManifestItemParser.IdProperty, id);
            foreach (var property in document.RootElement.EnumerateObject())
            {
                property.WriteTo(writer);
            }

            writer.WriteEndObject();
        }

        return buffer.ToArray();
    }

    private async Task StartAsync(CancellationToken cancellationToken)
    {
        if (_started)
        {
            return;
        }

        _started = true;
        var preamble = Format switch
        {
            LineageManifestFormat.Json => "{\"items\": [\n",
            LineageManifestFormat.Csv => CsvManifestWriter.Header,
            _ => null,
        };
        if (preamble is not null)
        {
            await WriteBytesAsync(Encoding.UTF8.GetBytes(preamble), cancellationToken).ConfigureAwait(false);
        }
    }

    private Task WriteBytesAsync(byte[] bytes, CancellationToken cancellationToken)
        => _stream.WriteAsync(bytes, 0, bytes.Length, cancellationToken);
}
