using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Dataphin.OpenApi.Bulk;

namespace Dataphin.OpenApi.Manifests;

/// <summary>
/// Reads a JSON manifest (<c>{"items": [ ... ]}</c>) as a stream: a <see cref="Utf8JsonReader"/> walks the buffer,
/// and only one chunk of the file (plus the largest item) is held in memory at a time.
/// </summary>
internal static class JsonManifestReader
{
    private const int InitialBufferSize = 16 * 1024;

    public static async IAsyncEnumerable<LineageItem> ReadAsync(Stream stream, LineageManifestOperation operation, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var item in RawItemsAsync(stream, cancellationToken).ConfigureAwait(false))
        {
            yield return FirstUtf8Problem(item) is { } problem
                ? ManifestItemParser.Malformed("line " + item.Line.ToString(CultureInfo.InvariantCulture), item.Line, "$", problem.ItemMessage)
                : ManifestItemParser.Parse(item.Json, item.Line, operation);
        }
    }

    /// <summary>How many items the manifest holds, found by walking its structure without reading the items.</summary>
    public static async Task<long> CountAsync(Stream stream, CancellationToken cancellationToken)
    {
        long count = 0;
        await foreach (var _ in RawItemsAsync(stream, cancellationToken).ConfigureAwait(false))
        {
            count++;
        }

        return count;
    }

    /// <summary>The bytes of every item with where it starts; throws <see cref="LineageManifestException"/> (after the items before it) when the structure is broken.</summary>
    private static async IAsyncEnumerable<FoundItem> RawItemsAsync(Stream stream, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var buffer = new byte[InitialBufferSize];
        var length = 0;
        var final = false;
        var first = true;
        var scanner = new Scanner();
        var found = new List<FoundItem>();
        long bufferBase = 0;
        while (true)
        {
            if (!final)
            {
                if (length == buffer.Length)
                {
                    Array.Resize(ref buffer, buffer.Length * 2);
                }

#if NET8_0_OR_GREATER
                var read = await stream.ReadAsync(buffer.AsMemory(length, buffer.Length - length), cancellationToken).ConfigureAwait(false);
#else
                var read = await stream.ReadAsync(buffer, length, buffer.Length - length, cancellationToken).ConfigureAwait(false);
#endif
                if (read == 0)
                {
                    final = true;
                }

                length += read;
                if (first && length >= 3)
                {
                    first = false;
                    if (buffer[0] == 0xEF && buffer[1] == 0xBB && buffer[2] == 0xBF)
                    {
                        Buffer.BlockCopy(buffer, 3, buffer, 0, length - 3);
                        length -= 3;
                        bufferBase = 3;
                    }
                }
            }

            found.Clear();
            var consumed = scanner.Scan(buffer.AsSpan(0, length), bufferBase, final, found);
            foreach (var item in found)
            {
                yield return item;
            }

            if (scanner.PendingError is { } error)
            {
                throw error;
            }

            Buffer.BlockCopy(buffer, consumed, buffer, 0, length - consumed);
            length -= consumed;
            bufferBase += consumed;
            if (final)
            {
                scanner.EnsureComplete();
                yield break;
            }
        }
    }

    /// <summary>The first byte sequence of an item that is not UTF-8, with its line and offsets, or null.</summary>
    private static Utf8Problem? FirstUtf8Problem(FoundItem item)
    {
        Utf8Problem? first = null;
        var validator = new Utf8Validator(item.Line, item.LineOffset, item.FileOffset, carriageReturnEndsLine: false)
        {
            OnProblem = problem => first ??= problem,
        };
        validator.Add(item.Json);
        validator.Complete();
        return first;
    }

    private enum Phase
    {
        Root,
        RootProperty,
        ItemsStart,
        Items,
        End,
    }

    private sealed class Scanner
    {
        private JsonReaderState _state = new(new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip });
        private Phase _phase = Phase.Root;
        private bool _sawItems;
        private int _line = 1;
        private int _countedTo;
        private long _base;
        private long _lineStart;

        public LineageManifestException? PendingError { get; private set; }

        /// <summary>Walks as many whole tokens and items as the data holds; returns the bytes consumed.</summary>
        public int Scan(ReadOnlySpan<byte> data, long dataOffset, bool final, List<FoundItem> found)
        {
            _base = dataOffset;
            var spanStartLine = _line;
            var reader = new Utf8JsonReader(data, final, _state);
            var committed = 0;
            try
            {
                while (true)
                {
                    var stateBefore = reader.CurrentState;
                    var before = (int)reader.BytesConsumed;
                    if (!reader.Read())
                    {
                        break;
                    }

                    switch (_phase)
                    {
                        case Phase.Root:
                            if (reader.TokenType != JsonTokenType.StartObject)
                            {
                                throw Structure("A JSON manifest must be a JSON object with an \"items\" array (for one item per line, use JSON Lines: .jsonl).", LineAt(data, (int)reader.TokenStartIndex));
                            }

                            _phase = Phase.RootProperty;
                            break;
                        case Phase.RootProperty:
                            if (reader.TokenType == JsonTokenType.EndObject)
                            {
                                if (!_sawItems)
                                {
                                    throw Structure("The JSON manifest has no \"items\" array.", LineAt(data, (int)reader.TokenStartIndex));
                                }

                                _phase = Phase.End;
                                break;
                            }

                            var name = reader.GetString();
                            if (name == "items" && !_sawItems)
                            {
                                _sawItems = true;
                                _phase = Phase.ItemsStart;
                            }
                            else if (name == "$schema")
                            {
                                if (!reader.TrySkip())
                                {
                                    _state = stateBefore;
                                    return Commit(data, before);
                                }
                            }
                            else
                            {
                                throw Structure($"Unknown top-level property \"{name}\" in the JSON manifest; it has only \"items\" (and optionally \"$schema\"), once.", LineAt(data, (int)reader.TokenStartIndex));
                            }

                            break;
                        case Phase.ItemsStart:
                            if (reader.TokenType != JsonTokenType.StartArray)
                            {
                                throw Structure("\"items\" must be a JSON array of items.", LineAt(data, (int)reader.TokenStartIndex));
                            }

                            _phase = Phase.Items;
                            break;
                        case Phase.Items:
                            if (reader.TokenType == JsonTokenType.EndArray)
                            {
                                _phase = Phase.RootProperty;
                                break;
                            }

                            var start = (int)reader.TokenStartIndex;
                            if (!reader.TrySkip())
                            {
                                _state = stateBefore;
                                return Commit(data, before);
                            }

                            var end = (int)reader.BytesConsumed;
                            var line = LineAt(data, start);
                            found.Add(new FoundItem(data.Slice(start, end - start).ToArray(), line, _base + start - _lineStart, _base + start));
                            break;
                        default:
                            break;
                    }

                    committed = (int)reader.BytesConsumed;
                }
            }
            catch (JsonException error)
            {
                // Thrown after the items found before the error have been handed out.
                var line = spanStartLine + (int)(error.LineNumber ?? 0);
                PendingError = Structure($"The JSON manifest is not well-formed at line {line.ToString(CultureInfo.InvariantCulture)}: {WithoutPosition(error.Message)}", line, error);
                return Commit(data, committed);
            }

            _state = reader.CurrentState;
            return Commit(data, committed);
        }

        public void EnsureComplete()
        {
            if (_phase != Phase.End)
            {
                throw Structure($"The JSON manifest ends at line {_line.ToString(CultureInfo.InvariantCulture)} before it is complete (an unclosed object or array).", _line);
            }
        }

        private static string WithoutPosition(string message)
        {
            var cut = message.IndexOf(" LineNumber:", StringComparison.Ordinal);
            return cut > 0 ? message.Substring(0, cut) : message;
        }

        private static LineageManifestException Structure(string message, int line, Exception? inner = null) => new(message, line, inner);

        private int Commit(ReadOnlySpan<byte> data, int consumed)
        {
            LineAt(data, consumed);
            _countedTo = 0;
            return consumed;
        }

        private int LineAt(ReadOnlySpan<byte> data, int offset)
        {
            for (var i = _countedTo; i < offset; i++)
            {
                if (data[i] == (byte)'\n')
                {
                    _line++;
                    _lineStart = _base + i + 1;
                }
            }

            if (offset > _countedTo)
            {
                _countedTo = offset;
            }

            return _line;
        }
    }
}

/// <summary>An item's JSON with where it starts: its 1-based line, its byte offset in that line and in the file.</summary>
internal sealed class FoundItem
{
    public FoundItem(byte[] json, int line, long lineOffset, long fileOffset)
    {
        Json = json;
        Line = line;
        LineOffset = lineOffset;
        FileOffset = fileOffset;
    }

    public byte[] Json { get; }

    public int Line { get; }

    public long LineOffset { get; }

    public long FileOffset { get; }
}
