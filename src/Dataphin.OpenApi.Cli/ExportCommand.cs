using System.CommandLine;
using System.ComponentModel;
using System.Diagnostics;
using System.Text;
using Dataphin.OpenApi.Bulk;

namespace Dataphin.OpenApi.Cli;

/// <summary>
/// <c>dataphin lineage export</c>: a manifest (or the plan of a manifest against a state file), or with <c>--table</c>
/// the lineage Dataphin holds around a table (<see cref="LineageTraversal"/>), as a Mermaid flowchart, Graphviz DOT,
/// JSON or CSV, and with <c>--render</c> as an SVG or PNG picture drawn by Graphviz <c>dot</c>.
/// Exit codes: 0 written; 1 the manifest has unreadable items, planning or reading failed, or Graphviz is missing or failed; 2 usage error.
/// </summary>
internal static class ExportCommand
{
    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false);

    public static Command Build(TextWriter stdout, TextWriter stderr, CliEnvironment environment)
    {
        var command = new Command("export", "Write the lineage of a manifest as a picture or a table, to look at instead of read: a Mermaid flowchart, Graphviz DOT, JSON or CSV. "
            + "With --plan-state it exports the plan against that state instead (additions green, updates blue, deletions red, drift orange, unchanged grey), for a pull-request review. "
            + "With --table instead of --file it exports the lineage Dataphin holds around that table, --depth hops up and down (each table read once, at the read operations' pace). "
            + "With --render svg|png it draws the picture with Graphviz 'dot' (which must be on the PATH). "
            + "Exit codes: 0 written; 1 unreadable manifest items, a failed plan, or Graphviz missing or failing; 2 usage error.");
        var file = new Option<FileInfo?>("--file", "-f") { Description = "The manifest (JSON, JSON Lines or CSV, as for 'lineage add'). Give --file or --table.", HelpName = "path" };
        var table = new Option<string?>("--table") { Description = "Export the lineage Dataphin holds around this table (its GUID) instead of a manifest. Give --file or --table.", HelpName = "guid" };
        var depth = new Option<int?>("--depth") { Description = "With --table: how many hops to walk from the table (default 1; 0 shows the table alone).", HelpName = "n" };
        var direction = new Option<string?>("--direction") { Description = "With --table: which way to walk (default both).", HelpName = "upstream|downstream|both" };
        direction.AcceptOnlyFromAmong("upstream", "downstream", "both");
        var fields = new Option<bool>("--fields") { Description = "With --table: read the field lineages of the pairs too (one more call per table)." };
        var maxTables = new Option<int?>("--max-tables") { Description = $"With --table: the most tables to show (default {LineageTraversalOptions.DefaultMaxTables}); a larger graph is cut there, with a warning.", HelpName = "n" };
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
        command.Options.Add(table);
        command.Options.Add(depth);
        command.Options.Add(direction);
        command.Options.Add(fields);
        command.Options.Add(maxTables);
        command.Options.Add(manifestFormat);
        command.Options.Add(planState);
        command.Options.Add(format);
        command.Options.Add(output);
        command.Options.Add(render);
        connection.AddTo(command, bulk: false);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var manifest = parse.GetValue(file);
            var tableGuid = parse.GetValue(table);
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

            if (manifest is not null && tableGuid is not null)
            {
                throw new CliUsageException("Give either --file (export a manifest) or --table (export the lineage Dataphin holds around a table), not both.");
            }

            if (manifest is null && tableGuid is null)
            {
                throw new CliUsageException("Nothing to export: give --file <manifest> to export a manifest, or --table <guid> to export the lineage Dataphin holds around a table.");
            }

            if (tableGuid is not null)
            {
                var traversal = TraversalOptions(parse, tableGuid, depth, direction, fields, maxTables, planState, manifestFormat);
                LineageTraversalResult result;
                try
                {
                    var tenant = connection.ResolveTenant(parse, environment, dryRun: false);
                    using var connected = connection.Connect(parse, environment, dryRun: false);
                    result = await connected.Client.TraverseLineageAsync(tenant, tableGuid, traversal, cancellationToken).ConfigureAwait(false);
                }
                catch (Exception error) when (error is DataphinException or HttpRequestException)
                {
                    await stderr.WriteLineAsync("Reading the lineage of table " + tableGuid + " from Dataphin failed: " + CliText.Failure(error)).ConfigureAwait(false);
                    return ExitCodes.ItemsFailed;
                }

                if (result.Truncated)
                {
                    await stderr.WriteLineAsync($"warning: the lineage around {tableGuid} has more than {traversal.MaxTables} table(s) within {traversal.Depth} hop(s); the picture stops at {traversal.MaxTables} and leaves the other tables and their pairs out. Raise --max-tables or lower --depth to see all of it.").ConfigureAwait(false);
                }

                return await WriteAsync(result.Graph, graphFormat, picture, outputFile, stdout, stderr, environment, cancellationToken).ConfigureAwait(false);
            }

            if (Given(parse, depth) || Given(parse, direction) || Given(parse, fields) || Given(parse, maxTables))
            {
                throw new CliUsageException("--depth, --direction, --fields and --max-tables walk the lineage Dataphin holds from a table: they go with --table, not with --file.");
            }

            if (!manifest!.Exists)
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

            return await WriteAsync(graph, graphFormat, picture, outputFile, stdout, stderr, environment, cancellationToken).ConfigureAwait(false);
        });
        return command;
    }

    /// <summary>The traversal's settings from the options; the file-only options and bad numbers are usage errors.</summary>
    private static LineageTraversalOptions TraversalOptions(ParseResult parse, string tableGuid, Option<int?> depth, Option<string?> direction, Option<bool> fields, Option<int?> maxTables, Option<FileInfo?> planState, Option<string?> manifestFormat)
    {
        if (Given(parse, planState) || Given(parse, manifestFormat))
        {
            throw new CliUsageException("--plan-state and --manifest-format go with --file (a manifest); --table exports what Dataphin holds, with no manifest or state.");
        }

        if (string.IsNullOrWhiteSpace(tableGuid))
        {
            throw new CliUsageException("--table needs the GUID of a table, e.g. --table odps.300000001.project1.table1.");
        }

        var hops = parse.GetValue(depth) ?? 1;
        if (hops < 0)
        {
            throw new CliUsageException($"--depth is the number of hops to walk from the table: 0 or more, not {hops}.");
        }

        var most = parse.GetValue(maxTables) ?? LineageTraversalOptions.DefaultMaxTables;
        if (most < 1)
        {
            throw new CliUsageException($"--max-tables is the most tables to show, the table itself included: 1 or more, not {most}.");
        }

        return new LineageTraversalOptions
        {
            Depth = hops,
            Direction = parse.GetValue(direction) switch
            {
                "upstream" => LineageDirection.Upstream,
                "downstream" => LineageDirection.Downstream,
                _ => LineageDirection.Both,
            },
            IncludeFields = parse.GetValue(fields),
            MaxTables = most,
        };
    }

    /// <summary>Whether the option was on the command line (a flag's implicit default is not).</summary>
    private static bool Given(ParseResult parse, Option option) => parse.GetResult(option) is { Implicit: false };

    private static async Task<int> WriteAsync(LineageGraph graph, LineageGraphFormat graphFormat, string? picture, FileInfo? outputFile, TextWriter stdout, TextWriter stderr, CliEnvironment environment, CancellationToken cancellationToken)
    {
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
