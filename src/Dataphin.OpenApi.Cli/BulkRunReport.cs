using Dataphin.OpenApi.Bulk;
namespace Dataphin.OpenApi.Cli;

/// <summary>What a bulk command did: the totals, the items that did not succeed, and anything that broke the run off.</summary>
internal sealed class BulkRunReport
{
    public BulkSummary Summary { get; } = new();

    public List<BulkItemResult> Problems { get; } = new();

    public string? FailuresFile { get; set; }

    public int FailuresWritten { get; set; }

    /// <summary>Items left to do that the failures file cannot hold because they could not be read (no command); they are fixed in the source manifest.</summary>
    public int FailuresUnreadable { get; set; }

    public List<string> FailureWriteErrors { get; } = new();

    public LineageManifestException? InputError { get; set; }

    public int ExitCode => InputError is null && Summary.AllSucceeded && FailureWriteErrors.Count == 0 ? ExitCodes.Success : ExitCodes.ItemsFailed;
}
