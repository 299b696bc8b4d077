namespace Dataphin.OpenApi.Authentication.Sources;

/// <summary>
/// The Alibaba Cloud credentials file format: <c>[section]</c> headers and <c>key = value</c> lines; lines starting
/// with <c>#</c> or <c>;</c> are comments, and so is the rest of a line after a <c>#</c> or <c>;</c> that follows
/// white space; values may be quoted. Keys are matched case-insensitively; a repeated section adds to the first.
/// Errors name the line, never its text (it may hold a secret).
/// </summary>
internal static class IniFile
{
    public static Dictionary<string, Dictionary<string, string>> Parse(string text)
    {
        var sections = new Dictionary<string, Dictionary<string, string>>(StringComparer.Ordinal);
        Dictionary<string, string>? current = null;
        var lineNumber = 0;
        foreach (var raw in text.Split('\n'))
        {
            lineNumber++;
            var line = raw.Trim().TrimStart('\uFEFF');
            if (line.Length == 0 || line[0] is '#' or ';')
            {
                continue;
            }

            if (line[0] == '[')
            {
                var end = line.IndexOf(']');
                var name = end < 0 ? string.Empty : line.Substring(1, end - 1).Trim();
                if (name.Length == 0 || StripComment(line.Substring(end + 1)).Length > 0)
                {
                    throw new FormatException($"line {lineNumber} is not a well-formed [section] header");
                }

                if (!sections.TryGetValue(name, out current))
                {
                    current = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
                    sections.Add(name, current);
                }

                continue;
            }

            var equals = line.IndexOf('=');
            if (equals <= 0)
            {
                throw new FormatException($"line {lineNumber} is neither a [section] header nor a key = value setting");
            }

            if (current is null)
            {
                throw new FormatException($"line {lineNumber} is a setting before the first [section] header");
            }

            var key = line.Substring(0, equals).Trim();
            current[key] = Unquote(StripComment(line.Substring(equals + 1)));
        }

        return sections;
    }

    private static string StripComment(string value)
    {
        for (var i = 1; i < value.Length; i++)
        {
            if (value[i] is '#' or ';' && char.IsWhiteSpace(value[i - 1]))
            {
                return value.Substring(0, i).Trim();
            }
        }

        var trimmed = value.Trim();
        return trimmed.Length > 0 && trimmed[0] is '#' or ';' ? string.Empty : trimmed;
    }

    private static string Unquote(string value)
        => value.Length >= 2 && (value[0] == '"' && value[value.Length - 1] == '"' || value[0] == '\'' && value[value.Length - 1] == '\'') ? value.Substring(1, value.Length - 2) : value;
}
