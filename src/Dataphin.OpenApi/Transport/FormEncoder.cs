using System.Text;

namespace Dataphin.OpenApi.Transport;

/// <summary>
/// Writes an <c>application/x-www-form-urlencoded</c> body straight into bytes, as the official Node client's
/// <c>querystring.stringify</c> does: fields in insertion order, <c>A-Z a-z 0-9 - _ . ! ~ * ' ( )</c> literal,
/// every other UTF-8 byte as upper-case <c>%XX</c> (a space is <c>%20</c>).
/// </summary>
internal static class FormEncoder
{
    private static readonly byte[] HexDigits = "0123456789ABCDEF"u8.ToArray();
    private static readonly bool[] Literal = BuildLiteralTable();

    /// <summary>Encodes one field whose value is already UTF-8 (for example a command's JSON).</summary>
    public static byte[] EncodeField(string name, byte[] utf8Value)
    {
        var nameBytes = Encoding.UTF8.GetBytes(name);
        var body = new byte[EncodedLength(nameBytes) + 1 + EncodedLength(utf8Value)];
        var at = Write(nameBytes, body, 0);
        body[at++] = (byte)'=';
        Write(utf8Value, body, at);
        return body;
    }

    /// <summary>Encodes text fields.</summary>
    public static byte[] Encode(IReadOnlyList<KeyValuePair<string, string>> form)
    {
        if (form.Count == 0)
        {
            return [];
        }

        var parts = new byte[form.Count * 2][];
        var length = form.Count - 1;
        for (var i = 0; i < form.Count; i++)
        {
            parts[2 * i] = Encoding.UTF8.GetBytes(form[i].Key);
            parts[(2 * i) + 1] = Encoding.UTF8.GetBytes(form[i].Value ?? string.Empty);
            length += EncodedLength(parts[2 * i]) + 1 + EncodedLength(parts[(2 * i) + 1]);
        }

        var body = new byte[length];
        var at = 0;
        for (var i = 0; i < form.Count; i++)
        {
            if (i > 0)
            {
                body[at++] = (byte)'&';
            }

            at = Write(parts[2 * i], body, at);
            body[at++] = (byte)'=';
            at = Write(parts[(2 * i) + 1], body, at);
        }

        return body;
    }

    private static int EncodedLength(byte[] value)
    {
        var length = value.Length;
        foreach (var b in value)
        {
            if (!Literal[b])
            {
                length += 2;
            }
        }

        return length;
    }

    private static int Write(byte[] value, byte[] target, int at)
    {
        foreach (var b in value)
        {
            if (Literal[b])
            {
                target[at++] = b;
            }
            else
            {
                target[at++] = (byte)'%';
                target[at++] = HexDigits[b >> 4];
                target[at++] = HexDigits[b & 0xF];
            }
        }

        return at;
    }

    private static bool[] BuildLiteralTable()
    {
        var table = new bool[256];
        for (var c = 'A'; c <= 'Z'; c++)
        {
            table[c] = true;
            table[char.ToLowerInvariant(c)] = true;
        }

        for (var c = '0'; c <= '9'; c++)
        {
            table[c] = true;
        }

        foreach (var c in "-_.!~*'()")
        {
            table[c] = true;
        }

        return table;
    }
}
