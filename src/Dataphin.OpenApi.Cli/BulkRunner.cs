using Dataphin.OpenApi.Bulk;
using Spectre.Console;

namespace Dataphin.OpenApi.Cli;

/// <summary>Runs a bulk operation for the CLI: journal, progress bar, failures file, and a report of everything that did not succeed.</summary>
internal static class BulkRunner
{
    /// <summary>At most this many problem items are kept for --json (all are counted, folded and written to the failures file).</summary>
    public const int MaxReportedProblems = 1000;

    public static async Task<BulkRunReport> RunAsync(
        DataphinBulkLineage bulk,
        IAsyncEnumerable<LineageItem> items,
        BulkOptions options,
        BulkRunReport report,
        string? failuresPath,
        bool showProgress,
        TextWriter progressOut,
        string verb,
        CancellationToken cancellationToken)
    {
        report.DryRun = options.DryRun;
        LineageManifestWriter? failures = null;
        if (failuresPath is not null)
        {
            LineageManifestFormat format;
            try
            {
                format = LineageManifestReader.FormatFromPath(failuresPath);
            }
            catch (ArgumentException error)
            {
                throw new CliUsageException("--failures-out: " + CliText.WithoutParameterName(error), error);
            }

            try
            {
                failures = LineageManifestWriter.Create(new FileStream(failuresPath, FileMode.Create, FileAccess.Write, FileShare.Read, 16 * 1024, useAsync: true), format);
            }
            catch (Exception error) when (error is IOException or UnauthorizedAccessException)
            {
                throw new CliUsageException($"--failures-out: cannot create '{failuresPath}': {error.Message}", error);
            }

            report.FailuresFile = failuresPath;
        }

        async ValueTask OnResult(BulkItemResult result)
        {
            if (result.Status is BulkItemStatus.Succeeded or BulkItemStatus.Validated or BulkItemStatus.AlreadyDone)
            {
                return;
            }

            var (label, text) = Describe(result);
            report.AddProblem(result, label, text);
            if (failures is not null)
            {
                try
                {
                    if (await failures.WriteRemainingAsync(result, CancellationToken.None).ConfigureAwait(false))
                    {
                        report.FailuresWritten++;
                    }
                    else
                    {
                        report.FailuresUnreadable++;
                    }

                    // Each item left to do is in the file as soon as it is known, so that a crash loses none.
                    await failures.FlushAsync(CancellationToken.None).ConfigureAwait(false);
                }
                catch (ArgumentException error)
                {
                    report.FailureWriteErrors.Add(CliText.WithoutParameterName(error));
                }
            }
        }

        try
        {
            if (showProgress)
            {
                var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(progressOut) });
                await console.Progress()
                    .AutoClear(true)
                    .Columns(new TaskDescriptionColumn(), new SpinnerColumn(), new ElapsedTimeColumn())
                    .StartAsync(async context =>
                    {
                        var task = context.AddTask(verb).IsIndeterminate();
                        var progress = new Progress<BulkProgress>(p => task.Description = Describe(verb, p, report.Total));
                        await RunCoreAsync(bulk, items, options, progress, OnResult, report, cancellationToken).ConfigureAwait(false);
                        task.StopTask();
                    }).ConfigureAwait(false);
            }
            else
            {
                await RunCoreAsync(bulk, items, options, null, OnResult, report, cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            if (failures is not null)
            {
                await failures.DisposeAsync().ConfigureAwait(false);
            }
        }

        return report;
    }

    /// <summary>The label and the text of a problem line; the text leaves out what differs between items (the request id), so that identical failures fold.</summary>
    public static (string Label, string Text) Describe(BulkItemResult problem) => problem.Status switch
    {
        BulkItemStatus.Failed => ("FAILED", Failure(problem)),
        BulkItemStatus.SkippedInvalid => ("INVALID", string.Join("; ", problem.ValidationErrors.Select(v => v.ToString()))),
        _ => ("NOT FINISHED", problem.Error is null or OperationCanceledException
            ? "the run stopped before it was done; running the same command again sends it"
            : "the run stopped before it was done (" + CliText.Failure(problem.Error) + "); running the same command again sends it"),
    };

    private static string Failure(BulkItemResult problem)
    {
        // The service's message for a rejected credential differs per request (it shows the string it signed), so
        // those fold by their code; the advice comes once, with the summary.
        var text = problem.Error is DataphinAuthenticationException auth
            ? $"{auth.Operation} failed: HTTP {auth.Status} {auth.ErrorCode}"
            : CliText.Failure(problem.Error!);
        var failedParts = problem.Parts.Count(p => p.Status == BulkPartStatus.Failed);
        return problem.Parts.Count > 1 ? $"{text} ({failedParts} of {problem.Parts.Count} calls failed)" : text;
    }

    private static string Describe(string verb, BulkProgress p, long total)
        => $"{verb}: {p.Completed} of {total} done, {p.Failed} failed, {p.SkippedInvalid} invalid, {p.InFlight} in flight{(p.IsPaused ? " (paused: the service is unavailable or throttling)" : string.Empty)}";

    private static async Task RunCoreAsync(
        DataphinBulkLineage bulk,
        IAsyncEnumerable<LineageItem> items,
        BulkOptions options,
        IProgress<BulkProgress>? progress,
        Func<BulkItemResult, ValueTask> onResult,
        BulkRunReport report,
        CancellationToken cancellationToken)
    {
        var final = new FinalProgress(progress);
        try
        {
            await foreach (var result in bulk.RunAsync(items, options, final, cancellationToken).ConfigureAwait(false))
            {
                report.Summary.Add(result);
                foreach (var name in result.Item.IgnoredProperties)
                {
                    report.IgnoredProperties[name] = report.IgnoredProperties.TryGetValue(name, out var count) ? count + 1 : 1;
                }

                await onResult(result).ConfigureAwait(false);
            }
        }
        catch (LineageManifestException error)
        {
            report.InputError = error;
        }

        report.Final = final.Last;
        report.Summary.WasCancelled = cancellationToken.IsCancellationRequested;
        if (report.InputError is not null || report.Total < report.Summary.Total)
        {
            report.Total = report.Summary.Total;
        }
    }

    /// <summary>Passes snapshots on (to the progress bar) and keeps the final one.</summary>
    private sealed class FinalProgress(IProgress<BulkProgress>? inner) : IProgress<BulkProgress>
    {
        public BulkProgress? Last { get; private set; }

        public void Report(BulkProgress value)
        {
            if (value.IsFinal)
            {
                Last = value;
            }

            inner?.Report(value);
        }
    }
}
