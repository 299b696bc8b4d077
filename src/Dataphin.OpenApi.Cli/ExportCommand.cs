using System.CommandLine;
using System.ComponentModel;
using System.Diagnostics;
using System.Text;
using Dataphin.OpenApi.Bulk;

namespace Dataphin.OpenApi.Cli;

/// <summary>
/// <c>dataphin lineage export</c>: a manifest (or the plan of a manifest against a state file) as a Mermaid flowchart,
/// Graphviz DOT, JSON or CSV, and with <c>--render</c> as an SVG or PNG picture drawn by Graphviz <c>dot</c>.
/// Exit codes: 0 written; 1 the manifest has unreadable items, planning failed, or Graphviz is missing or failed; 2 usage error.
/// </summary>
internal static class ExportCommand
{
    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false);

    public static Command Build(TextWriter stdout, TextWriter stderr, CliEnvironment environment)
    {
        var command = new Command("export", "Write the lineage of a manifest as a picture or a table, to look at instead of read: a Mermaid flowchart, Graphviz DOT, JSON or CSV. "
            + "With --plan-state it exports the plan against that state instead (additions green, updates blue, deletions red, drift orange, unchanged grey), for a pull-request review. "
            + "With --render svg|png it draws the picture with Graphviz 'dot' (which must be on the PATH). "
            + "Exit codes: 0 written; 1 unreadable manifest items, a failed plan, or Graphviz missing or failing; 2 usage error.");
        var file = new Option<FileInfo>("--file", "-f") { Description = "The manifest (JSON, JSON Lines or CSV, as for 'lineage add').", Required = true, HelpName = "path" };
        var manifestFormat = new Option<string?>("--manifest-format") { Description = "The manifest format; by default taken from the file extension (.json, .jsonl or .ndjson, .csv).", HelpName = "json|jsonl|csv" };
        manifestFormat.AcceptOnlyFromAmong("json", "jsonl", "csv");
        var planState = new Option<FileInfo?>("--plan-state") { Description = "Export the plan of the manifest against this state file (as 'lineage plan --state' makes it, reading what Dataphin holds) instead of the manifest.", HelpName = "file" };
        var format = new Option<string?>("--format") { Description = "What to write: mermaid (the default), dot, json or csv. --render needs dot (its default).", HelpName = "mermaid|dot|json|csv" };
        format.AcceptOnlyFromAmong("mermaid", "dot", "json", "csv");
        var output = new Option<FileInfo?>("--output", "-o") { Description = "The file to write; standard output by default (a PNG needs a file).", HelpName = "file" };
        var render = new Option<string?>("--render") { Description = "Draw the picture with Graphviz 'dot' (https://graphviz.org) instead of writing the DOT text.", HelpName = "svg|png" };
        render.AcceptOnlyFromAmong("svg", "png");
        var connection = new ConnectionOptions();
        command.Options.Add(file);
        command.Options.Add(manifestFormat);
        command.Options.Add(planState);
        command.Options.Add(format);
        command.Options.Add(output);
        command.Options.Add(render);
        connection.AddTo(command, bulk: false);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var manifest = parse.GetValue(file)!;
            var picture = parse.GetValue(render);
            var outputFile = parse.GetValue(output);
            var graphFormat = (parse.GetValue(format), picture) switch
            {
                ("mermaid", null) or (null, null) => LineageGraphFormat.Mermaid,
                ("json", null) => LineageGraphFormat.Json,
                ("csv", null) => LineageGraphFormat.Csv,
                ("dot", _) or (null, _) => LineageGraphFormat.Dot,
                (var other, _) => throw new CliUsageException($"--render draws the Graphviz picture, so the format is dot, not {other}: leave --format out, or drop --render to write {other} text."),
            };
            if (picture == "png" && outputFile is null)
            {
                throw new CliUsageException("A PNG picture is binary: pass --output <file.png> to write it to a file.");
            }

            if (!manifest.Exists)
            {
                throw new CliUsageException($"The manifest '{manifest.FullName}' does not exist.");
            }

            if (outputFile is not null && string.Equals(Path.GetFullPath(outputFile.FullName), Path.GetFullPath(manifest.FullName), OperatingSystem.IsLinux() ? StringComparison.Ordinal : StringComparison.OrdinalIgnoreCase))
            {
                throw new CliUsageException($"--output is the manifest itself ('{manifest.FullName}'): writing there would replace the manifest. Pass another file.");
            }

            LineageGraph graph;
            try
            {
                graph = await ReadGraphAsync(parse, manifest, parse.GetValue(manifestFormat), parse.GetValue(planState), connection, environment, stderr, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception error) when (error is LineageManifestException or LineagePlanException or DataphinException or HttpRequestException)
            {
                await stderr.WriteLineAsync(error is LineageManifestException ? $"{manifest.Name}: {error.Message}" : SyncCommands.Message(error)).ConfigureAwait(false);
                return ExitCodes.ItemsFailed;
            }

            var text = LineageGraphExporter.Export(graph, graphFormat);
            var what = $"{graph.Nodes.Count} table(s), {graph.Edges.Count} table pair(s)";
            if (picture is not null)
            {
                return await RenderAsync(text, picture, outputFile, what, stdout, stderr, environment, cancellationToken).ConfigureAwait(false);
            }

            if (outputFile is null)
            {
                await stdout.WriteAsync(text).ConfigureAwait(false);
                return ExitCodes.Success;
            }

            Write(outputFile, () => File.WriteAllText(outputFile.FullName, text, Utf8));
            await stdout.WriteLineAsync($"Wrote the {Name(graphFormat)} of {what} to {outputFile.FullName}.").ConfigureAwait(false);
            return ExitCodes.Success;
        });
        return command;
    }

    private static async Task<LineageGraph> ReadGraphAsync(ParseResult parse, FileInfo manifest, string? manifestFormat, FileInfo? planState, ConnectionOptions connection, CliEnvironment environment, TextWriter stderr, CancellationToken cancellationToken)
    {
        if (planState is null)
        {
            var format = manifestFormat switch
            {
                "json" => LineageManifestFormat.Json,
                "jsonl" => LineageManifestFormat.JsonLines,
                "csv" => LineageManifestFormat.Csv,
                _ => SyncCommands.FormatFromPath(manifest.Name),
            };
            return await LineageGraph.ReadManifestAsync(manifest.FullName, format, cancellationToken).ConfigureAwait(false);
        }

        var (plan, _, connected, _) = await SyncCommands.PlanAsync(parse, manifest, manifestFormat, planState.FullName, connection, environment, cancellationToken).ConfigureAwait(false);
        using (connected)
        {
            foreach (var warning in plan.Warnings)
            {
                await stderr.WriteLineAsync("warning: " + warning).ConfigureAwait(false);
            }

            return LineageGraph.FromPlan(plan);
        }
    }

    private static async Task<int> RenderAsync(string dot, string picture, FileInfo? outputFile, string what, TextWriter stdout, TextWriter stderr, CliEnvironment environment, CancellationToken cancellationToken)
    {
        var program = FindOnPath(environment.GetVariable("PATH"));
        if (program is null)
        {
            await stderr.WriteLineAsync($"Graphviz 'dot' is not on the PATH, so the {picture.ToUpperInvariant()} picture cannot be drawn. Install Graphviz (https://graphviz.org/download/; e.g. 'apt-get install graphviz' or 'brew install graphviz'), "
                + "or write the DOT text with --format dot and render it elsewhere.").ConfigureAwait(false);
            return ExitCodes.ItemsFailed;
        }

        var start = new ProcessStartInfo(program)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardInputEncoding = Utf8,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        start.ArgumentList.Add("-T" + picture);
        if (outputFile is not null)
        {
            start.ArgumentList.Add("-o" + outputFile.FullName);
        }

        Process process;
        try
        {
            process = Process.Start(start)!;
        }
        catch (Win32Exception error)
        {
            await stderr.WriteLineAsync($"Graphviz 'dot' ({program}) cannot be started: {error.Message}").ConfigureAwait(false);
            return ExitCodes.ItemsFailed;
        }

        using (process)
        {
            var output = process.StandardOutput.ReadToEndAsync(CancellationToken.None);
            var errors = process.StandardError.ReadToEndAsync(CancellationToken.None);
            try
            {
                await process.StandardInput.WriteAsync(dot).ConfigureAwait(false);
                process.StandardInput.Close();
                await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                throw;
            }
            catch (IOException)
            {
                // dot closed its input early (it failed): its exit code and message say why.
                await process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
            }

            var drawn = await output.ConfigureAwait(false);
            var message = (await errors.ConfigureAwait(false)).Trim();
            if (process.ExitCode != 0)
            {
                await stderr.WriteLineAsync($"Graphviz 'dot' could not draw the picture (exit code {process.ExitCode}){(message.Length > 0 ? ": " + message : ".")}").ConfigureAwait(false);
                return ExitCodes.ItemsFailed;
            }

            if (outputFile is null)
            {
                await stdout.WriteAsync(drawn).ConfigureAwait(false);
            }
            else
            {
                await stdout.WriteLineAsync($"Drew the {picture.ToUpperInvariant()} picture of {what} to {outputFile.FullName} (Graphviz dot).").ConfigureAwait(false);
            }

            return ExitCodes.Success;
        }
    }

    /// <summary>Graphviz's dot on <paramref name="path"/> (the PATH variable), or <see langword="null"/>.</summary>
    private static string? FindOnPath(string? path)
    {
        var names = OperatingSystem.IsWindows() ? new[] { "dot.exe", "dot" } : ["dot"];
        foreach (var folder in (path ?? string.Empty).Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            foreach (var name in names)
            {
                var candidate = Path.Combine(folder, name);
                if (File.Exists(candidate))
                {
                    return candidate;
                }
            }
        }

        return null;
    }

    private static void Write(FileInfo file, Action write)
    {
        try
        {
            write();
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            throw new CliUsageException($"The output '{file.FullName}' cannot be written: {error.Message}", error);
        }
    }

    private static string Name(LineageGraphFormat format) => format switch
    {
        LineageGraphFormat.Mermaid => "Mermaid flowchart",
        LineageGraphFormat.Dot => "Graphviz DOT",
        LineageGraphFormat.Json => "JSON",
        _ => "CSV",
    };
}
