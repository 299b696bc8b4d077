using Dataphin.OpenApi.Bulk;
using Spectre.Console;

namespace Dataphin.OpenApi.Cli;

/// <summary>Runs a bulk operation for the CLI: progress bar, failures file, and a report of everything that did not succeed.</summary>
internal static class BulkRunner
{
    /// <summary>At most this many problem items are kept for the report (all are counted and written to the failures file).</summary>
    public const int MaxReportedProblems = 1000;

    public static async Task<BulkRunReport> RunAsync(
        DataphinBulkLineage bulk,
        IAsyncEnumerable<LineageItem> items,
        BulkOptions options,
        string? failuresPath,
        bool showProgress,
        TextWriter progressOut,
        string verb,
        CancellationToken cancellationToken)
    {
        var report = new BulkRunReport();
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
                throw new CliUsageException("--failures-out: " + error.Message, error);
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
            if (result.Status is BulkItemStatus.Succeeded or BulkItemStatus.Validated)
            {
                return;
            }

            if (report.Problems.Count < MaxReportedProblems)
            {
                report.Problems.Add(result);
            }

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
                }
                catch (ArgumentException error)
                {
                    report.FailureWriteErrors.Add(error.Message);
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
                        var progress = new Progress<BulkProgress>(p => task.Description = $"{verb}: {p.Completed} done, {p.Failed} failed, {p.SkippedInvalid} invalid, {p.InFlight} in flight");
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

    private static async Task RunCoreAsync(
        DataphinBulkLineage bulk,
        IAsyncEnumerable<LineageItem> items,
        BulkOptions options,
        IProgress<BulkProgress>? progress,
        Func<BulkItemResult, ValueTask> onResult,
        BulkRunReport report,
        CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var result in bulk.RunAsync(items, options, progress, cancellationToken).ConfigureAwait(false))
            {
                report.Summary.Add(result);
                await onResult(result).ConfigureAwait(false);
            }
        }
        catch (LineageManifestException error)
        {
            report.InputError = error;
        }

        report.Summary.WasCancelled = cancellationToken.IsCancellationRequested;
    }
}
