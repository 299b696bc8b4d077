using System.Text;

namespace Dataphin.OpenApi.Authentication;

/// <summary>RFC 3986 percent-encoding as the V3 signature needs it for query names and values.</summary>
/// <remarks>
/// The emulator (src/Dataphin.OpenApi.Testing/Protocol/Rfc3986.cs) has its own copy on purpose: it is the independent
/// oracle the SDK is tested against, so it must not share this code. Do not merge the two.
/// </remarks>
internal static class Rfc3986
{
    private const string Hex = "0123456789ABCDEF";

    /// <summary>Only <c>A-Z a-z 0-9 - _ . ~</c> stay literal; everything else is UTF-8 <c>%XX</c> with upper-case hex.</summary>
    public static string Encode(string value)
    {
        var i = 0;
        while (i < value.Length && IsUnreserved(value[i]))
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
            if (b < 0x80 && IsUnreserved((char)b))
            {
                text.Append((char)b);
            }
            else
            {
                text.Append('%').Append(Hex[b >> 4]).Append(Hex[b & 0xF]);
            }
        }

        return text.ToString();
    }

    private static bool IsUnreserved(char c)
        => c is >= 'A' and <= 'Z' or >= 'a' and <= 'z' or >= '0' and <= '9' or '-' or '_' or '.' or '~';
}
