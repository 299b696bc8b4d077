using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Dataphin.OpenApi.Bulk;
using Dataphin.OpenApi.OpenLineage;

namespace Dataphin.OpenApi.Cli;

/// <summary>Writes the outcome of a bulk command, for people or (with --json) as one JSON document.</summary>
internal static class ReportWriter
{
    private static readonly JsonWriterOptions JsonOptions = new() { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>The summary for people: one line per distinct problem (identical ones folded with a count), the totals, why the run stopped, and how to go on.</summary>
    public static void WriteHuman(TextWriter output, string operation, BulkOptions options, BulkRunReport report, long tenant, int exitCode)
    {
        foreach (var group in report.ProblemGroups.OrderBy(g => g.Order))
        {
            output.WriteLine(DescribeGroup(group));
        }

        if (report.ProblemsNotShown > 0)
        {
            output.WriteLine($"(and {Count(report.ProblemsNotShown, "more item")} with other problems, not listed)");
        }

        foreach (var error in report.FailureWriteErrors.Distinct())
        {
            output.WriteLine("Could not write to the failures file: " + error);
        }

        if (report.InputError is { } input)
        {
            output.WriteLine($"The input broke off: {input.Message}");
        }

        if (report.IgnoredProperties.Count > 0)
        {
            var ignored = string.Join(" and ", report.IgnoredProperties.Select(p => $"{p.Key} (on {Count(p.Value, "item")})"));
            output.WriteLine($"Note: this is an add manifest; a delete has no use for {ignored}, so they were ignored.");
        }

        output.WriteLine(SummaryLine(operation, options, report));
        if (CliText.StopExplanation(report.StopReason, report.Final?.StopError, options, tenant, report.CredentialSource) is { } explanation)
        {
            output.WriteLine(explanation);
        }

        if (report.JournalPath is not null)
        {
            var left = report.Failed + report.NotAttempted;
            output.WriteLine(left > 0
                ? $"Journal: {report.JournalPath}. Running the same command again sends the {Count(left, "item")} not done and skips the {(report.Succeeded + report.AlreadyDone).ToString(CultureInfo.InvariantCulture)} done."
                : $"Journal: {report.JournalPath}. Every item is done; running the same command again sends nothing (add --fresh to send everything again).");
        }

        if (report.FailuresFile is not null)
        {
            output.WriteLine($"{report.FailuresWritten} item(s) left to do were written to {report.FailuresFile}; fix them if needed and run it again with --file.");
            if (report.FailuresUnreadable > 0)
            {
                output.WriteLine($"{report.FailuresUnreadable} item(s) could not be read and are not in it: fix them in the manifest at the lines listed above.");
            }

            if (report.NotAttempted > 0 && !options.DryRun)
            {
                output.WriteLine("Items the run did not reach are not in it: run the same command again to send them.");
            }
        }
        else if (exitCode == ExitCodes.ItemsFailed && report.Failed + report.Invalid > 0 && !options.DryRun)
        {
            output.WriteLine("Pass --failures-out <path> to write the items left to do as a manifest to fix and re-run.");
        }
    }

    public static void WriteUnmapped(TextWriter output, OpenLineageImportResult imported)
    {
        output.WriteLine($"OpenLineage: {imported.EventsRead} events read ({imported.EventsIgnored} ignored, {imported.UnreadableEvents.Count} unreadable), {imported.Items.Count} table pairs with {imported.FieldLineageCount} field lineages.");
        foreach (var error in imported.UnreadableEvents)
        {
            output.WriteLine($"UNREADABLE event on line {error.LineNumber}: {error.Message}");
        }

        foreach (var dataset in imported.UnmappedDatasets)
        {
            output.WriteLine($"UNMAPPED {dataset.Namespace} {dataset.Name}: {dataset.Reason} ({dataset.Occurrences} reference(s), first on line {dataset.FirstLineNumber}); its lineage was not imported.");
        }
    }

    /// <summary>
    /// The --json summary: <c>total = succeeded + failed + invalid + notAttempted + skippedAlreadyDone</c>, and
    /// <c>exitCode</c> is the process's exit code.
    /// </summary>
    public static void WriteJson(TextWriter output, string operation, BulkOptions options, BulkRunReport report, long tenant, int exitCode, OpenLineageImportResult? imported = null)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, JsonOptions))
        {
            var final = report.Final;
            json.WriteStartObject();
            json.WriteString("operation", operation);
            json.WriteBoolean("dryRun", options.DryRun);
            json.WriteNumber("exitCode", exitCode);
            json.WriteNumber("total", report.Total);
            json.WriteNumber("succeeded", report.Succeeded);
            json.WriteNumber("failed", report.Failed);
            json.WriteNumber("invalid", report.Invalid);
            json.WriteNumber("notAttempted", report.NotAttempted);
            json.WriteNumber("skippedAlreadyDone", report.AlreadyDone);
            json.WriteNumber("validated", report.Summary.Validated);
            json.WriteNumber("callsSent", report.CallsSent);
            json.WriteNumber("callsShortCircuited", final?.CallsShortCircuited ?? 0);
            json.WriteNumber("throttledAnswers", final?.ThrottledAnswers ?? 0);
            json.WriteNumber("pausedSeconds", Math.Round((final?.PausedFor ?? TimeSpan.Zero).TotalSeconds, 3));
            json.WriteString("stopReason", StopReasonName(report.StopReason));
            if (CliText.StopExplanation(report.StopReason, report.Final?.StopError, options, tenant, report.CredentialSource) is { } explanation)
            {
                json.WriteString("message", explanation);
            }

            if (report.JournalPath is not null)
            {
                json.WriteString("journal", report.JournalPath);
                json.WriteBoolean("resumed", report.Resumed);
            }
            else
            {
                json.WriteNull("journal");
            }

            if (report.IgnoredProperties.Count > 0)
            {
                json.WriteStartObject("ignoredProperties");
                foreach (var (name, items) in report.IgnoredProperties)
                {
                    json.WriteNumber(name, items);
                }

                json.WriteEndObject();
            }

            if (report.InputError is { } input)
            {
                json.WriteStartObject("inputError");
                json.WriteString("message", input.Message);
                if (input.LineNumber is { } line)
                {
                    json.WriteNumber("line", line);
                }

                json.WriteEndObject();
            }

            if (report.FailuresFile is not null)
            {
                json.WriteString("failuresFile", report.FailuresFile);
                json.WriteNumber("failuresWritten", report.FailuresWritten);
                json.WriteNumber("failuresUnreadable", report.FailuresUnreadable);
            }

            json.WriteStartArray("failureWriteErrors");
            foreach (var error in report.FailureWriteErrors)
            {
                json.WriteStringValue(error);
            }

            json.WriteEndArray();
            json.WriteStartArray("problems");
            foreach (var problem in report.Problems)
            {
                WriteProblem(json, problem);
            }

            json.WriteEndArray();
            if (imported is not null)
            {
                WriteImport(json, imported);
            }

            json.WriteEndObject();
        }

        output.WriteLine(Encoding.UTF8.GetString(buffer.ToArray()));
    }

    /// <summary>The --json output of a command that could not start (exit code 2): the message, and the exit code.</summary>
    public static void WriteJsonError(TextWriter output, string? operation, string message, int exitCode)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, JsonOptions))
        {
            json.WriteStartObject();
            if (operation is not null)
            {
                json.WriteString("operation", operation);
            }

            json.WriteNumber("exitCode", exitCode);
            json.WriteString("error", message);
            json.WriteEndObject();
        }

        output.WriteLine(Encoding.UTF8.GetString(buffer.ToArray()));
    }

    public static string StopReasonName(BulkStopReason reason) => reason switch
    {
        BulkStopReason.None => "completed",
        BulkStopReason.Cancelled => "interrupted",
        BulkStopReason.AccountError => "accountError",
        BulkStopReason.PauseBudgetExhausted => "pauseBudgetExhausted",
        _ => "journalError",
    };

    private static string SummaryLine(string operation, BulkOptions options, BulkRunReport report)
    {
        var text = new StringBuilder();
        text.Append(options.DryRun ? "Dry run of " : string.Empty).Append(operation).Append(": ")
            .Append(Count(report.Total, "item")).Append(": ");
        if (options.DryRun)
        {
            text.Append(report.Summary.Validated.ToString(CultureInfo.InvariantCulture)).Append(" valid, ")
                .Append(report.Invalid.ToString(CultureInfo.InvariantCulture)).Append(" invalid");
            if (report.NotAttempted > report.Summary.Validated)
            {
                text.Append(", ").Append((report.NotAttempted - report.Summary.Validated).ToString(CultureInfo.InvariantCulture)).Append(" not read");
            }

            return text.Append(". Nothing was sent.").ToString();
        }

        text.Append(report.Succeeded.ToString(CultureInfo.InvariantCulture)).Append(" succeeded, ")
            .Append(report.Failed.ToString(CultureInfo.InvariantCulture)).Append(" failed, ")
            .Append(report.Invalid.ToString(CultureInfo.InvariantCulture)).Append(" invalid, ")
            .Append(report.NotAttempted.ToString(CultureInfo.InvariantCulture)).Append(" not attempted");
        if (report.AlreadyDone > 0)
        {
            text.Append(", ").Append(report.AlreadyDone.ToString(CultureInfo.InvariantCulture)).Append(" already done earlier");
        }

        text.Append("; ").Append(Count(report.CallsSent, "request")).Append(" sent");
        if (report.Final is { } final)
        {
            if (final.CallsShortCircuited > 0)
            {
                text.Append(", ").Append(Count(final.CallsShortCircuited, "call")).Append(" held back by the client");
            }

            if (final.ThrottledAnswers is > 0)
            {
                text.Append(", ").Append(Count(final.ThrottledAnswers.Value, "throttling answer"));
            }

            if (final.PausedFor > TimeSpan.Zero)
            {
                text.Append(", paused ").Append(Durations.Format(final.PausedFor));
            }
        }

        return text.Append('.').ToString();
    }

    private static string DescribeGroup(BulkRunReport.ProblemGroup group)
    {
        var first = group.Examples[0];
        var text = new StringBuilder().Append(group.Label).Append(' ');
        if (group.Count == 1)
        {
            text.Append(Where(first)).Append(": ").Append(group.Text);
            if (first.Error is DataphinRequestException { RequestId: { } requestId })
            {
                text.Append(" (RequestId ").Append(requestId).Append(')');
            }

            return text.ToString();
        }

        text.Append(Count(group.Count, "item")).Append(" (").Append(string.Join(", ", group.Examples.Select(Where)));
        if (group.Count > group.Examples.Count)
        {
            text.Append(" and ").Append((group.Count - group.Examples.Count).ToString(CultureInfo.InvariantCulture)).Append(" more");
        }

        return text.Append("): ").Append(group.Text).ToString();
    }

    private static string Where(BulkItemResult problem)
        => problem.LineNumber is { } line && !problem.Id.StartsWith("line", StringComparison.Ordinal) ? $"{problem.Id} (line {line})" : problem.Id;

    private static void WriteProblem(Utf8JsonWriter json, BulkItemResult problem)
    {
        json.WriteStartObject();
        json.WriteString("id", problem.Id);
        json.WriteNumber("item", problem.Index + 1);
        if (problem.LineNumber is { } line)
        {
            json.WriteNumber("line", line);
        }

        json.WriteString("status", problem.Status switch
        {
            BulkItemStatus.Failed => "failed",
            BulkItemStatus.SkippedInvalid => "invalid",
            _ => "notAttempted",
        });
        if (problem.Error is { } error)
        {
            json.WriteStartObject("error");
            json.WriteString("kind", CliText.Kind(error));
            json.WriteString("message", CliText.Failure(error));
            if (error is DataphinRequestException request)
            {
                json.WriteNumber("httpStatus", request.Status);
                json.WriteString("code", request.ErrorCode);
                json.WriteString("requestId", request.RequestId);
            }

            json.WriteEndObject();
        }

        if (problem.Parts.Count > 1)
        {
            json.WriteStartArray("parts");
            foreach (var part in problem.Parts)
            {
                json.WriteStartObject();
                json.WriteNumber("index", part.Index);
                json.WriteNumber("fieldLineages", part.FieldLineageCount);
                json.WriteString("status", part.Status.ToString());
                json.WriteEndObject();
            }

            json.WriteEndArray();
        }

        if (problem.ValidationErrors.Count > 0)
        {
            json.WriteStartArray("validationErrors");
            foreach (var v in problem.ValidationErrors)
            {
                json.WriteStartObject();
                json.WriteString("path", v.Path);
                json.WriteString("rule", v.Rule);
                json.WriteString("message", v.Message);
                json.WriteEndObject();
            }

            json.WriteEndArray();
        }

        json.WriteEndObject();
    }

    private static void WriteImport(Utf8JsonWriter json, OpenLineageImportResult imported)
    {
        json.WriteStartObject("openLineage");
        json.WriteNumber("eventsRead", imported.EventsRead);
        json.WriteNumber("eventsIgnored", imported.EventsIgnored);
        json.WriteNumber("tablePairs", imported.Items.Count);
        json.WriteNumber("fieldLineages", imported.FieldLineageCount);
        json.WriteNumber("selfLineagesSkipped", imported.SelfLineagesSkipped);
        json.WriteStartArray("unreadableEvents");
        foreach (var e in imported.UnreadableEvents)
        {
            json.WriteStartObject();
            json.WriteNumber("line", e.LineNumber);
            json.WriteString("message", e.Message);
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteStartArray("unmappedDatasets");
        foreach (var d in imported.UnmappedDatasets)
        {
            json.WriteStartObject();
            json.WriteString("namespace", d.Namespace);
            json.WriteString("name", d.Name);
            json.WriteString("reason", d.Reason);
            json.WriteNumber("occurrences", d.Occurrences);
            json.WriteNumber("firstLine", d.FirstLineNumber);
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteEndObject();
    }

    private static string Count(long count, string noun)
        => count.ToString(CultureInfo.InvariantCulture) + " " + (count == 1 ? noun : noun + "s");
}
