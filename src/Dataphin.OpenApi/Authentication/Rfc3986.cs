using System.Text;

namespace Dataphin.OpenApi.Authentication;

/// <summary>Percent-encoding as the signature and the official clients' form encoder need it.</summary>
internal static class Rfc3986
{
    private const string Hex = "0123456789ABCDEF";

    /// <summary>RFC 3986: only <c>A-Z a-z 0-9 - _ . ~</c> stay literal; everything else is UTF-8 <c>%XX</c>.</summary>
    public static string Encode(string value) => Encode(value, formSafe: false);

    /// <summary>
    /// Node's <c>querystring.escape</c>, which the official client uses for form bodies: also leaves
    /// <c>! ' ( ) *</c> literal; a space is <c>%20</c>.
    /// </summary>
    public static string EncodeForm(string value) => Encode(value, formSafe: true);

    private static bool IsUnreserved(char c, bool formSafe)
        => c is >= 'A' and <= 'Z' or >= 'a' and <= 'z' or >= '0' and <= '9' or '-' or '_' or '.' or '~'
           || (formSafe && c is '!' or '\'' or '(' or ')' or '*');

    private static string Encode(string value, bool formSafe)
    {
        var i = 0;
        while (i < value.Length && IsUnreserved(value[i], formSafe))
        {
            i++;
        }

        if (i == value.Length)
        {
            return value;
        }

        var bytes = Encoding.UTF8.GetBytes(value);
        var text = new StringBuilder(bytes.Length * 3);
        foreach (var b in bytes)
        {
            var c = (char)b;
            if (b < 0x80 && IsUnreserved(c, formSafe))
            {
                text.Append(c);
            }
            else
            {
                text.Append('%').Append(Hex[b >> 4]).Append(Hex[b & 0xF]);
            }
        }

        return text.ToString();
    }
}
