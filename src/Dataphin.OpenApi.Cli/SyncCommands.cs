using System.CommandLine;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Dataphin.OpenApi.Bulk;
using Dataphin.OpenApi.Serialization;

namespace Dataphin.OpenApi.Cli;

/// <summary>
/// <c>dataphin lineage plan</c> and <c>dataphin lineage apply</c>: keep Dataphin's registered lineage equal to a
/// manifest, with a state file recording what was applied (as Terraform's state does). Plan exit codes: 0 nothing to
/// change, 2 changes, 1 errors (as <c>terraform plan -detailed-exitcode</c>).
/// </summary>
internal static class SyncCommands
{
    public const string PlanName = "lineage plan";
    public const string ApplyName = "lineage apply";
    private static readonly JsonWriterOptions JsonOptions = new() { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static Command BuildPlan(TextWriter stdout, TextWriter stderr, CliEnvironment environment)
    {
        var command = new Command("plan", "Show what 'lineage apply' would change to make Dataphin's registered lineage equal to the manifest: pairs to add, field lineages to add or remove, pairs to delete, drift, and lineage it leaves alone (never registered by this state). "
            + "Exit codes: 0 nothing to change, 2 changes, 1 error.");
        var options = new SyncOptions(apply: false);
        options.AddTo(command);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var json = parse.GetValue(options.Json);
            try
            {
                var (plan, _, _, _) = await PlanAsync(parse, options, environment, cancellationToken).ConfigureAwait(false);
                var code = plan.HasChanges ? 2 : ExitCodes.Success;
                if (json)
                {
                    WritePlanJson(stdout, PlanName, plan, code);
                }
                else
                {
                    WritePlanHuman(stdout, plan);
                }

                return code;
            }
            catch (Exception error) when (error is CliUsageException or LineagePlanException or DataphinException or HttpRequestException)
            {
                return Fail(stdout, stderr, PlanName, Message(error), ExitCodes.ItemsFailed, json);
            }
        });
        return command;
    }

    public static Command BuildApply(TextWriter stdout, TextWriter stderr, CliEnvironment environment)
    {
        var command = new Command("apply", "Carry out the plan (see 'lineage plan') through the bulk runner with its journal, then record what was applied in the state file. "
            + "Deletes cannot be undone: it asks for confirmation unless --auto-approve is given. Lineage the state never registered is never deleted. "
            + "Exit codes: 0 applied (or nothing to change); 1 a change failed or was not confirmed; 2 usage error; 3 the run stopped early; 130 interrupted.");
        var options = new SyncOptions(apply: true);
        options.AddTo(command);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var json = parse.GetValue(options.Json);
            LineagePlan plan;
            LineagePlanner planner;
            CliConnection connected;
            string statePath;
            try
            {
                (plan, planner, connected, statePath) = await PlanAsync(parse, options, environment, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception error) when (error is LineagePlanException or DataphinException or HttpRequestException)
            {
                return Fail(stdout, stderr, ApplyName, Message(error), ExitCodes.ItemsFailed, json);
            }

            using (connected)
            {
                if (!json)
                {
                    WritePlanHuman(stdout, plan);
                }

                if (!plan.HasChanges)
                {
                    if (json)
                    {
                        WriteApplyJson(stdout, plan, null, statePath, ExitCodes.Success);
                    }

                    return ExitCodes.Success;
                }

                if (!parse.GetValue(options.AutoApprove!))
                {
                    if (environment.Input is null || json)
                    {
                        throw new CliUsageException("'lineage apply' changes registered lineage and its deletes cannot be undone: confirm by typing yes at the prompt, or pass --auto-approve (scripts, CI).");
                    }

                    await stderr.WriteAsync($"Apply {plan.Changes.Count} change(s)? Deletes cannot be undone. Type yes to go on: ").ConfigureAwait(false);
                    await stderr.FlushAsync(CancellationToken.None).ConfigureAwait(false);
                    var answer = await environment.Input.ReadLineAsync(cancellationToken).ConfigureAwait(false);
                    if (!string.Equals(answer?.Trim(), "yes", StringComparison.Ordinal))
                    {
                        await stderr.WriteLineAsync("Not applied: only 'yes' confirms. Nothing was changed.").ConfigureAwait(false);
                        return ExitCodes.ItemsFailed;
                    }
                }

                var bulk = options.Connection.BulkOptions(parse, dryRun: false);
                var identity = planner.RunIdentity(plan, connected.AccessKeyId is { } id ? BulkRunIdentity.HashAccessKeyId(id) : null);
                var journalPath = parse.GetValue(options.Journal!)?.FullName ?? Path.Combine(StateFolder.Runs(environment), $"lineage-apply-{identity.Fingerprint}.jsonl");
                using var store = OpenJournal(journalPath, identity);
                await stderr.WriteLineAsync(store.Resumed
                    ? $"Journal: {store.Path} (going on from an earlier apply: {store.SucceededEarlier} of {identity.ItemCount} calls were done and are not sent again)"
                    : $"Journal: {store.Path} (if the apply is interrupted, run the same command again to go on)").ConfigureAwait(false);
                bulk.RunStore = store;
                bulk.RequestTracker = connected.Tracker;
                var result = await planner.ApplyAsync(plan, bulk, null, cancellationToken).ConfigureAwait(false);
                try
                {
                    result.State.Save(statePath);
                }
                catch (Exception error) when (error is IOException or UnauthorizedAccessException)
                {
                    return Fail(stdout, stderr, ApplyName, $"The lineage was applied but the state '{statePath}' cannot be written: {error.Message} Run the same command again once it can be.", ExitCodes.Stopped, json);
                }

                var code = result.NotApplied.Count == 0 ? ExitCodes.Success
                    : result.Summary.WasCancelled ? ExitCodes.Interrupted
                    : result.Summary.StopReason != BulkStopReason.None ? ExitCodes.Stopped
                    : ExitCodes.ItemsFailed;
                if (json)
                {
                    WriteApplyJson(stdout, plan, result, statePath, code);
                }
                else
                {
                    await stdout.WriteLineAsync($"Applied {result.Applied.Count} of {plan.Changes.Count} change(s) ({result.Summary.CallsSent} call(s) sent); the state is saved in {statePath}.").ConfigureAwait(false);
                    foreach (var change in result.NotApplied)
                    {
                        await stdout.WriteLineAsync($"  not applied: {Describe(change)}").ConfigureAwait(false);
                    }

                    if (result.NotApplied.Count > 0)
                    {
                        await stdout.WriteLineAsync("Run the same command again to retry what was not applied.").ConfigureAwait(false);
                    }
                }

                return code;
            }
        });
        return command;
    }

    private static Task<(LineagePlan Plan, LineagePlanner Planner, CliConnection Connected, string StatePath)> PlanAsync(ParseResult parse, SyncOptions options, CliEnvironment environment, CancellationToken cancellationToken)
        => PlanAsync(parse, parse.GetValue(options.File)!, parse.GetValue(options.Format), parse.GetValue(options.State)!.FullName, options.Connection, environment, cancellationToken);

    /// <summary>Reads the manifest and the state, connects and plans (also for 'lineage export --plan-state').</summary>
    internal static async Task<(LineagePlan Plan, LineagePlanner Planner, CliConnection Connected, string StatePath)> PlanAsync(ParseResult parse, FileInfo file, string? manifestFormat, string statePath, ConnectionOptions connection, CliEnvironment environment, CancellationToken cancellationToken)
    {
        if (!file.Exists)
        {
            throw new CliUsageException($"The manifest '{file.FullName}' does not exist.");
        }

        var format = manifestFormat switch
        {
            "json" => LineageManifestFormat.Json,
            "jsonl" => LineageManifestFormat.JsonLines,
            "csv" => LineageManifestFormat.Csv,
            _ => FormatFromPath(file.Name),
        };
        LineageState state;
        try
        {
            state = LineageState.Load(statePath);
        }
        catch (LineageStateException error)
        {
            throw new CliUsageException(error.Message + " Pass the state file 'lineage apply' wrote (or a new path to start managing lineage from scratch).", error);
        }

        var items = new List<LineageItem>();
        try
        {
            await foreach (var item in LineageManifestReader.ReadFileAsync(file.FullName, LineageManifestOperation.Add, format, cancellationToken).ConfigureAwait(false))
            {
                items.Add(item);
            }
        }
        catch (LineageManifestException error)
        {
            throw new CliUsageException($"{file.Name}: {error.Message}", error);
        }

        var tenant = connection.ResolveTenant(parse, environment, dryRun: false);
        var connected = connection.Connect(parse, environment, dryRun: false);
        try
        {
            var planner = new LineagePlanner(connected.Client, tenant);
            var plan = await planner.PlanAsync(items, state, cancellationToken).ConfigureAwait(false);
            return (plan, planner, connected, statePath);
        }
        catch
        {
            connected.Dispose();
            throw;
        }
    }

    private static FileBulkRunStore OpenJournal(string path, BulkRunIdentity identity)
    {
        try
        {
            return FileBulkRunStore.Open(path, identity);
        }
        catch (BulkRunJournalException error)
        {
            throw new CliUsageException(error.Message + " Pass another --journal file.", error);
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            throw new CliUsageException($"The journal '{path}' cannot be written: {error.Message} Pass --journal <file> to keep it elsewhere.", error);
        }
    }

    internal static string Message(Exception error) => error switch
    {
        LineagePlanException or CliUsageException => error.Message,
        _ => "Reading what Dataphin holds failed: " + CliText.Failure(error),
    };

    private static int Fail(TextWriter stdout, TextWriter stderr, string operation, string message, int code, bool json)
    {
        stderr.WriteLine(message);
        if (json)
        {
            ReportWriter.WriteJsonError(stdout, operation, message, code);
        }

        return code;
    }

    internal static void WritePlanHuman(TextWriter stdout, LineagePlan plan)
    {
        foreach (var warning in plan.Warnings)
        {
            stdout.WriteLine("warning: " + warning);
        }

        if (!plan.HasChanges)
        {
            stdout.WriteLine("No changes: Dataphin's registered lineage matches the manifest.");
        }
        else
        {
            stdout.WriteLine($"Plan: {plan.Count(LineageChangeAction.Add)} to add, {plan.Count(LineageChangeAction.Update)} to update, {plan.Count(LineageChangeAction.Delete)} to delete, {plan.Count(LineageChangeAction.Drift)} drifted.");
            foreach (var change in plan.Changes)
            {
                stdout.WriteLine("  " + Describe(change));
                if (change.Action == LineageChangeAction.Update)
                {
                    foreach (var field in change.FieldLineagesAdded)
                    {
                        stdout.WriteLine($"      + {field.Source} -> {field.Target}");
                    }

                    foreach (var field in change.FieldLineagesRemoved)
                    {
                        stdout.WriteLine($"      - {field.Source} -> {field.Target}");
                    }
                }
            }
        }

        if (plan.Unmanaged.Count > 0)
        {
            stdout.WriteLine($"Left alone ({plan.Unmanaged.Count}): lineage in Dataphin this state never registered (parsed by Dataphin or registered by someone else); it is never changed or deleted.");
            foreach (var pair in plan.Unmanaged)
            {
                stdout.WriteLine($"  = {pair.SourceGuid} -> {pair.TargetGuid}");
            }
        }
    }

    private static string Describe(LineageChange change) => change.Action switch
    {
        LineageChangeAction.Add => $"+ add    {change.Source} -> {change.Target} ({change.FieldLineagesAdded.Count} field lineage(s))",
        LineageChangeAction.Update => $"~ update {change.Source} -> {change.Target} (+{change.FieldLineagesAdded.Count} -{change.FieldLineagesRemoved.Count} field lineage(s){(change.RelationPropertiesChanged ? ", relation properties" : string.Empty)})",
        LineageChangeAction.Delete => $"- delete {change.Source} -> {change.Target}",
        _ => change.Desired is null
            ? $"! drift  {change.Source} -> {change.Target} (registered by this state, no longer in Dataphin; the manifest no longer has it: forgotten)"
            : $"! drift  {change.Source} -> {change.Target} (registered by this state, no longer in Dataphin: registered again)",
    };

    internal static void WritePlanJson(TextWriter stdout, string operation, LineagePlan plan, int exitCode)
        => stdout.WriteLine(Json(json =>
        {
            json.WriteString("operation", operation);
            json.WriteNumber("exitCode", exitCode);
            WritePlanBody(json, plan);
        }));

    private static void WriteApplyJson(TextWriter stdout, LineagePlan plan, LineageApplyResult? result, string statePath, int exitCode)
        => stdout.WriteLine(Json(json =>
        {
            json.WriteString("operation", ApplyName);
            json.WriteNumber("exitCode", exitCode);
            json.WriteString("state", statePath);
            json.WriteNumber("applied", result?.Applied.Count ?? 0);
            json.WriteNumber("notApplied", result?.NotApplied.Count ?? 0);
            json.WriteNumber("callsSent", result?.Summary.CallsSent ?? 0);
            WritePlanBody(json, plan);
        }));

    private static void WritePlanBody(Utf8JsonWriter json, LineagePlan plan)
    {
        json.WriteStartArray("changes");
        foreach (var change in plan.Changes)
        {
            json.WriteStartObject();
            json.WriteString("action", change.Action.ToString().ToLowerInvariant());
            WriteReference(json, "source", change.Source);
            WriteReference(json, "target", change.Target);
            if (change.Action == LineageChangeAction.Drift)
            {
                json.WriteString("resolution", change.Desired is null ? "forget" : "register again");
            }

            WriteFields(json, "fieldLineagesAdded", change.FieldLineagesAdded);
            WriteFields(json, "fieldLineagesRemoved", change.FieldLineagesRemoved);
            if (change.RelationPropertiesChanged)
            {
                json.WriteBoolean("relationPropertiesChanged", true);
            }

            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteStartArray("unmanaged");
        foreach (var pair in plan.Unmanaged)
        {
            json.WriteStartObject();
            json.WriteString("sourceGuid", pair.SourceGuid);
            json.WriteString("targetGuid", pair.TargetGuid);
            if (pair.SourceName is not null)
            {
                json.WriteString("sourceName", pair.SourceName);
            }

            if (pair.TargetName is not null)
            {
                json.WriteString("targetName", pair.TargetName);
            }

            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteStartObject("summary");
        foreach (var action in new[] { LineageChangeAction.Add, LineageChangeAction.Update, LineageChangeAction.Delete, LineageChangeAction.Drift })
        {
            json.WriteNumber(action.ToString().ToLowerInvariant(), plan.Count(action));
        }

        json.WriteNumber("unmanaged", plan.Unmanaged.Count);
        json.WriteEndObject();
        json.WriteStartArray("warnings");
        foreach (var warning in plan.Warnings)
        {
            json.WriteStringValue(warning);
        }

        json.WriteEndArray();
    }

    private static void WriteFields(Utf8JsonWriter json, string name, IReadOnlyList<FieldLineage> fields)
    {
        json.WriteStartArray(name);
        foreach (var field in fields)
        {
            json.WriteStartObject();
            WriteReference(json, "source", field.Source!);
            WriteReference(json, "target", field.Target!);
            json.WriteBoolean("isDirect", field.IsDirect ?? true);
            json.WriteEndObject();
        }

        json.WriteEndArray();
    }

    /// <summary>A reference exactly as the lineage command sends it.</summary>
    private static void WriteReference(Utf8JsonWriter json, string name, AssetReference reference)
    {
        using var document = JsonDocument.Parse(DataphinJson.Serialize(new AddRegisterLineageCommand(reference, reference)));
        json.WritePropertyName(name);
        document.RootElement.GetProperty("Source").WriteTo(json);
    }

    private static string Json(Action<Utf8JsonWriter> body)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, JsonOptions))
        {
            json.WriteStartObject();
            body(json);
            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    internal static LineageManifestFormat FormatFromPath(string path)
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

    private sealed class SyncOptions
    {
        public SyncOptions(bool apply)
        {
            if (apply)
            {
                AutoApprove = new Option<bool>("--auto-approve") { Description = "Apply without asking for confirmation (scripts, CI)." };
                Journal = new Option<FileInfo?>("--journal") { Description = "The journal of the apply's calls, so that an interrupted apply run again goes on where it stopped. Default: a file named after the plan, endpoint and tenant in ~/.local/state/dataphin/runs.", HelpName = "file" };
            }
        }

        public Option<FileInfo> File { get; } = new("--file", "-f") { Description = "The manifest of the lineage the pipeline wants (JSON, JSON Lines or CSV, as for 'lineage add').", Required = true, HelpName = "path" };

        public Option<string?> Format { get; } = CreateFormat();

        public Option<FileInfo> State { get; } = new("--state") { Description = "The state file: what 'lineage apply' registered before (created by the first apply). Only lineage it records is ever updated or deleted.", Required = true, HelpName = "file" };

        public Option<bool> Json { get; } = new("--json") { Description = "Print one JSON document: changes (each with its action: add, update, delete or drift), unmanaged pairs and a summary; its exitCode is the process's exit code." };

        public Option<bool>? AutoApprove { get; }

        public Option<FileInfo?>? Journal { get; }

        public ConnectionOptions Connection { get; } = new();

        public void AddTo(Command command)
        {
            command.Options.Add(File);
            command.Options.Add(Format);
            command.Options.Add(State);
            command.Options.Add(Json);
            if (AutoApprove is not null)
            {
                command.Options.Add(AutoApprove);
                command.Options.Add(Journal!);
            }

            Connection.AddTo(command, bulk: AutoApprove is not null);
        }

        private static Option<string?> CreateFormat()
        {
            var format = new Option<string?>("--format") { Description = "The manifest format; by default taken from the file extension (.json, .jsonl or .ndjson, .csv).", HelpName = "json|jsonl|csv" };
            format.AcceptOnlyFromAmong("json", "jsonl", "csv");
            return format;
        }
    }
}
