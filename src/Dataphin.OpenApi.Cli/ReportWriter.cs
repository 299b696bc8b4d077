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
    public static void WriteHuman(TextWriter output, string operation, BulkOptions options, BulkRunReport report)
    {
        foreach (var problem in report.Problems)
        {
            output.WriteLine(DescribeProblem(problem));
        }

        if (report.Summary.Total > report.Problems.Count + report.Summary.Succeeded + report.Summary.Validated)
        {
            output.WriteLine($"(only the first {BulkRunner.MaxReportedProblems} problem items are listed)");
        }

        foreach (var error in report.FailureWriteErrors)
        {
            output.WriteLine("Could not write to the failures file: " + error);
        }

        if (report.InputError is { } input)
        {
            output.WriteLine($"The input broke off: {input.Message}");
        }

        var s = report.Summary;
        var text = new StringBuilder();
        text.Append(options.DryRun ? "Dry run of " : string.Empty).Append(operation).Append(": ")
            .Append(Count(s.Total, "item")).Append(": ");
        if (options.DryRun)
        {
            text.Append(s.Validated.ToString(CultureInfo.InvariantCulture)).Append(" valid, ");
        }
        else
        {
            text.Append(s.Succeeded.ToString(CultureInfo.InvariantCulture)).Append(" succeeded, ")
                .Append(s.Failed.ToString(CultureInfo.InvariantCulture)).Append(" failed, ");
        }

        text.Append(s.SkippedInvalid.ToString(CultureInfo.InvariantCulture)).Append(" invalid, ")
            .Append(s.Cancelled.ToString(CultureInfo.InvariantCulture)).Append(" cancelled");
        if (!options.DryRun)
        {
            text.Append("; ").Append(Count(s.CallsSent, "call")).Append(" (")
                .Append(s.CallsFailed.ToString(CultureInfo.InvariantCulture)).Append(" failed)");
        }

        text.Append('.');
        if (s.WasCancelled)
        {
            text.Append(" The run was cancelled; items not yet read were not attempted.");
        }

        if (options.DryRun)
        {
            text.Append(" Nothing was sent.");
        }

        output.WriteLine(text.ToString());
        if (report.FailuresFile is not null)
        {
            output.WriteLine($"{report.FailuresWritten} item(s) left to do were written to {report.FailuresFile}; fix them if needed and run it again with --file.");
            if (report.FailuresUnreadable > 0)
            {
                output.WriteLine($"{report.FailuresUnreadable} item(s) could not be read and are not in it: fix them in the manifest at the lines listed above.");
            }
        }
        else if (report.ExitCode != ExitCodes.Success && !options.DryRun)
        {
            output.WriteLine("Pass --failures-out <path> to write the items left to do as a manifest for a re-run.");
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

    public static void WriteJson(TextWriter output, string operation, BulkOptions options, BulkRunReport report, OpenLineageImportResult? imported = null)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            var s = report.Summary;
            json.WriteStartObject();
            json.WriteString("operation", operation);
            json.WriteBoolean("dryRun", options.DryRun);
            json.WriteNumber("exitCode", report.ExitCode);
            json.WriteNumber("total", s.Total);
            json.WriteNumber("succeeded", s.Succeeded);
            json.WriteNumber("failed", s.Failed);
            json.WriteNumber("skippedInvalid", s.SkippedInvalid);
            json.WriteNumber("cancelled", s.Cancelled);
            json.WriteNumber("validated", s.Validated);
            json.WriteNumber("callsSent", s.CallsSent);
            json.WriteNumber("callsFailed", s.CallsFailed);
            json.WriteBoolean("wasCancelled", s.WasCancelled);
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

    private static void WriteProblem(Utf8JsonWriter json, BulkItemResult problem)
    {
        json.WriteStartObject();
        json.WriteString("id", problem.Id);
        if (problem.LineNumber is { } line)
        {
            json.WriteNumber("line", line);
        }

        json.WriteString("status", problem.Status.ToString());
        if (problem.Error is { } error)
        {
            json.WriteStartObject("error");
            json.WriteString("type", error.GetType().Name);
            json.WriteString("message", error.Message);
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

    private static string DescribeProblem(BulkItemResult problem)
    {
        var where = problem.LineNumber is { } line && !problem.Id.StartsWith("line", StringComparison.Ordinal) ? $"{problem.Id} (line {line})" : problem.Id;
        var label = problem.Status switch
        {
            BulkItemStatus.Failed => "FAILED",
            BulkItemStatus.SkippedInvalid => "INVALID",
            BulkItemStatus.Cancelled => "CANCELLED",
            _ => problem.Status.ToString().ToUpperInvariant(),
        };
        var text = new StringBuilder().Append(label).Append(' ').Append(where).Append(": ");
        if (problem.Error is { } error)
        {
            text.Append(error.Message);
            var failedParts = problem.Parts.Count(p => p.Status == BulkPartStatus.Failed);
            if (problem.Parts.Count > 1)
            {
                text.Append(CultureInfo.InvariantCulture, $" ({failedParts} of {Count(problem.Parts.Count, "call")} failed)");
            }
        }
        else if (problem.ValidationErrors.Count > 0)
        {
            text.Append(string.Join("; ", problem.ValidationErrors.Select(v => v.ToString())));
        }
        else
        {
            text.Append("not finished before the run was cancelled");
        }

        return text.ToString();
    }

    private static string Count(long count, string noun)
        => count.ToString(CultureInfo.InvariantCulture) + " " + (count == 1 ? noun : noun + "s");
}
