using System.Text;

namespace Dataphin.OpenApi.Generator.CSharp;

/// <summary>
/// Turns the names of <c>operations.json</c> (wire names, section and group titles) into C# identifiers, and gives a
/// stable rename to a name C# cannot use where it stands.
/// </summary>
internal static class CSharpNames
{
    /// <summary>What a member name gets appended when it clashes with a keyword, an inherited member or its type's name.</summary>
    public const string ClashSuffix = "Value";

    /// <summary>The members every class inherits from <see cref="object"/>; a property of that name would hide one.</summary>
    private static readonly HashSet<string> ObjectMembers = new(StringComparer.Ordinal)
    {
        "Equals", "Finalize", "GetHashCode", "GetType", "MemberwiseClone", "ReferenceEquals", "ToString",
    };

    private static readonly HashSet<string> Keywords = new(StringComparer.Ordinal)
    {
        "abstract", "as", "base", "bool", "break", "byte", "case", "catch", "char", "checked", "class", "const",
        "continue", "decimal", "default", "delegate", "do", "double", "else", "enum", "event", "explicit", "extern",
        "false", "finally", "fixed", "float", "for", "foreach", "goto", "if", "implicit", "in", "int", "interface",
        "internal", "is", "lock", "long", "namespace", "new", "null", "object", "operator", "out", "override",
        "params", "private", "protected", "public", "readonly", "ref", "return", "sbyte", "sealed", "short", "sizeof",
        "stackalloc", "static", "string", "struct", "switch", "this", "throw", "true", "try", "typeof", "uint", "ulong",
        "unchecked", "unsafe", "ushort", "using", "virtual", "void", "volatile", "while",
    };

    public static bool IsKeyword(string name) => Keywords.Contains(name);

    /// <summary>
    /// A wire name as a C# member name: its first letter upper-cased, every character that cannot be in an identifier
    /// dropped (the letter after it upper-cased), a leading digit prefixed with <c>N</c>; the rest is kept, so
    /// <c>DDLCommand</c> stays <c>DDLCommand</c> and the wire name is still recognisable.
    /// </summary>
    public static string Member(string wireName)
    {
        var text = new StringBuilder(wireName.Length);
        var upperNext = true;
        foreach (var c in wireName)
        {
            if (!char.IsAsciiLetterOrDigit(c))
            {
                upperNext = true;
                continue;
            }

            text.Append(upperNext ? char.ToUpperInvariant(c) : c);
            upperNext = false;
        }

        if (text.Length == 0)
        {
            return "Field";
        }

        if (char.IsAsciiDigit(text[0]))
        {
            text.Insert(0, 'N');
        }

        return text.ToString();
    }

    /// <summary>
    /// A title such as <c>Batch task</c> or <c>API management</c> as a PascalCase identifier: each word capitalised,
    /// acronyms of three letters or more written as words (<c>Api</c>, <c>Udfs</c>), separators dropped.
    /// </summary>
    public static string Title(string title)
    {
        var text = new StringBuilder(title.Length);
        foreach (var word in title.Split([' ', '-', '_', '/', '&', '.', ','], StringSplitOptions.RemoveEmptyEntries))
        {
            var letters = new string(word.Where(char.IsAsciiLetterOrDigit).ToArray());
            if (letters.Length == 0)
            {
                continue;
            }

            var upperRun = letters.TakeWhile(char.IsAsciiLetterUpper).Count();
            var acronym = upperRun >= 3 || (upperRun == letters.Length && letters.Length >= 2);
            text.Append(char.ToUpperInvariant(letters[0]))
                .Append(acronym ? letters[1..].ToLowerInvariant() : letters[1..]);
        }

        return text.Length == 0 ? throw new GeneratorInputException($"The title '{title}' has no letters to make a C# name of.") : text.ToString();
    }

    /// <summary>
    /// Whether <paramref name="name"/> may be a property of a class named <paramref name="typeName"/>: not a keyword, not
    /// the class's own name (CS0542), not a member every object inherits.
    /// </summary>
    public static bool IsUsableMember(string name, string typeName)
        => !IsKeyword(name) && !string.Equals(name, typeName, StringComparison.Ordinal) && !ObjectMembers.Contains(name);

    /// <summary>
    /// The first of <paramref name="candidate"/>, <paramref name="candidate"/>2, 3, ... that <paramref name="isFree"/>
    /// accepts; stable because callers ask in the order of the input file.
    /// </summary>
    public static string FirstFree(string candidate, Func<string, bool> isFree)
    {
        if (isFree(candidate))
        {
            return candidate;
        }

        for (var n = 2; ; n++)
        {
            var numbered = candidate + n.ToString(System.Globalization.CultureInfo.InvariantCulture);
            if (isFree(numbered))
            {
                return numbered;
            }
        }
    }
}
