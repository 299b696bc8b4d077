using System.CommandLine;
using Dataphin.OpenApi.Bulk;
using Dataphin.OpenApi.OpenLineage;

namespace Dataphin.OpenApi.Cli;

/// <summary>
/// The dataphin tool. <see cref="RunAsync"/> is the whole program with its surroundings passed in, so tests run it
/// directly: exit code 0 when every item succeeded, 1 when any failed, was invalid or was cancelled, 2 for usage
/// and configuration errors.
/// </summary>
internal static class CliApp
{
    public static async Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr, CliEnvironment? environment = null, CancellationToken cancellationToken = default)
    {
        environment = (environment ?? new CliEnvironment()).WithWarnings(stderr);
        var root = BuildRootCommand(stdout, stderr, environment);
        var parse = root.Parse(args);
        if (parse.Errors.Count > 0)
        {
            foreach (var error in parse.Errors)
            {
                await stderr.WriteLineAsync(error.Message).ConfigureAwait(false);
            }

            await stderr.WriteLineAsync("Run 'dataphin --help' (or the command with --help) for usage.").ConfigureAwait(false);
            return ExitCodes.UsageError;
        }

        try
        {
            return await parse.InvokeAsync(new InvocationConfiguration { Output = stdout, Error = stderr, EnableDefaultExceptionHandler = false }, cancellationToken).ConfigureAwait(false);
        }
        catch (CliUsageException error)
        {
            await stderr.WriteLineAsync(error.Message).ConfigureAwait(false);
            return ExitCodes.UsageError;
        }
    }

    internal static RootCommand BuildRootCommand(TextWriter stdout, TextWriter stderr, CliEnvironment environment)
    {
        var root = new RootCommand("dataphin: register and delete Dataphin lineage in bulk from manifest files, import OpenLineage events, and run a local emulator. "
            + "Settings come from the command line, then DATAPHIN_* variables, then the Dataphin profile (dataphin config; --profile); "
            + "credentials from the profile, else ALIBABA_CLOUD_ACCESS_KEY_ID/_SECRET/_SECURITY_TOKEN, ~/.alibabacloud/credentials, ~/.aliyun/config.json (dataphin whoami shows which). "
            + "Exit codes: 0 all items succeeded, 1 some item failed or was invalid, 2 usage or configuration error.");
        var lineage = new Command("lineage", "Register or delete table and field lineage listed in a manifest (JSON, JSON Lines or CSV; see docs/manifest-format.md).");
        lineage.Subcommands.Add(BuildLineageCommand("add", "Register the lineage of every item of a manifest (AddRegisterLineage).", LineageManifestOperation.Add, stdout, stderr, environment));
        lineage.Subcommands.Add(BuildLineageCommand("delete", "Delete the lineage of every item of a manifest (DeleteRegisterLineage); only lineage registered through the OpenAPI can be deleted, and deletion cannot be undone.", LineageManifestOperation.Delete, stdout, stderr, environment));
        lineage.Subcommands.Add(ShowCommand.Build(stdout, environment));
        root.Subcommands.Add(lineage);

        var openLineage = new Command("openlineage", "Work with OpenLineage events (https://openlineage.io) from Spark, Airflow, dbt or Flink.");
        openLineage.Subcommands.Add(BuildImportCommand(stdout, stderr, environment));
        root.Subcommands.Add(openLineage);
        root.Subcommands.Add(EmulatorCommand.Build(stdout));
        root.Subcommands.Add(WhoamiCommand.Build(stdout, environment));
        root.Subcommands.Add(ConfigCommand.Build(stdout, stderr, environment));
        return root;
    }

    private static Command BuildLineageCommand(string name, string description, LineageManifestOperation operation, TextWriter stdout, TextWriter stderr, CliEnvironment environment)
    {
        var command = new Command(name, description);
        var file = new Option<FileInfo>("--file", "-f") { Description = "The manifest to read.", Required = true, HelpName = "path" };
        var format = new Option<string?>("--format") { Description = "The manifest format; by default taken from the file extension (.json, .jsonl or .ndjson, .csv).", HelpName = "json|jsonl|csv" };
        format.AcceptOnlyFromAmong("json", "jsonl", "csv");
        var common = new CommonOptions();
        var connection = new ConnectionOptions();
        command.Options.Add(file);
        command.Options.Add(format);
        common.AddTo(command);
        connection.AddTo(command);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var path = parse.GetValue(file)!;
            if (Directory.Exists(path.FullName))
            {
                throw new CliUsageException($"'{path.FullName}' is a directory; --file takes a manifest file (.json, .jsonl or .csv).");
            }

            if (!path.Exists)
            {
                throw new CliUsageException($"The manifest '{path.FullName}' does not exist.");
            }

            var manifestFormat = parse.GetValue(format) switch
            {
                "json" => LineageManifestFormat.Json,
                "jsonl" => LineageManifestFormat.JsonLines,
                "csv" => LineageManifestFormat.Csv,
                _ => FormatFromPath(path.Name),
            };
            var dryRun = parse.GetValue(common.DryRun);
            var tenant = connection.ResolveTenant(parse, environment, dryRun);
            var options = connection.BulkOptions(parse, dryRun);
            using var client = connection.CreateClient(parse, environment, dryRun);
            var items = LineageManifestReader.ReadFileAsync(path.FullName, operation, manifestFormat, cancellationToken);
            var json = parse.GetValue(common.Json);
            var report = await BulkRunner.RunAsync(
                new DataphinBulkLineage(client, tenant),
                items,
                options,
                parse.GetValue(common.FailuresOut)?.FullName,
                environment.Interactive && !json,
                stderr,
                operation == LineageManifestOperation.Add ? "Registering" : "Deleting",
                cancellationToken).ConfigureAwait(false);
            var operationName = "lineage " + name;
            if (json)
            {
                ReportWriter.WriteJson(stdout, operationName, options, report);
            }
            else
            {
                ReportWriter.WriteHuman(stdout, operationName, options, report);
            }

            return report.ExitCode;
        });
        return command;
    }

    private static Command BuildImportCommand(TextWriter stdout, TextWriter stderr, CliEnvironment environment)
    {
        var command = new Command("import", "Register the table and column lineage of OpenLineage events (JSON Lines, one event per line). Datasets no mapping rule covers are reported, not guessed.");
        var events = new Argument<FileInfo>("events") { Description = "The OpenLineage events, one JSON event per line.", HelpName = "events.jsonl" };
        var mapping = new Option<FileInfo>("--mapping", "-m") { Description = "The mapping rules from OpenLineage dataset namespace/name to Dataphin tables (JSON; see docs/manifest-format.md).", Required = true, HelpName = "rules.json" };
        var noTableLevel = new Option<bool>("--column-lineage-only") { Description = "Import only table pairs with column lineage, not every input-to-output pair of an event." };
        var checkAssets = new Option<bool>("--check-asset-exist") { Description = "Ask the service to check that both tables exist (CheckAssetExist)." };
        var common = new CommonOptions();
        var connection = new ConnectionOptions();
        command.Arguments.Add(events);
        command.Options.Add(mapping);
        command.Options.Add(noTableLevel);
        command.Options.Add(checkAssets);
        common.AddTo(command);
        connection.AddTo(command);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var eventsFile = parse.GetValue(events)!;
            var rulesFile = parse.GetValue(mapping)!;
            foreach (var needed in new[] { eventsFile, rulesFile })
            {
                if (!needed.Exists)
                {
                    throw new CliUsageException($"The file '{needed.FullName}' does not exist.");
                }
            }

            OpenLineageImporter importer;
            try
            {
                var rules = OpenLineageMappingRules.Parse(await File.ReadAllTextAsync(rulesFile.FullName, cancellationToken).ConfigureAwait(false));
                importer = new OpenLineageImporter(rules, new OpenLineageImportOptions
                {
                    IncludeTableLevelLineage = !parse.GetValue(noTableLevel),
                    CheckAssetExist = parse.GetValue(checkAssets) ? true : null,
                });
            }
            catch (ArgumentException error)
            {
                throw new CliUsageException($"{rulesFile.Name}: {error.Message}", error);
            }

            var dryRun = parse.GetValue(common.DryRun);
            var tenant = connection.ResolveTenant(parse, environment, dryRun);
            var options = connection.BulkOptions(parse, dryRun);
            using var client = connection.CreateClient(parse, environment, dryRun);
            OpenLineageImportResult imported;
            await using (var stream = eventsFile.OpenRead())
            {
                imported = await importer.ImportJsonLinesAsync(stream, cancellationToken).ConfigureAwait(false);
            }

            var json = parse.GetValue(common.Json);
            var report = await BulkRunner.RunAsync(
                new DataphinBulkLineage(client, tenant),
                ToAsync(imported.Items),
                options,
                parse.GetValue(common.FailuresOut)?.FullName,
                environment.Interactive && !json,
                stderr,
                "Registering",
                cancellationToken).ConfigureAwait(false);
            if (json)
            {
                ReportWriter.WriteJson(stdout, "openlineage import", options, report, imported);
            }
            else
            {
                ReportWriter.WriteUnmapped(stdout, imported);
                ReportWriter.WriteHuman(stdout, "openlineage import", options, report);
            }

            var incomplete = imported.UnmappedDatasets.Count > 0 || imported.UnreadableEvents.Count > 0;
            return incomplete ? ExitCodes.ItemsFailed : report.ExitCode;
        });
        return command;
    }

    private static LineageManifestFormat FormatFromPath(string path)
    {
        try
        {
            return LineageManifestReader.FormatFromPath(path);
        }
        catch (ArgumentException error)
        {
            throw new CliUsageException(error.Message + " (or pass --format json|jsonl|csv)", error);
        }
    }

    private static async IAsyncEnumerable<LineageItem> ToAsync(IReadOnlyList<LineageItem> items)
    {
        foreach (var item in items)
        {
            yield return item;
        }

        await Task.CompletedTask.ConfigureAwait(false);
    }

    private sealed class CommonOptions
    {
        public Option<bool> DryRun { get; } = new("--dry-run") { Description = "Read and validate every item (and split large ones) without sending anything; needs no credentials." };

        public Option<bool> Json { get; } = new("--json") { Description = "Print one machine-readable JSON summary instead of text (no progress bar)." };

        public Option<FileInfo?> FailuresOut { get; } = new("--failures-out") { Description = "Write the items that failed, were invalid or were cancelled to this manifest (format from its extension) to re-run them.", HelpName = "path" };

        public void AddTo(Command command)
        {
            command.Options.Add(DryRun);
            command.Options.Add(Json);
            command.Options.Add(FailuresOut);
        }
    }
}
