using System.Globalization;
using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using Dataphin.OpenApi.Diagnostics;
using Dataphin.OpenApi.Transport;

namespace Dataphin.OpenApi.Tests.Transport;

public sealed class SecretRedactorTests
{
    // A plain AccessKey (no token): its secret is found whole, in every form. SecretEchoTests covers a long STS token.
    private const string Secret = "Zq8/Wp3+Lm5=Tx7Kd2Vb9Hn4Rc6Fyu";
    private const string Signature = "3f9a1c0e5b7d2a4f6c8e0b1d3f5a7c9e2b4d6f8a0c1e3b5d7f9a2c4e6b8d0f1a";

    private static readonly SecretRedactor Redactor = SecretRedactor.For(new DataphinCredential("LTAI5tRedactorTest", Secret), Signature);

    // Keyed by name only, so that no test name shows the secret.
    private static readonly Dictionary<string, string> Echoes = new()
    {
        ["raw"] = Secret,
        ["percent, upper case"] = Uri.EscapeDataString(Secret),
        ["percent, lower case"] = Regex.Replace(Uri.EscapeDataString(Secret), "%[0-9A-F]{2}", m => m.Value.ToLowerInvariant()),
        ["percent, twice"] = Uri.EscapeDataString(Uri.EscapeDataString(Secret)),
        ["form-encoded"] = WebUtility.UrlEncode(Secret),
        ["+ and %20 inside"] = Secret.Insert(10, "+").Insert(20, "%20"),
        ["JSON \\u escapes"] = string.Concat(Secret.Select(c => "\\u" + ((int)c).ToString("X4", CultureInfo.InvariantCulture))),
        ["JSON \\/"] = Secret.Replace("/", "\\/", StringComparison.Ordinal),
        ["HTML decimal entities"] = Secret.Replace("/", "&#47;", StringComparison.Ordinal).Replace("+", "&#43;", StringComparison.Ordinal).Replace("=", "&#61;", StringComparison.Ordinal),
        ["HTML hex entities without ';'"] = Secret.Replace("/", "&#x2f", StringComparison.Ordinal).Replace("+", "&#X2B", StringComparison.Ordinal),
        ["HTML named entities"] = Secret.Replace("/", "&sol;", StringComparison.Ordinal).Replace("+", "&plus;", StringComparison.Ordinal).Replace("=", "&equals;", StringComparison.Ordinal),
        ["JSON inside HTML"] = Secret.Replace("/", "&#92;u002F", StringComparison.Ordinal),
        ["lines of 3"] = string.Join("\r\n", Enumerable.Range(0, 10).Select(i => Secret.Substring(i * 3, 3))),
        ["zero-width spaces"] = string.Join("\u200B", Secret.ToCharArray()),
        ["<br /> every 4"] = string.Join("<br />", Enumerable.Range(0, 8).Select(i => Secret.Substring(i * 4, Math.Min(4, Secret.Length - (i * 4))))),
    };

    public static TheoryData<string> EchoedForms => new(Echoes.Keys);

    [Theory]
    [MemberData(nameof(EchoedForms))]
    public void The_secret_is_removed_in_every_echoed_form(string form)
    {
        var result = Redactor.Redact($"before [{Echoes[form]}] after")!;

        Assert.True(result == "before [***] after", $"{form}: the echo was not replaced by *** alone");
    }

    [Fact]
    public void Any_eight_characters_of_what_was_sent_are_removed_but_seven_are_not_a_secret()
    {
        const string token = "CAIS8f2Kq+Zr/71Lm0PxW4tV9bY3cN6hJ5gD1sA2eF0uQ7iO8pR=";
        var redactor = SecretRedactor.For(new DataphinCredential("LTAI5tRedactorTest", Secret, token), Signature);

        Assert.Equal("a *** b", redactor.Redact("a " + Signature.Substring(20, 8) + " b"));
        Assert.Equal("a *** b", redactor.Redact("a " + token.Substring(10, 9) + " b"));
        Assert.Equal("a *** b", redactor.Redact("a " + Uri.EscapeDataString(token.AsSpan(10, 9)) + " b"));
        Assert.Equal("a " + Signature.Substring(20, 7) + " b", redactor.Redact("a " + Signature.Substring(20, 7) + " b"));
    }

    [Fact]
    public void The_access_key_secret_is_never_sent_so_only_the_whole_of_it_is_removed()
    {
        var redactor = SecretRedactor.For(new DataphinCredential("testAccessKeyId", "testAccessKeySecret"), Signature);

        Assert.Equal("InvalidAccessKeyId.NotFound: Specified AccessKeySecret is wrong", redactor.Redact("InvalidAccessKeyId.NotFound: Specified AccessKeySecret is wrong"));
        Assert.Equal("secret=*** end", redactor.Redact("secret=test%41ccessKey\u0053ecret end"));
    }

    [Fact]
    public void A_secret_with_characters_outside_ascii_is_found_percent_encoded_as_utf8()
    {
        const string secret = "Schlüssel-Gemüse-7f3a";
        var redactor = new SecretRedactor([secret]);

        Assert.Equal("k=***&x=1", redactor.Redact("k=" + Uri.EscapeDataString(secret) + "&x=1"));
        Assert.Equal("k=***&x=1", redactor.Redact("k=" + WebUtility.HtmlEncode(secret) + "&x=1"));
    }

    [Fact]
    public void A_short_secret_is_removed_where_it_is_whole()
    {
        var redactor = new SecretRedactor(["k3y!", "ab", null, string.Empty]);

        Assert.Equal("x=*** y=ab z=k3y", redactor.Redact("x=k3y%21 y=ab z=k3y"));
    }

    [Fact]
    public void Text_without_a_secret_comes_back_as_the_same_instance()
    {
        const string text = "{\"Code\":\"Forbidden.RAM\",\"Message\":\"User not authorized &amp; denied %2F\\u0041\"}";

        Assert.Same(text, Redactor.Redact(text));
        Assert.Null(Redactor.Redact(null));
    }

    [Fact]
    public void The_hex_value_after_Signature_equals_is_removed_whichever_attempt_made_it()
    {
        const string other = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

        Assert.Equal("Signature=***\nx-acs-date: today", Redactor.Redact("Signature=" + other + "\nx-acs-date: today"));
        Assert.Equal("signature%3D***&a=b", Redactor.Redact("signature%3D" + other + "&a=b"));
        Assert.Equal("Signature=abc", Redactor.Redact("Signature=abc"));
    }

    [Fact]
    public void A_snippet_is_redacted_before_it_is_cut_so_no_part_of_a_secret_crossing_the_cut_is_left()
    {
        for (var start = ErrorMapper.SnippetLength - Secret.Length; start <= ErrorMapper.SnippetLength; start++)
        {
            var body = Encoding.UTF8.GetBytes(new string('.', start) + Uri.EscapeDataString(Secret) + new string('.', 500));

            var snippet = ErrorMapper.Snippet(body, Redactor);

            Assert.Equal((new string('.', start) + "***" + new string('.', 500))[..ErrorMapper.SnippetLength] + "...", snippet);
        }
    }

    [Fact]
    public void A_snippet_flattens_line_breaks_and_marks_a_cut()
    {
        Assert.Equal("a b c", ErrorMapper.Snippet(Encoding.UTF8.GetBytes("a\nb\tc"), Redactor));
        Assert.Equal(new string('x', ErrorMapper.SnippetLength) + "...", ErrorMapper.Snippet(Encoding.UTF8.GetBytes(new string('x', 10_000)), Redactor));
        Assert.Equal("(empty body)", ErrorMapper.Snippet([], Redactor));
    }
}
