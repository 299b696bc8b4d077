using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;

namespace Dataphin.OpenApi.Diagnostics;

/// <summary>
/// Removes the secrets of one attempt (the AccessKey secret, the security token and the signature) from text that
/// came back from the network, before anything of it is kept, logged, put on a span or cut short.
/// </summary>
/// <remarks>
/// <para>
/// A gateway in front of the service may echo the request in any shape: raw, percent-encoded (either case, <c>+</c>
/// for space, even twice), JSON-escaped (<c>\u002B</c>, <c>\/</c>), HTML-escaped (<c>&amp;#43;</c>, <c>&amp;#x2F;</c>,
/// <c>&amp;plus;</c>), broken into lines (CRLF, <c>&lt;br&gt;</c>) or cut short by itself. So the text is compared in a
/// normalized form: escapes decoded (up to <see cref="MaxDecodePasses"/> layers), and white space, control characters,
/// <c>+</c> and line-break tags dropped; the secrets are normalized the same way. Each character of the normalized
/// text keeps the span of the original text it came from, and each removed stretch of the original becomes <c>***</c>.
/// </para>
/// <para>
/// What is sent on the wire (the security token, the signature) can come back in part, so any run of
/// <see cref="MinimumRun"/> or more of its characters is removed wherever it appears: a token split by line breaks,
/// cut by the gateway, or crossing the point where a message is cut loses every piece of that length. The AccessKey
/// secret is never sent (it only keys the HMAC), so it can come back only whole, where a caller put it into a request;
/// it is removed where it appears whole, as is a sent secret shorter than <see cref="MinimumRun"/>. Matching the
/// AccessKey secret whole keeps a weak one (the emulator's <c>testAccessKeySecret</c>) from eating
/// <c>InvalidAccessKeyId</c> out of an error code. Because all of this happens before any cut, cutting the result
/// leaves no part of a secret longer than <see cref="MinimumRun"/> - 1 characters. A hex value after
/// <c>Signature=</c> is removed too, whichever attempt signed it.
/// </para>
/// </remarks>
internal sealed class SecretRedactor
{
    /// <summary>The shortest run of a secret's characters that is removed wherever it appears.</summary>
    public const int MinimumRun = 8;

    /// <summary>How many layers of escaping are undone (percent-encoding inside JSON inside HTML, say).</summary>
    public const int MaxDecodePasses = 4;

    private const int MinimumSecretLength = 4;

    private static readonly ConditionalWeakTable<DataphinCredential, SecretSet> CredentialSecrets = new();

    private static readonly Dictionary<string, char> NamedEntities = new(StringComparer.OrdinalIgnoreCase)
    {
        ["amp"] = '&',
        ["lt"] = '<',
        ["gt"] = '>',
        ["quot"] = '"',
        ["apos"] = '\'',
        ["plus"] = '+',
        ["sol"] = '/',
        ["bsol"] = '\\',
        ["equals"] = '=',
        ["percnt"] = '%',
        ["num"] = '#',
        ["colon"] = ':',
        ["semi"] = ';',
        ["comma"] = ',',
        ["period"] = '.',
        ["lowbar"] = '_',
        ["hyphen"] = '-',
        ["dash"] = '-',
        ["nbsp"] = '\u00A0',
        ["newline"] = '\n',
        ["tab"] = '\t',
    };

    private static readonly char[] EscapeStarts = ['%', '\\', '&', '<'];

    private readonly SecretSet _fixed;

    // The attempt's signature (lowercase hex), matched in runs like any sent secret; its set is built only for a text
    // that has a run of MinimumRun lowercase hex digits, the only text where one of its runs can be (most answers have none).
    private readonly string? _hexSignature;
    private SecretSet? _signature;

    /// <summary>Creates a redactor for secrets sent on the wire (null, empty and very short values are ignored).</summary>
    public SecretRedactor(IReadOnlyList<string?> sentSecrets)
    {
        _fixed = new SecretSet([], sentSecrets);
    }

    private SecretRedactor(SecretSet fixedPart, string? signature)
    {
        _fixed = fixedPart;
        if (signature is { Length: >= MinimumRun } && IsLowerHex(signature))
        {
            _hexSignature = signature;
        }
        else
        {
            _signature = new SecretSet([], [signature]);
        }
    }

    /// <summary>
    /// The redactor of one attempt: the credential's secret and token (normalized once per credential and kept while
    /// the credential lives) and the attempt's signature.
    /// </summary>
    public static SecretRedactor For(DataphinCredential credential, string? signature)
    {
        var fixedPart = CredentialSecrets.GetValue(credential, static c => new SecretSet([c.AccessKeySecret], [c.SecurityToken]));
        return new SecretRedactor(fixedPart, signature);
    }

    private static bool IsLowerHex(string text)
    {
        foreach (var c in text)
        {
            if (!IsLowerHexDigit(c))
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsLowerHexDigit(char c) => c is (>= '0' and <= '9') or (>= 'a' and <= 'f');

    private static bool HasLowerHexRun(string text)
    {
        var run = 0;
        foreach (var c in text)
        {
            run = IsLowerHexDigit(c) ? run + 1 : 0;
            if (run >= MinimumRun)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The text with every secret, in any of its echoed forms, replaced by <c>***</c>; the same instance when there is none.</summary>
    public string? Redact(string? text)
    {
        // Nothing shorter can hold a secret of MinimumSecretLength, however it is escaped.
        if (text is null || text.Length < MinimumSecretLength)
        {
            return text;
        }

        var normalized = Normalize(text);
        bool[]? hit = null;
        _fixed.Mark(normalized.Text, ref hit);
        if (_signature is null && _hexSignature is not null && HasLowerHexRun(normalized.Text))
        {
            _signature = new SecretSet([], [_hexSignature]);
        }

        _signature?.Mark(normalized.Text, ref hit);

        MarkSignatureValues(normalized, ref hit);
        return hit is null ? text : Replace(text, normalized, hit);
    }

    private static string Replace(string text, MappedText normalized, bool[] hit)
    {
        var removed = new bool[text.Length];
        for (var k = 0; k < hit.Length; k++)
        {
            if (!hit[k])
            {
                continue;
            }

            // The characters between two removed ones were dropped by normalization (line breaks, '+', tags): remove them too.
            var from = k > 0 && hit[k - 1] ? normalized.EndOf(k - 1) : normalized.StartOf(k);
            for (var i = from; i < normalized.EndOf(k); i++)
            {
                removed[i] = true;
            }
        }

        var result = new StringBuilder(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            if (!removed[i])
            {
                result.Append(text[i]);
            }
            else if (i == 0 || !removed[i - 1])
            {
                result.Append(LogRedaction.Redacted);
            }
        }

        return result.ToString();
    }

    /// <summary>
    /// Marks the hex digits right after <c>Signature=</c> (an ACS3 signature, whichever attempt made it) when there
    /// are at least <see cref="MinimumRun"/>; the value ends at the first character that is not a hex digit or at
    /// anything normalization dropped (a line break, say).
    /// </summary>
    private static void MarkSignatureValues(MappedText normalized, ref bool[]? hit)
    {
        const string Key = "Signature=";
        var text = normalized.Text;
        for (var index = text.IndexOf(Key, StringComparison.OrdinalIgnoreCase); index >= 0; index = text.IndexOf(Key, index + 1, StringComparison.OrdinalIgnoreCase))
        {
            var start = index + Key.Length;
            var end = start;
            while (end < text.Length && Uri.IsHexDigit(text[end]) && (end == start || normalized.StartOf(end) == normalized.EndOf(end - 1)))
            {
                end++;
            }

            if (end - start >= MinimumRun)
            {
                MarkRange(ref hit, text.Length, start, end);
            }
        }
    }

    private static void MarkRange(ref bool[]? hit, int length, int start, int end)
    {
        hit ??= new bool[length];
        for (var i = start; i < end; i++)
        {
            hit[i] = true;
        }
    }

    /// <summary>Decodes escapes layer by layer, then drops what cannot carry a secret's character.</summary>
    private static MappedText Normalize(string text)
    {
        var current = new MappedText(text, null, null);
        for (var pass = 0; pass < MaxDecodePasses && MayHaveEscapes(current.Text); pass++)
        {
            if (!DecodeOnce(current, out var decoded))
            {
                break;
            }

            current = decoded;
        }

        return Drop(current);
    }

    private static bool MayHaveEscapes(string text) => text.IndexOfAny(EscapeStarts) >= 0;

    private static bool IsIgnorable(char c)
        => c < 128
            ? c <= ' ' || c == '+' || c == '\u007F'
            : char.IsWhiteSpace(c) || char.IsControl(c) || CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.Format;

    private static MappedText Drop(MappedText input)
    {
        var text = input.Text;
        var kept = 0;
        foreach (var c in text)
        {
            if (!IsIgnorable(c))
            {
                kept++;
            }
        }

        if (kept == text.Length)
        {
            return input;
        }

        var chars = new char[kept];
        var start = new int[kept];
        var end = new int[kept];
        var k = 0;
        for (var i = 0; i < text.Length; i++)
        {
            if (!IsIgnorable(text[i]))
            {
                chars[k] = text[i];
                start[k] = input.StartOf(i);
                end[k] = input.EndOf(i);
                k++;
            }
        }

        return new MappedText(new string(chars), start, end);
    }

    /// <summary>One layer of decoding; false when there was nothing to decode.</summary>
    private static bool DecodeOnce(MappedText input, out MappedText output)
    {
        var text = input.Text;

        // A decoded escape is never longer than the escape itself, so the input length bounds the output.
        var chars = new char[text.Length];
        var start = new int[text.Length];
        var end = new int[text.Length];
        var k = 0;
        var changed = false;
        for (var i = 0; i < text.Length;)
        {
            if (TryDecodeEscape(text, i, out var length, out var decoded))
            {
                foreach (var c in decoded)
                {
                    chars[k] = c;
                    start[k] = input.StartOf(i);
                    end[k] = input.EndOf(i + length - 1);
                    k++;
                }

                i += length;
                changed = true;
            }
            else
            {
                chars[k] = text[i];
                start[k] = input.StartOf(i);
                end[k] = input.EndOf(i);
                k++;
                i++;
            }
        }

        output = changed ? new MappedText(new string(chars, 0, k), start, end) : input;
        return changed;
    }

    /// <summary>Recognizes a percent, JSON/JavaScript or HTML escape, or a line-break tag (which decodes to nothing), at <paramref name="i"/>.</summary>
    private static bool TryDecodeEscape(string text, int i, out int length, out string decoded)
    {
        length = 0;
        decoded = string.Empty;
        switch (text[i])
        {
            case '%':
                return TryPercent(text, i, out length, out decoded);
            case '\\' when i + 1 < text.Length:
                return TryBackslash(text, i, out length, out decoded);
            case '&':
                return TryEntity(text, i, out length, out decoded);
            case '<':
                return TryLineBreakTag(text, i, out length);
            default:
                return false;
        }
    }

    private static bool TryPercent(string text, int i, out int length, out string decoded)
    {
        length = 0;
        decoded = string.Empty;
        if (!TryHex(text, i + 1, 2, out var first))
        {
            return false;
        }

        if (first < 0x80)
        {
            length = 3;
            decoded = ((char)first).ToString();
            return true;
        }

        // A UTF-8 sequence written as several escapes.
        var count = first >= 0xF0 ? 4 : first >= 0xE0 ? 3 : first >= 0xC0 ? 2 : 0;
        if (count == 0)
        {
            return false;
        }

        var bytes = new byte[count];
        bytes[0] = (byte)first;
        for (var b = 1; b < count; b++)
        {
            var at = i + (3 * b);
            if (at >= text.Length || text[at] != '%' || !TryHex(text, at + 1, 2, out var next) || (next & 0xC0) != 0x80)
            {
                return false;
            }

            bytes[b] = (byte)next;
        }

        decoded = Encoding.UTF8.GetString(bytes);
        if (decoded.IndexOf('\uFFFD') >= 0)
        {
            return false;
        }

        length = 3 * count;
        return true;
    }

    private static bool TryBackslash(string text, int i, out int length, out string decoded)
    {
        length = 2;
        decoded = string.Empty;
        var next = text[i + 1];
        switch (next)
        {
            case 'u' when TryHex(text, i + 2, 4, out var unit):
                length = 6;
                decoded = ((char)unit).ToString();
                return true;
            case 'x' when TryHex(text, i + 2, 2, out var code):
                length = 4;
                decoded = ((char)code).ToString();
                return true;
            case '/' or '\\' or '"' or '\'':
                decoded = next.ToString();
                return true;
            case 'n' or 'r' or 't' or 'b' or 'f':
                decoded = "\n";
                return true;
            default:
                return false;
        }
    }

    private static bool TryEntity(string text, int i, out int length, out string decoded)
    {
        length = 0;
        decoded = string.Empty;
        var j = i + 1;
        if (j < text.Length && text[j] == '#')
        {
            j++;
            var hex = j < text.Length && (text[j] == 'x' || text[j] == 'X');
            if (hex)
            {
                j++;
            }

            var digitsStart = j;
            long value = 0;
            while (j < text.Length && j - digitsStart < 8 && (hex ? Uri.IsHexDigit(text[j]) : text[j] is >= '0' and <= '9'))
            {
                value = (value * (hex ? 16 : 10)) + HexValue(text[j]);
                j++;
            }

            if (j == digitsStart || value > 0x10FFFF || value is >= 0xD800 and <= 0xDFFF)
            {
                return false;
            }

            // Browsers accept a numeric reference without its ';'.
            length = (j < text.Length && text[j] == ';' ? j + 1 : j) - i;
            decoded = char.ConvertFromUtf32((int)value);
            return true;
        }

        while (j < text.Length && j - i <= 8 && char.IsLetter(text[j]))
        {
            j++;
        }

        if (j < text.Length && text[j] == ';' && j > i + 1 && NamedEntities.TryGetValue(text.Substring(i + 1, j - i - 1), out var named))
        {
            length = j + 1 - i;
            decoded = named.ToString();
            return true;
        }

        return false;
    }

    /// <summary><c>&lt;br&gt;</c>, <c>&lt;br/&gt;</c>, <c>&lt;br /&gt;</c> and <c>&lt;wbr&gt;</c>, in any case.</summary>
    private static bool TryLineBreakTag(string text, int i, out int length)
    {
        length = 0;
        var j = i + 1;
        if (j < text.Length && (text[j] == 'w' || text[j] == 'W'))
        {
            j++;
        }

        if (j + 1 >= text.Length || char.ToLowerInvariant(text[j]) != 'b' || char.ToLowerInvariant(text[j + 1]) != 'r')
        {
            return false;
        }

        j += 2;
        while (j < text.Length && (text[j] == ' ' || text[j] == '/'))
        {
            j++;
        }

        if (j >= text.Length || text[j] != '>')
        {
            return false;
        }

        length = j + 1 - i;
        return true;
    }

    private static bool TryHex(string text, int start, int digits, out int value)
    {
        value = 0;
        if (start + digits > text.Length)
        {
            return false;
        }

        for (var i = start; i < start + digits; i++)
        {
            if (!Uri.IsHexDigit(text[i]))
            {
                return false;
            }

            value = (value * 16) + HexValue(text[i]);
        }

        return true;
    }

    private static int HexValue(char c) => c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10;

    /// <summary>Text in normalized form, each character with the span [Start, End) of the original text it came from.</summary>
    private readonly struct MappedText(string text, int[]? start, int[]? end)
    {
        public string Text { get; } = text;

        public int StartOf(int i) => start is null ? i : start[i];

        public int EndOf(int i) => end is null ? i + 1 : end[i];
    }

    /// <summary>Some secrets, normalized once: those to find whole, and those to find in runs of <see cref="MinimumRun"/> characters.</summary>
    private sealed class SecretSet
    {
        // A secret up to this long is searched for directly; a longer one (an STS token) through a set of its runs.
        private const int DirectSearchLimit = 64;

        private readonly List<string> _whole = [];
        private readonly List<string> _direct = [];
        private readonly HashSet<Window>? _windows;

        // The characters of the run-matched secrets (ASCII as bits, anything else as one flag): a run is looked up
        // only where 8 characters in a row are all among them, so most text costs one bit test per character.
        private readonly ulong _belowAt;
        private readonly ulong _fromAt;
        private readonly bool _beyondAscii;

        /// <summary>Normalizes <paramref name="whole"/> (found only whole) and <paramref name="sent"/> (found in runs of <see cref="MinimumRun"/>).</summary>
        public SecretSet(IReadOnlyList<string?> whole, IReadOnlyList<string?> sent)
        {
            foreach (var secret in whole)
            {
                if (NormalizeSecret(secret) is { } normalized)
                {
                    _whole.Add(normalized);
                }
            }

            foreach (var secret in sent)
            {
                if (NormalizeSecret(secret) is not { } normalized)
                {
                    continue;
                }

                if (normalized.Length < MinimumRun)
                {
                    _whole.Add(normalized);
                    continue;
                }

                if (normalized.Length <= DirectSearchLimit)
                {
                    _direct.Add(normalized);
                }
                else
                {
                    _windows ??= [];
                    for (var i = 0; i + MinimumRun <= normalized.Length; i++)
                    {
                        _windows.Add(Window.At(normalized, i));
                    }
                }

                foreach (var c in normalized)
                {
                    if (c < 64)
                    {
                        _belowAt |= 1UL << c;
                    }
                    else if (c < 128)
                    {
                        _fromAt |= 1UL << (c - 64);
                    }
                    else
                    {
                        _beyondAscii = true;
                    }
                }
            }
        }

        private static string? NormalizeSecret(string? secret)
            => string.IsNullOrEmpty(secret) || Normalize(secret!).Text is not { Length: >= MinimumSecretLength } normalized ? null : normalized;

        /// <summary>Marks in <paramref name="hit"/> every character of <paramref name="text"/> (normalized) that belongs to a secret.</summary>
        public void Mark(string text, ref bool[]? hit)
        {
            foreach (var secret in _whole)
            {
                for (var at = text.IndexOf(secret, StringComparison.Ordinal); at >= 0; at = text.IndexOf(secret, at + 1, StringComparison.Ordinal))
                {
                    MarkRange(ref hit, text.Length, at, at + secret.Length);
                }
            }

            if (_direct.Count == 0 && _windows is null)
            {
                return;
            }

            var run = 0;
            for (var last = 0; last < text.Length; last++)
            {
                run = MayBelong(text[last]) ? run + 1 : 0;
                var i = last - MinimumRun + 1;
                if (run >= MinimumRun && ((_windows is not null && _windows.Contains(Window.At(text, i))) || AnyDirect(text, i)))
                {
                    MarkRange(ref hit, text.Length, i, i + MinimumRun);
                }
            }
        }

        private bool MayBelong(char c) => c < 64 ? ((_belowAt >> c) & 1) != 0 : c < 128 ? ((_fromAt >> (c - 64)) & 1) != 0 : _beyondAscii;

        private bool AnyDirect(string text, int i)
        {
            foreach (var secret in _direct)
            {
                for (var j = secret.IndexOf(text[i]); j >= 0 && j + MinimumRun <= secret.Length; j = secret.IndexOf(text[i], j + 1))
                {
                    var n = 1;
                    while (n < MinimumRun && text[i + n] == secret[j + n])
                    {
                        n++;
                    }

                    if (n == MinimumRun)
                    {
                        return true;
                    }
                }
            }

            return false;
        }
    }

    /// <summary>Eight characters packed into two numbers, for a set of a long secret's runs.</summary>
    private readonly struct Window(ulong first, ulong second) : IEquatable<Window>
    {
        private readonly ulong _first = first;
        private readonly ulong _second = second;

        public static Window At(string text, int i)
            => new(
                text[i] | ((ulong)text[i + 1] << 16) | ((ulong)text[i + 2] << 32) | ((ulong)text[i + 3] << 48),
                text[i + 4] | ((ulong)text[i + 5] << 16) | ((ulong)text[i + 6] << 32) | ((ulong)text[i + 7] << 48));

        public bool Equals(Window other) => _first == other._first && _second == other._second;

        public override bool Equals(object? obj) => obj is Window other && Equals(other);

        public override int GetHashCode() => unchecked((int)(_first ^ (_first >> 32)) * 31 + (int)(_second ^ (_second >> 32)));
    }
}
