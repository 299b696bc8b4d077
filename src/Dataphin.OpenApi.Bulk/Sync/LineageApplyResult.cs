namespace Dataphin.OpenApi.Bulk;

/// <summary>What <see cref="LineagePlanner.ApplyAsync"/> did: the bulk run's totals and the state to save.</summary>
public sealed class LineageApplyResult
{
    internal LineageApplyResult(BulkSummary summary, LineageState state, IReadOnlyList<LineageChange> applied, IReadOnlyList<LineageChange> notApplied)
    {
        Summary = summary;
        State = state;
        Applied = applied;
        NotApplied = notApplied;
    }

    /// <summary>The bulk run's totals.</summary>
    public BulkSummary Summary { get; }

    /// <summary>
    /// The state after the run: the plan's state with every change whose calls all succeeded carried over (a change
    /// with a failed or unsent call is left as it was, so the next plan shows it again). Save it.
    /// </summary>
    public LineageState State { get; }

    /// <summary>The changes carried out.</summary>
    public IReadOnlyList<LineageChange> Applied { get; }

    /// <summary>The changes not (or not completely) carried out: a call failed, or the run stopped first.</summary>
    public IReadOnlyList<LineageChange> NotApplied { get; }
}
