using System.Security.Cryptography;
using System.Text;

namespace Dataphin.OpenApi.Internal;

internal static class HexEncoding
{
    public static string ToLowerHex(byte[] bytes)
    {
#if NET9_0_OR_GREATER
        return Convert.ToHexStringLower(bytes);
#else
        const string digits = "0123456789abcdef";
        var chars = new char[bytes.Length * 2];
        for (var i = 0; i < bytes.Length; i++)
        {
            chars[2 * i] = digits[bytes[i] >> 4];
            chars[(2 * i) + 1] = digits[bytes[i] & 0xF];
        }

        return new string(chars);
#endif
    }

    public static string Sha256Hex(byte[] data)
    {
#if NET5_0_OR_GREATER
        return ToLowerHex(SHA256.HashData(data));
#else
        using var sha = SHA256.Create();
        return ToLowerHex(sha.ComputeHash(data));
#endif
    }

    public static string Sha256Hex(string text) => Sha256Hex(Encoding.UTF8.GetBytes(text));

    public static string HmacSha256Hex(string key, string message)
    {
        var keyBytes = Encoding.UTF8.GetBytes(key);
        var messageBytes = Encoding.UTF8.GetBytes(message);
#if NET6_0_OR_GREATER
        return ToLowerHex(HMACSHA256.HashData(keyBytes, messageBytes));
#else
        using var hmac = new HMACSHA256(keyBytes);
        return ToLowerHex(hmac.ComputeHash(messageBytes));
#endif
    }
}
