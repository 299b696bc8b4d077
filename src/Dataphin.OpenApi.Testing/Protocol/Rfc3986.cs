using System.Text;

namespace Dataphin.OpenApi.Testing.Protocol;

/// <summary>The percent-encoding of the V3 canonical query: only <c>A-Z a-z 0-9 - _ . ~</c> stay literal, hex upper case.</summary>
/// <remarks>
/// Deliberately a copy of what the SDK does (src/Dataphin.OpenApi/Authentication/Rfc3986.cs), written separately: the
/// emulator is the independent oracle the SDK is tested against and never references it. Do not merge the two.
/// </remarks>
internal static class Rfc3986
{
    public static string Encode(string value)
    {
        var text = new StringBuilder(value.Length + 8);
        foreach (var b in Encoding.UTF8.GetBytes(value))
        {
            var c = (char)b;
            if (c is (>= 'A' and <= 'Z') or (>= 'a' and <= 'z') or (>= '0' and <= '9') or '-' or '_' or '.' or '~')
            {
                text.Append(c);
            }
            else
            {
                text.Append('%').Append(b.ToString("X2", System.Globalization.CultureInfo.InvariantCulture));
            }
        }

        return text.ToString();
    }

    /// <summary>Standard <c>application/x-www-form-urlencoded</c> decoding: <c>+</c> is a space, <c>%XX</c> a UTF-8 byte.</summary>
    public static string FormDecode(string value)
    {
        if (value.IndexOf('+', StringComparison.Ordinal) < 0 && value.IndexOf('%', StringComparison.Ordinal) < 0)
        {
            return value;
        }

        return Uri.UnescapeDataString(value.Replace('+', ' '));
    }

    /// <summary>Splits <c>a=1&amp;b=2</c> (query or form body) into decoded pairs, in order.</summary>
    public static List<KeyValuePair<string, string>> ParsePairs(string text)
    {
        var pairs = new List<KeyValuePair<string, string>>();
        if (text.StartsWith('?'))
        {
            text = text[1..];
        }

        foreach (var part in text.Split('&'))
        {
            if (part.Length == 0)
            {
                continue;
            }

            var eq = part.IndexOf('=', StringComparison.Ordinal);
            var name = FormDecode(eq < 0 ? part : part[..eq]);
            var value = eq < 0 ? string.Empty : FormDecode(part[(eq + 1)..]);
            pairs.Add(new(name, value));
        }

        return pairs;
    }
}
