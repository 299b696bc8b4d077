using System.Collections.Frozen;
using System.Globalization;

namespace Dataphin.OpenApi.Testing.Operations;

/// <summary>The 338 operations of dataphin-public 2023-06-30 and their throttling levels, from the embedded <c>operations.tsv</c>.</summary>
internal static class OperationCatalog
{
    public const string ApiVersion = "2023-06-30";

    public static FrozenDictionary<string, int> Levels { get; } = Load();

    private static FrozenDictionary<string, int> Load()
    {
        using var stream = typeof(OperationCatalog).Assembly.GetManifestResourceStream("Dataphin.OpenApi.Testing.operations.tsv")
            ?? throw new InvalidOperationException("The embedded operation catalog is missing.");
        using var reader = new StreamReader(stream);
        var levels = new Dictionary<string, int>(StringComparer.Ordinal);
        while (reader.ReadLine() is { } line)
        {
            if (line.Length == 0)
            {
                continue;
            }

            var tab = line.IndexOf('\t', StringComparison.Ordinal);
            levels[line[..tab]] = int.Parse(line[(tab + 1)..], NumberStyles.None, CultureInfo.InvariantCulture);
        }

        return levels.ToFrozenDictionary(StringComparer.Ordinal);
    }
}
