namespace Dataphin.OpenApi.Bulk;

/// <summary>A run journal cannot be used: it was written for another run, it is damaged, or another run is writing it.</summary>
public sealed class BulkRunJournalException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="path">The journal file.</param>
    /// <param name="problem">What is wrong.</param>
    /// <param name="message">The message.</param>
    /// <param name="differences">For <see cref="BulkRunJournalProblem.DifferentRun"/>, each way the journal's run differs.</param>
    /// <param name="innerException">The cause, if any.</param>
    public BulkRunJournalException(string path, BulkRunJournalProblem problem, string message, IReadOnlyList<string>? differences = null, Exception? innerException = null)
        : base(message, innerException)
    {
        Path = path;
        Problem = problem;
        Differences = differences ?? Array.Empty<string>();
    }

    /// <summary>The journal file.</summary>
    public string Path { get; }

    /// <summary>What is wrong.</summary>
    public BulkRunJournalProblem Problem { get; }

    /// <summary>For <see cref="BulkRunJournalProblem.DifferentRun"/>: each way the journal's run differs from this one, as a sentence.</summary>
    public IReadOnlyList<string> Differences { get; }
}

/// <summary>Why a run journal cannot be used.</summary>
public enum BulkRunJournalProblem
{
    /// <summary>The journal was written for another operation, manifest, endpoint or tenant.</summary>
    DifferentRun,

    /// <summary>The file is not a run journal, or a line before the last one cannot be read.</summary>
    Damaged,

    /// <summary>Another run is writing the journal.</summary>
    InUse,
}
