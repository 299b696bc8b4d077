using System.Text;

namespace Dataphin.OpenApi.Manifests;

/// <summary>One CSV record: its fields and the physical lines it spans, or why it could not be read.</summary>
internal sealed class CsvRecord
{
    public CsvRecord(List<string> fields, int firstLine, int lastLine, string? error)
    {
        Fields = fields;
        FirstLine = firstLine;
        LastLine = lastLine;
        Error = error;
    }

    public List<string> Fields { get; }

    public int FirstLine { get; }

    public int LastLine { get; }

    public string? Error { get; }

    public bool IsBlank => Error is null && Fields.Count == 1 && Fields[0].Length == 0;
}

/// <summary>
/// Reads RFC 4180 CSV records one at a time (constant memory): comma-separated, fields optionally in double
/// quotes, <c>""</c> for a quote inside quotes, line breaks allowed inside quotes, CRLF or LF line ends.
/// Values are returned exactly as written (no trimming).
/// </summary>
internal sealed class CsvRecordReader
{
    private readonly TextReader _reader;
    private readonly char[] _buffer = new char[8192];
    private int _position;
    private int _length;
    private int _line = 1;

    public CsvRecordReader(TextReader reader)
    {
        _reader = reader;
    }

    public async ValueTask<CsvRecord?> ReadAsync(CancellationToken cancellationToken)
    {
        if (!await EnsureAsync(cancellationToken).ConfigureAwait(false))
        {
            return null;
        }

        var firstLine = _line;
        var fields = new List<string>();
        var field = new StringBuilder();
        string? error = null;
        var quoted = false;
        var afterQuote = false;
        var fieldStart = true;
        var endedWithNewline = false;
        while (true)
        {
            if (!await EnsureAsync(cancellationToken).ConfigureAwait(false))
            {
                if (quoted)
                {
                    error ??= $"a quoted field opened on line {firstLine} is never closed";
                }

                break;
            }

            var c = _buffer[_position++];
            if (quoted)
            {
                if (c == '"')
                {
                    if (!await EnsureAsync(cancellationToken).ConfigureAwait(false) || _buffer[_position] != '"')
                    {
                        quoted = false;
                        afterQuote = true;
                        continue;
                    }

                    _position++;
                    field.Append('"');
                    continue;
                }

                // A line break inside quotes: LF, CRLF (counted at its LF) or a lone CR, as for the unquoted line ends.
                if (c == '\n' || (c == '\r' && !(await EnsureAsync(cancellationToken).ConfigureAwait(false) && _buffer[_position] == '\n')))
                {
                    _line++;
                }

                field.Append(c);
                continue;
            }

            if (c == ',')
            {
                fields.Add(field.ToString());
                field.Clear();
                afterQuote = false;
                fieldStart = true;
                continue;
            }

            if (c == '\r')
            {
                if (await EnsureAsync(cancellationToken).ConfigureAwait(false) && _buffer[_position] == '\n')
                {
                    _position++;
                }

                _line++;
                endedWithNewline = true;
                break;
            }

            if (c == '\n')
            {
                _line++;
                endedWithNewline = true;
                break;
            }

            if (c == '"' && fieldStart)
            {
                quoted = true;
                fieldStart = false;
                continue;
            }

            if (afterQuote || c == '"')
            {
                error ??= $"unexpected character '{c}' {(afterQuote ? "after a closing quote" : "inside an unquoted field")} (quote the whole field and write a quote as \"\")";
            }

            fieldStart = false;
            field.Append(c);
        }

        fields.Add(field.ToString());
        return new CsvRecord(fields, firstLine, endedWithNewline ? _line - 1 : _line, error);
    }

    private async ValueTask<bool> EnsureAsync(CancellationToken cancellationToken)
    {
        if (_position < _length)
        {
            return true;
        }

        cancellationToken.ThrowIfCancellationRequested();
#if NET8_0_OR_GREATER
        _length = await _reader.ReadAsync(_buffer.AsMemory(), cancellationToken).ConfigureAwait(false);
#else
        _length = await _reader.ReadAsync(_buffer, 0, _buffer.Length).ConfigureAwait(false);
#endif
        _position = 0;
        return _length > 0;
    }
}
