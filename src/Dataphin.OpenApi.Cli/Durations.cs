using System.Globalization;
using System.Text.RegularExpressions;

namespace Dataphin.OpenApi.Cli;

/// <summary>Durations on the command line: <c>90s</c>, <c>5m</c>, <c>1h30m</c>, <c>500ms</c>, or <c>0</c>.</summary>
internal static partial class Durations
{
    public static TimeSpan Parse(string option, string text)
    {
        var trimmed = text.Trim();
        if (trimmed == "0")
        {
            return TimeSpan.Zero;
        }

        var match = Pattern().Match(trimmed);
        if (!match.Success || match.Length == 0)
        {
            throw new CliUsageException($"{option} '{text}' is not a duration such as 90s, 5m, 1h30m or 500ms.");
        }

        var total = TimeSpan.Zero;
        foreach (Capture part in match.Groups["part"].Captures)
        {
            var unitAt = part.Value.IndexOfAny(['h', 'm', 's']);
            var number = long.Parse(part.Value[..unitAt], NumberStyles.None, CultureInfo.InvariantCulture);
            total += part.Value[unitAt..] switch
            {
                "h" => TimeSpan.FromHours(number),
                "m" => TimeSpan.FromMinutes(number),
                "s" => TimeSpan.FromSeconds(number),
                _ => TimeSpan.FromMilliseconds(number),
            };
        }

        return total <= TimeSpan.FromDays(7) ? total : throw new CliUsageException($"{option} '{text}' is longer than 7 days.");
    }

    [GeneratedRegex("^(?<part>[0-9]{1,9}(?:ms|h|m|s))+$", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();

    public static string Format(TimeSpan duration) => duration.TotalSeconds < 1
        ? string.Create(CultureInfo.InvariantCulture, $"{duration.TotalMilliseconds:0} ms")
        : duration.TotalMinutes < 2
            ? string.Create(CultureInfo.InvariantCulture, $"{duration.TotalSeconds:0.#} s")
            : duration.TotalHours < 2
                ? string.Create(CultureInfo.InvariantCulture, $"{duration.TotalMinutes:0.#} min")
                : string.Create(CultureInfo.InvariantCulture, $"{duration.TotalHours:0.#} h");
}
