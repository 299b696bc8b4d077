namespace Dataphin.OpenApi.Bulk;

/// <summary>A manifest cannot be planned: an item is invalid or unreadable, or a table pair is listed twice. Nothing was sent.</summary>
public sealed class LineagePlanException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="problems">Every problem found, each naming the item and the rule.</param>
    public LineagePlanException(IReadOnlyList<string> problems)
        : base(Describe(problems))
    {
        Problems = problems;
    }

    /// <summary>Every problem found, each naming the item and the rule.</summary>
    public IReadOnlyList<string> Problems { get; }

    private static string Describe(IReadOnlyList<string> problems)
    {
        if (problems is null || problems.Count == 0)
        {
            throw new ArgumentException("At least one problem is required.", nameof(problems));
        }

        return problems.Count == 1
            ? "The manifest cannot be planned: " + problems[0]
            : $"The manifest cannot be planned ({problems.Count} problems): " + string.Join("; ", problems);
    }
}
