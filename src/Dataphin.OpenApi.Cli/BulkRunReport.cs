using Dataphin.OpenApi.Bulk;

namespace Dataphin.OpenApi.Cli;

/// <summary>What a bulk command did: the totals, the items that did not succeed (folded), the journal, and anything that broke the run off.</summary>
internal sealed class BulkRunReport
{
    /// <summary>At most this many distinct problem lines are kept (all problems are counted).</summary>
    public const int MaxProblemGroups = 1000;

    private readonly Dictionary<(string Label, string Text), ProblemGroup> _groups = new();

    /// <summary>Counts of the items read, from their results.</summary>
    public BulkSummary Summary { get; } = new();

    /// <summary>The run's last progress snapshot: requests sent, pauses, why it stopped.</summary>
    public BulkProgress? Final { get; set; }

    /// <summary>The items of the input (from the first pass), or the items read when that is not known.</summary>
    public long Total { get; set; }

    public string? JournalPath { get; set; }

    /// <summary>Where the credential came from, for the advice after an authentication error.</summary>
    public string? CredentialSource { get; set; }

    public bool Resumed { get; set; }

    public long SucceededEarlier { get; set; }

    /// <summary>Add-only properties a delete ignored, and on how many items (counted from the items read).</summary>
    public SortedDictionary<string, long> IgnoredProperties { get; } = new(StringComparer.Ordinal);

    /// <summary>The first results that did not succeed, for --json (all are counted and folded).</summary>
    public List<BulkItemResult> Problems { get; } = new();

    public IReadOnlyCollection<ProblemGroup> ProblemGroups => _groups.Values;

    public long ProblemsNotShown { get; private set; }

    public string? FailuresFile { get; set; }

    public int FailuresWritten { get; set; }

    /// <summary>Items left to do that the failures file cannot hold because they could not be read (no command); they are fixed in the source manifest.</summary>
    public int FailuresUnreadable { get; set; }

    public List<string> FailureWriteErrors { get; } = new();

    public LineageManifestException? InputError { get; set; }

    public BulkStopReason StopReason => Final?.StopReason ?? BulkStopReason.None;

    public long Succeeded => Summary.Succeeded;

    public long Failed => Summary.Failed;

    public long Invalid => Summary.SkippedInvalid;

    public long AlreadyDone => Summary.AlreadyDone;

    /// <summary>Items not sent to the end: cut off by a stop, never reached, or (in a dry run) only validated.</summary>
    public long NotAttempted => Math.Max(0, Total - Succeeded - Failed - Invalid - AlreadyDone);

    /// <summary>Requests that left the process (calls handed to the client in a run without a tracker).</summary>
    public long CallsSent => Final?.RequestsSent ?? Final?.CallsSent ?? 0;

    public bool DryRun { get; set; }

    public int ExitCode => StopReason switch
    {
        BulkStopReason.Cancelled => ExitCodes.Interrupted,
        BulkStopReason.AccountError or BulkStopReason.PauseBudgetExhausted or BulkStopReason.RunStoreFailed => ExitCodes.Stopped,
        _ when InputError is not null || Failed > 0 || Invalid > 0 || FailureWriteErrors.Count > 0 => ExitCodes.ItemsFailed,
        _ when NotAttempted > (DryRun ? Summary.Validated : 0) => ExitCodes.ItemsFailed,
        _ => ExitCodes.Success,
    };

    public void AddProblem(BulkItemResult result, string label, string text)
    {
        if (Problems.Count < BulkRunner.MaxReportedProblems)
        {
            Problems.Add(result);
        }

        if (_groups.TryGetValue((label, text), out var group))
        {
            group.Add(result);
        }
        else if (_groups.Count < MaxProblemGroups)
        {
            _groups[(label, text)] = new ProblemGroup(label, text, _groups.Count, result);
        }
        else
        {
            ProblemsNotShown++;
        }
    }

    /// <summary>Problems with the same label and text: one line with a count.</summary>
    internal sealed class ProblemGroup(string label, string text, int order, BulkItemResult first)
    {
        private readonly List<BulkItemResult> _examples = [first];

        public string Label { get; } = label;

        public string Text { get; } = text;

        public int Order { get; } = order;

        public long Count { get; private set; } = 1;

        public IReadOnlyList<BulkItemResult> Examples => _examples;

        public void Add(BulkItemResult result)
        {
            Count++;
            if (_examples.Count < 3)
            {
                _examples.Add(result);
            }
        }
    }
}
