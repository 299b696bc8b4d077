using System.CommandLine;
using System.Security.Cryptography;
using System.Text;
using Dataphin.OpenApi.Bulk;
using Dataphin.OpenApi.OpenLineage;

namespace Dataphin.OpenApi.Cli;

/// <summary>
/// The dataphin tool. <see cref="RunAsync"/> is the whole program with its surroundings passed in, so tests run it
/// directly. Exit codes: 0 every item done, 1 some item failed or was invalid (or the input was empty or broke off),
/// 2 usage or configuration error (nothing sent), 3 the run stopped early (an account-wide error, the service
/// unavailable for longer than --max-pause), 130 interrupted.
/// </summary>
internal static class CliApp
{
    public static async Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr, CliEnvironment? environment = null, CancellationToken cancellationToken = default)
    {
        environment = (environment ?? new CliEnvironment()).WithWarnings(stderr);
        var root = BuildRootCommand(stdout, stderr, environment);
        var parse = root.Parse(args);
        var json = args.Contains("--json", StringComparer.Ordinal);

        // 'lineage plan' gates CI: 2 means changes there, so its usage errors are 1 (as terraform plan -detailed-exitcode).
        var usageError = CommandName(parse) == SyncCommands.PlanName ? ExitCodes.ItemsFailed : ExitCodes.UsageError;
        if (parse.Errors.Count > 0)
        {
            foreach (var error in parse.Errors)
            {
                await stderr.WriteLineAsync(error.Message).ConfigureAwait(false);
            }

            await stderr.WriteLineAsync("Run 'dataphin --help' (or the command with --help) for usage.").ConfigureAwait(false);
            if (json)
            {
                ReportWriter.WriteJsonError(stdout, CommandName(parse), string.Join(" ", parse.Errors.Select(e => e.Message)), usageError);
            }

            return usageError;
        }

        try
        {
            return await parse.InvokeAsync(new InvocationConfiguration { Output = stdout, Error = stderr, EnableDefaultExceptionHandler = false }, cancellationToken).ConfigureAwait(false);
        }
        catch (CliUsageException error)
        {
            await stderr.WriteLineAsync(error.Message).ConfigureAwait(false);
            if (json)
            {
                ReportWriter.WriteJsonError(stdout, CommandName(parse), error.Message, usageError);
            }

            return usageError;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Ctrl+C before a run started (while the manifest was being read): nothing was sent.
            const string message = "Interrupted before anything was sent.";
            await stderr.WriteLineAsync(message).ConfigureAwait(false);
            if (json)
            {
                ReportWriter.WriteJsonError(stdout, CommandName(parse), message, ExitCodes.Interrupted);
            }

            return ExitCodes.Interrupted;
        }
    }

    internal static RootCommand BuildRootCommand(TextWriter stdout, TextWriter stderr, CliEnvironment environment)
    {
        var root = new RootCommand("dataphin: register and delete Dataphin lineage in bulk from manifest files, import OpenLineage events, and run a local emulator. "
            + "Settings come from the command line, then DATAPHIN_* variables, then the Dataphin profile (dataphin config; --profile); "
            + "credentials from the profile, else ALIBABA_CLOUD_ACCESS_KEY_ID/_SECRET/_SECURITY_TOKEN, ~/.alibabacloud/credentials, ~/.aliyun/config.json (dataphin whoami shows which). "
            + "Every run keeps a journal, so running the same command again after a crash or Ctrl+C goes on where it stopped. "
            + "Exit codes: 0 every item done; 1 some item failed or was invalid; 2 usage or configuration error, nothing sent; "
            + "3 the run stopped early (credential, permission or edition error, or the service unavailable for longer than --max-pause); 130 interrupted.");
        var lineage = new Command("lineage", "Register or delete table and field lineage listed in a manifest (JSON, JSON Lines or CSV; see docs/manifest-format.md).");
        lineage.Subcommands.Add(BuildLineageCommand("add", "Register the lineage of every item of a manifest (AddRegisterLineage).", LineageManifestOperation.Add, stdout, stderr, environment));
        lineage.Subcommands.Add(BuildLineageCommand("delete", "Delete the lineage of every item of a manifest (DeleteRegisterLineage), e.g. the manifest it was added from; only lineage registered through the OpenAPI can be deleted, and deletion cannot be undone.", LineageManifestOperation.Delete, stdout, stderr, environment));
        lineage.Subcommands.Add(ShowCommand.Build(stdout, environment));
        lineage.Subcommands.Add(SyncCommands.BuildPlan(stdout, stderr, environment));
        lineage.Subcommands.Add(SyncCommands.BuildApply(stdout, stderr, environment));
        lineage.Subcommands.Add(ExportCommand.Build(stdout, stderr, environment));
        root.Subcommands.Add(lineage);

        var openLineage = new Command("openlineage", "Work with OpenLineage events (https://openlineage.io) from Spark, Airflow, dbt or Flink.");
        openLineage.Subcommands.Add(BuildImportCommand(stdout, stderr, environment));
        root.Subcommands.Add(openLineage);
        root.Subcommands.Add(ServeCommand.Build(stdout, environment));
        root.Subcommands.Add(EmulatorCommand.Build(stdout));
        root.Subcommands.Add(WhoamiCommand.Build(stdout, environment));
        root.Subcommands.Add(ConfigCommand.Build(stdout, stderr, environment));
        return root;
    }

    private static string? CommandName(ParseResult parse)
    {
        var names = new List<string>();
        for (var result = parse.CommandResult; result is not null && result.Command is not RootCommand; result = result.Parent as System.CommandLine.Parsing.CommandResult)
        {
            names.Insert(0, result.Command.Name);
        }

        return names.Count == 0 ? null : string.Join(" ", names);
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
            var operationName = "lineage " + name;
            var dryRun = parse.GetValue(common.DryRun);
            var tenant = connection.ResolveTenant(parse, environment, dryRun);
            var options = connection.BulkOptions(parse, dryRun);
            using var connected = connection.Connect(parse, environment, dryRun);
            var scan = await ManifestScan.ReadAsync(path.FullName, manifestFormat, cancellationToken).ConfigureAwait(false);
            if (scan.Items == 0 && scan.StructureError is null && !parse.GetValue(common.AllowEmpty))
            {
                return await EmptyAsync(stdout, stderr, operationName, $"The manifest '{path.FullName}' has no items{(scan.Bytes == 0 ? " (the file is empty)" : string.Empty)}.", parse.GetValue(common.Json)).ConfigureAwait(false);
            }

            var identity = dryRun ? null : new BulkRunIdentity(operationName, scan.Sha256, scan.Items, connected.Client.Endpoint.ToString(), tenant, connected.AccessKeyId is { } id ? BulkRunIdentity.HashAccessKeyId(id) : null);
            var report = new BulkRunReport { Total = scan.Items };
            return await RunBulkAsync(
                parse,
                common,
                environment,
                stdout,
                stderr,
                operationName,
                tenant,
                options,
                connected,
                identity,
                report,
                scan.Bytes == 0 ? ToAsync(Array.Empty<LineageItem>()) : LineageManifestReader.ReadFileAsync(path.FullName, operation, manifestFormat, cancellationToken),
                operation == LineageManifestOperation.Add ? "Registering" : "Deleting",
                imported: null,
                cancellationToken).ConfigureAwait(false);
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
            var tableLevel = !parse.GetValue(noTableLevel);
            var check = parse.GetValue(checkAssets);
            try
            {
                var rules = OpenLineageMappingRules.Parse(await File.ReadAllTextAsync(rulesFile.FullName, cancellationToken).ConfigureAwait(false));
                importer = new OpenLineageImporter(rules, new OpenLineageImportOptions
                {
                    IncludeTableLevelLineage = tableLevel,
                    CheckAssetExist = check ? true : null,
                });
            }
            catch (ArgumentException error)
            {
                throw new CliUsageException($"{rulesFile.Name}: {CliText.WithoutParameterName(error)}", error);
            }

            const string operationName = "openlineage import";
            var dryRun = parse.GetValue(common.DryRun);
            var tenant = connection.ResolveTenant(parse, environment, dryRun);
            var options = connection.BulkOptions(parse, dryRun);
            using var connected = connection.Connect(parse, environment, dryRun);
            OpenLineageImportResult imported;
            await using (var stream = eventsFile.OpenRead())
            {
                imported = await importer.ImportJsonLinesAsync(stream, cancellationToken).ConfigureAwait(false);
            }

            var json = parse.GetValue(common.Json);
            if (imported.Items.Count == 0 && !parse.GetValue(common.AllowEmpty))
            {
                if (!json)
                {
                    ReportWriter.WriteUnmapped(stdout, imported);
                }

                return await EmptyAsync(stdout, stderr, operationName, $"The events in '{eventsFile.FullName}' give no table pairs to register.", json).ConfigureAwait(false);
            }

            BulkRunIdentity? identity = null;
            if (!dryRun)
            {
                // The input is the events, the rules and the options that shape the pairs.
                var input = new StringBuilder()
                    .Append(await HashFileAsync(eventsFile.FullName, cancellationToken).ConfigureAwait(false)).Append('\n')
                    .Append(await HashFileAsync(rulesFile.FullName, cancellationToken).ConfigureAwait(false)).Append('\n')
                    .Append(tableLevel ? "table-level" : "column-only").Append('\n')
                    .Append(check ? "check-asset-exist" : "no-check");
                var sha = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(input.ToString())));
                identity = new BulkRunIdentity(operationName, sha, imported.Items.Count, connected.Client.Endpoint.ToString(), tenant, connected.AccessKeyId is { } id ? BulkRunIdentity.HashAccessKeyId(id) : null);
            }

            var report = new BulkRunReport { Total = imported.Items.Count };
            return await RunBulkAsync(
                parse,
                common,
                environment,
                stdout,
                stderr,
                operationName,
                tenant,
                options,
                connected,
                identity,
                report,
                ToAsync(imported.Items),
                "Registering",
                imported,
                cancellationToken).ConfigureAwait(false);
        });
        return command;
    }

    /// <summary>The part every bulk command shares: open the journal, run, report, and return the exit code the report states.</summary>
    private static async Task<int> RunBulkAsync(
        ParseResult parse,
        CommonOptions common,
        CliEnvironment environment,
        TextWriter stdout,
        TextWriter stderr,
        string operationName,
        long tenant,
        BulkOptions options,
        CliConnection connected,
        BulkRunIdentity? identity,
        BulkRunReport report,
        IAsyncEnumerable<LineageItem> items,
        string verb,
        OpenLineageImportResult? imported,
        CancellationToken cancellationToken)
    {
        var json = parse.GetValue(common.Json);
        using var store = identity is null ? null : OpenJournal(parse, common, environment, identity);
        if (store is not null)
        {
            report.JournalPath = store.Path;
            report.Resumed = store.Resumed;
            report.SucceededEarlier = store.SucceededEarlier;
            await stderr.WriteLineAsync(store.Resumed
                ? $"Journal: {store.Path} (going on from an earlier run: {store.SucceededEarlier} of {identity!.ItemCount} items were done and are not sent again)"
                : $"Journal: {store.Path} (if the run is interrupted, run the same command again to go on)").ConfigureAwait(false);
            await stderr.FlushAsync(CancellationToken.None).ConfigureAwait(false);
        }

        report.CredentialSource = connected.CredentialSource;
        options.RunStore = store;
        options.RequestTracker = connected.Tracker;
        await BulkRunner.RunAsync(
            new DataphinBulkLineage(connected.Client, tenant),
            items,
            options,
            report,
            parse.GetValue(common.FailuresOut)?.FullName,
            environment.Interactive && !json,
            stderr,
            verb,
            cancellationToken).ConfigureAwait(false);

        var exitCode = report.ExitCode;
        if (imported is not null && exitCode == ExitCodes.Success && (imported.UnmappedDatasets.Count > 0 || imported.UnreadableEvents.Count > 0))
        {
            exitCode = ExitCodes.ItemsFailed;
        }

        if (json)
        {
            ReportWriter.WriteJson(stdout, operationName, options, report, tenant, exitCode, imported);
        }
        else
        {
            if (imported is not null)
            {
                ReportWriter.WriteUnmapped(stdout, imported);
            }

            ReportWriter.WriteHuman(stdout, operationName, options, report, tenant, exitCode);
        }

        return exitCode;
    }

    private static FileBulkRunStore OpenJournal(ParseResult parse, CommonOptions common, CliEnvironment environment, BulkRunIdentity identity)
    {
        var given = parse.GetValue(common.State);
        var path = given?.FullName ?? Path.Combine(StateFolder.Runs(environment), $"{identity.Operation.Replace(' ', '-')}-{identity.Fingerprint}.jsonl");
        try
        {
            return FileBulkRunStore.Open(path, identity, parse.GetValue(common.Fresh));
        }
        catch (BulkRunJournalException error)
        {
            var advice = error.Problem switch
            {
                BulkRunJournalProblem.DifferentRun => given is null
                    ? " Pass --fresh to start over."
                    : " Pass another --state file for this run, or --fresh to start this one over in it (what the journal holds is then lost).",
                BulkRunJournalProblem.InUse => " Wait for that run to end, or pass another --state file.",
                _ => " Pass --fresh to start over (what the journal holds is then lost), or another --state file.",
            };
            throw new CliUsageException(error.Message + advice, error);
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            throw new CliUsageException($"The journal '{path}' cannot be written: {error.Message} Pass --state <file> to keep it elsewhere.", error);
        }
    }

    private static async Task<int> EmptyAsync(TextWriter stdout, TextWriter stderr, string operationName, string what, bool json)
    {
        var message = what + " Pass --allow-empty if that is expected.";
        if (json)
        {
            ReportWriter.WriteJsonError(stdout, operationName, message, ExitCodes.ItemsFailed);
        }
        else
        {
            await stderr.WriteLineAsync(message).ConfigureAwait(false);
        }

        return ExitCodes.ItemsFailed;
    }

    private static async Task<string> HashFileAsync(string path, CancellationToken cancellationToken)
    {
        var stream = File.OpenRead(path);
        await using (stream.ConfigureAwait(false))
        {
            return await BulkRunIdentity.Sha256Async(stream, cancellationToken).ConfigureAwait(false);
        }
    }

    private static LineageManifestFormat FormatFromPath(string path)
    {
        try
        {
            return LineageManifestReader.FormatFromPath(path);
        }
        catch (ArgumentException error)
        {
            throw new CliUsageException(CliText.WithoutParameterName(error) + " (or pass --format json|jsonl|csv)", error);
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

        public Option<bool> Json { get; } = new("--json") { Description = "Print one machine-readable JSON summary instead of text (no progress bar); its exitCode is the process's exit code." };

        public Option<FileInfo?> FailuresOut { get; } = new("--failures-out") { Description = "Write the items that failed, were invalid or were cut off to this manifest (format from its extension), to fix and re-run.", HelpName = "path" };

        public Option<FileInfo?> State { get; } = new("--state") { Description = "The journal of the run: every item's outcome is recorded as it happens, and running the same command with the same --state skips the items recorded as done. Default: a file named after the manifest, operation, endpoint and tenant in ~/.local/state/dataphin/runs ($XDG_STATE_HOME; %LOCALAPPDATA% on Windows).", HelpName = "file" };

        public Option<bool> Fresh { get; } = new("--fresh") { Description = "Start over: ignore (and overwrite) an earlier journal of this run, and send every item." };

        public Option<bool> AllowEmpty { get; } = new("--allow-empty") { Description = "Accept input with no items (exit 0) instead of reporting it as an error." };

        public void AddTo(Command command)
        {
            command.Options.Add(DryRun);
            command.Options.Add(Json);
            command.Options.Add(FailuresOut);
            command.Options.Add(State);
            command.Options.Add(Fresh);
            command.Options.Add(AllowEmpty);
        }
    }
}
