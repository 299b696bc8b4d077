using System.Globalization;
using System.Text;

namespace Dataphin.OpenApi.Manifests;

/// <summary>Where a manifest stops being valid UTF-8: the first bad byte sequence of a line.</summary>
internal sealed class Utf8Problem
{
    public Utf8Problem(int line, long lineOffset, long fileOffset, byte[] bytes)
    {
        Line = line;
        LineOffset = lineOffset;
        FileOffset = fileOffset;
        Bytes = bytes;
    }

    /// <summary>The 1-based line.</summary>
    public int Line { get; }

    /// <summary>The 0-based byte offset of the bad sequence within its line.</summary>
    public long LineOffset { get; }

    /// <summary>The 0-based byte offset of the bad sequence in the file.</summary>
    public long FileOffset { get; }

    /// <summary>The bytes that do not form a UTF-8 character (at most 4).</summary>
    public byte[] Bytes { get; }

    /// <summary>The sentence for an item that is not read because of these bytes.</summary>
    public string ItemMessage
        => Describe() + " The item is not read (its text would carry U+FFFD in place of those bytes); save the manifest as UTF-8.";

    /// <summary>A sentence for a person: which line, which offset, which bytes.</summary>
    public string Describe()
    {
        var hex = new StringBuilder();
        foreach (var b in Bytes)
        {
            hex.Append(hex.Length == 0 ? string.Empty : " ").Append("0x").Append(b.ToString("X2", CultureInfo.InvariantCulture));
        }

        return $"Line {Line.ToString(CultureInfo.InvariantCulture)} is not valid UTF-8: {(Bytes.Length == 1 ? "the byte" : "the bytes")} {hex} at byte offset "
            + $"{LineOffset.ToString(CultureInfo.InvariantCulture)} of the line (byte offset {FileOffset.ToString(CultureInfo.InvariantCulture)} in the file) "
            + $"{(Bytes.Length == 1 ? "does" : "do")} not form a UTF-8 character.";
    }
}

/// <summary>
/// An incremental UTF-8 validator that follows lines and byte offsets (a line ends at LF, CR or CRLF, as
/// <see cref="TextReader.ReadLine"/> has it). Overlong forms, UTF-16 surrogates (ED A0..BF), code points past
/// U+10FFFF and truncated sequences are invalid, as the Unicode standard defines well-formed UTF-8.
/// </summary>
internal sealed class Utf8Validator
{
    private readonly byte[] _sequence = new byte[4];
    private readonly bool _carriageReturnEndsLine;
    private int _line;
    private long _lineOffset;
    private long _fileOffset;
    private bool _afterCr;
    private int _have;
    private int _need;
    private byte _secondLow = 0x80;
    private byte _secondHigh = 0xBF;
    private int _sequenceLine;
    private long _sequenceLineOffset;
    private long _sequenceFileOffset;

    /// <summary>Creates a validator for bytes starting at the given position.</summary>
    /// <param name="line">The 1-based line of the first byte.</param>
    /// <param name="lineOffset">The offset of the first byte within its line.</param>
    /// <param name="fileOffset">The offset of the first byte in the file.</param>
    /// <param name="carriageReturnEndsLine">Whether a lone CR ends a line (as for <see cref="TextReader.ReadLine"/>), or only LF does.</param>
    public Utf8Validator(int line = 1, long lineOffset = 0, long fileOffset = 0, bool carriageReturnEndsLine = true)
    {
        _line = line;
        _lineOffset = lineOffset;
        _fileOffset = fileOffset;
        _carriageReturnEndsLine = carriageReturnEndsLine;
    }

    /// <summary>Called with each invalid sequence, in order.</summary>
    public Action<Utf8Problem>? OnProblem { get; set; }

    public void Add(ReadOnlySpan<byte> bytes)
    {
        foreach (var b in bytes)
        {
            Step(b);
        }
    }

    /// <summary>The end of the input: a sequence still open is truncated.</summary>
    public void Complete()
    {
        if (_need > 0)
        {
            Report(_have);
            _need = 0;
            _have = 0;
        }
    }

    private void Step(byte b)
    {
        if (_need > 0)
        {
            var low = _have == 1 ? _secondLow : (byte)0x80;
            var high = _have == 1 ? _secondHigh : (byte)0xBF;
            if (b >= low && b <= high)
            {
                _sequence[_have++] = b;
                if (_have == _need)
                {
                    _need = 0;
                    _have = 0;
                }

                Advance(b);
                return;
            }

            // The sequence ends early: it is bad, and this byte starts afresh.
            Report(_have);
            _need = 0;
            _have = 0;
        }

        if (b < 0x80)
        {
            Advance(b);
            return;
        }

        var need = b switch
        {
            >= 0xC2 and <= 0xDF => 2,
            >= 0xE0 and <= 0xEF => 3,
            >= 0xF0 and <= 0xF4 => 4,
            _ => 0,
        };
        _sequenceLine = _line;
        _sequenceLineOffset = _lineOffset;
        _sequenceFileOffset = _fileOffset;
        _sequence[0] = b;
        if (need == 0)
        {
            Report(1);
            Advance(b);
            return;
        }

        (_secondLow, _secondHigh) = b switch
        {
            0xE0 => ((byte)0xA0, (byte)0xBF),
            0xED => ((byte)0x80, (byte)0x9F),
            0xF0 => ((byte)0x90, (byte)0xBF),
            0xF4 => ((byte)0x80, (byte)0x8F),
            _ => ((byte)0x80, (byte)0xBF),
        };
        _need = need;
        _have = 1;
        Advance(b);
    }

    private void Advance(byte b)
    {
        _fileOffset++;
        if ((b == (byte)'\r' && _carriageReturnEndsLine) || (b == (byte)'\n' && !_afterCr))
        {
            _line++;
            _lineOffset = 0;
        }
        else if (b != (byte)'\n')
        {
            _lineOffset++;
        }

        _afterCr = b == (byte)'\r' && _carriageReturnEndsLine;
    }

    private void Report(int length)
    {
        var bytes = new byte[length];
        Array.Copy(_sequence, bytes, length);
        OnProblem?.Invoke(new Utf8Problem(_sequenceLine, _sequenceLineOffset, _sequenceFileOffset, bytes));
    }
}

/// <summary>
/// A read-only stream that passes a manifest's bytes through unchanged and notes, per line, the first byte sequence
/// that is not UTF-8, so that a reader decoding leniently (U+FFFD) can turn the lines it reads into item errors
/// instead of registering replaced text. Only the lines read ahead of the reader are held (a bounded queue).
/// </summary>
internal sealed class Utf8CheckingStream : Stream
{
    private readonly Stream _inner;
    private readonly Utf8Validator _validator = new();
    private readonly Queue<Utf8Problem> _problems = new();

    public Utf8CheckingStream(Stream inner)
    {
        _inner = inner;
        _validator.OnProblem = problem =>
        {
            if (_problems.Count == 0 || Last!.Line != problem.Line)
            {
                _problems.Enqueue(problem);
                Last = problem;
            }
        };
    }

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    private Utf8Problem? Last { get; set; }

    /// <summary>
    /// The first problem on lines up to <paramref name="lastLine"/> and from <paramref name="firstLine"/> on, if any;
    /// every problem before <paramref name="lastLine"/> is forgotten.
    /// </summary>
    public Utf8Problem? Take(int firstLine, int lastLine)
    {
        Utf8Problem? found = null;
        while (_problems.Count > 0 && _problems.Peek().Line <= lastLine)
        {
            var problem = _problems.Dequeue();
            if (found is null && problem.Line >= firstLine)
            {
                found = problem;
            }
        }

        return found;
    }

    public override int Read(byte[] buffer, int offset, int count)
        => Checked(buffer, offset, _inner.Read(buffer, offset, count));

    public override async Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
#if NET8_0_OR_GREATER
        => Checked(buffer, offset, await _inner.ReadAsync(buffer.AsMemory(offset, count), cancellationToken).ConfigureAwait(false));
#else
        => Checked(buffer, offset, await _inner.ReadAsync(buffer, offset, count, cancellationToken).ConfigureAwait(false));
#endif

#if NET8_0_OR_GREATER
    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var read = await _inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
        Check(buffer.Span.Slice(0, read));
        return read;
    }

    public override int Read(Span<byte> buffer)
    {
        var read = _inner.Read(buffer);
        Check(buffer.Slice(0, read));
        return read;
    }
#endif

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    private int Checked(byte[] buffer, int offset, int read)
    {
        Check(buffer.AsSpan(offset, read));
        return read;
    }

    private void Check(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length == 0)
        {
            _validator.Complete();
        }
        else
        {
            _validator.Add(bytes);
        }
    }
}
