using Dataphin.OpenApi.Serialization;
using System.Text.Json;
using Dataphin.OpenApi.Internal;
using Dataphin.OpenApi.Models;

namespace Dataphin.OpenApi.Bulk;

/// <summary>
/// Keeps Dataphin's registered lineage equal to a manifest, as Terraform keeps infrastructure equal to its
/// configuration: <see cref="PlanAsync(IEnumerable{LineageItem}, LineageState, CancellationToken)"/> compares the
/// manifest with the <see cref="LineageState"/> (what was applied before) and with what Dataphin returns now
/// (GetTableLineages), and <see cref="ApplyAsync"/> carries the plan out through <see cref="DataphinBulkLineage"/>
/// (with its journal, when <see cref="BulkOptions.RunStore"/> is set) and returns the state to save. Lineage the state
/// never registered is reported as unmanaged and never deleted.
/// </summary>
/// <example>
/// <code>
/// var planner = new LineagePlanner(client, tenantId);
/// var state = LineageState.Load("lineage.state.json");
/// var plan = await planner.PlanAsync(desiredCommands, state);
/// if (plan.HasChanges)
/// {
///     var applied = await planner.ApplyAsync(plan);
///     applied.State.Save("lineage.state.json");
/// }
/// </code>
/// </example>
public class LineagePlanner
{
    private readonly DataphinClient _client;
    private readonly long _tenant;

    /// <summary>Creates a planner for one tenant.</summary>
    /// <param name="client">The client reads and calls go through.</param>
    /// <param name="opTenantId">The tenant.</param>
    /// <exception cref="ArgumentNullException"><paramref name="client"/> is null.</exception>
    public LineagePlanner(DataphinClient client, long opTenantId)
    {
        _client = Guard.NotNull(client, nameof(client));
        _tenant = opTenantId;
    }

    /// <summary>Plans the commands of <paramref name="desired"/> (numbered <c>#1</c>, <c>#2</c>, … in problems).</summary>
    /// <param name="desired">The lineage the pipeline wants.</param>
    /// <param name="state">What was applied before (<see cref="LineageState.Empty"/> the first time).</param>
    /// <param name="cancellationToken">Cancels the reads.</param>
    /// <returns>The plan.</returns>
    /// <exception cref="LineagePlanException">A command is invalid, or a pair is listed twice; nothing was sent.</exception>
    public Task<LineagePlan> PlanAsync(IEnumerable<AddRegisterLineageCommand> desired, LineageState state, CancellationToken cancellationToken = default)
        => PlanAsync(LineageItem.FromCommands(Guard.NotNull(desired, nameof(desired))), state, cancellationToken);

    /// <summary>Plans the items of a manifest (read with <see cref="LineageManifestReader"/> for <see cref="LineageManifestOperation.Add"/>).</summary>
    /// <param name="desired">The lineage the pipeline wants.</param>
    /// <param name="state">What was applied before (<see cref="LineageState.Empty"/> the first time).</param>
    /// <param name="cancellationToken">Cancels the reads.</param>
    /// <returns>The plan.</returns>
    /// <exception cref="LineagePlanException">An item is unreadable or invalid, or a pair is listed twice; nothing was sent.</exception>
    public async Task<LineagePlan> PlanAsync(IEnumerable<LineageItem> desired, LineageState state, CancellationToken cancellationToken = default)
    {
        Guard.NotNull(desired, nameof(desired));
        Guard.NotNull(state, nameof(state));
        var problems = new List<string>();
        var wanted = new List<AddRegisterLineageCommand>();
        var byKey = new Dictionary<string, AddRegisterLineageCommand>(StringComparer.Ordinal);
        var firstId = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var item in desired)
        {
            var where = item.LineNumber is { } line && !item.Id.StartsWith("line ", StringComparison.Ordinal) ? $"item {item.Id} (line {line})" : $"item {item.Id}";
            if (item.Command is null)
            {
                problems.Add($"{where}: " + string.Join("; ", item.ReadErrors.Select(e => $"{e.Path}: {e.Message}")));
                continue;
            }

            if (item.Command is not AddRegisterLineageCommand add)
            {
                problems.Add($"{where}: a manifest of desired lineage lists lineage to register, not deletes.");
                continue;
            }

            // Checked as the bulk runner sends it: in parts of at most 100 field lineages.
            var errors = add.SplitByFieldLineageLimit().SelectMany(part => LineageCommandValidator.Validate(_tenant, part)).Select(e => $"{e.Path}: {e.Message}").Distinct(StringComparer.Ordinal).ToList();
            if (errors.Count > 0)
            {
                problems.Add($"{where}: " + string.Join("; ", errors));
                continue;
            }

            var key = LineageKeys.Pair(add);
            if (byKey.ContainsKey(key))
            {
                problems.Add($"{where}: the table pair {add.Source} -> {add.Target} is already listed by item {firstId[key]}; list each pair once, with all its field lineages.");
                continue;
            }

            byKey[key] = add;
            firstId[key] = item.Id;
            wanted.Add(add);
        }

        if (problems.Count > 0)
        {
            throw new LineagePlanException(problems);
        }

        var warnings = new List<string>();
        var guids = new Dictionary<string, string>(StringComparer.Ordinal);
        var unresolved = new HashSet<string>(StringComparer.Ordinal);

        async Task<string?> GuidOf(AssetReference reference, string? recorded)
        {
            var key = LineageKeys.Reference(reference);
            if (guids.TryGetValue(key, out var known))
            {
                return known;
            }

            if (unresolved.Contains(key))
            {
                return null;
            }

            var guid = LineageKeys.DirectGuid(reference) ?? recorded ?? await ResolveAsync(reference, warnings, cancellationToken).ConfigureAwait(false);
            if (guid is null)
            {
                unresolved.Add(key);
                return null;
            }

            guids[key] = guid;
            return guid;
        }

        // What Dataphin holds now, around every table of the manifest and the state.
        var seen = new Dictionary<string, LineageUnmanagedPair>(StringComparer.Ordinal);
        var read = new HashSet<string>(StringComparer.OrdinalIgnoreCase);

        async Task Read(string? guid)
        {
            if (guid is null || !read.Add(guid))
            {
                return;
            }

            var response = await _client.DataAsset.GetTableLineagesAsync(_tenant, new GetTableLineagesRequest
            {
                TableGuid = guid,
                FilterQuery = new GetTableLineagesRequest.FilterQueryObject { NeedUpstream = true, NeedDownstream = true },
            }, cancellationToken).ConfigureAwait(false);
            foreach (var row in response.TableLineageList ?? Array.Empty<GetTableLineagesResponse.TableLineageListItem>())
            {
                if (row.InputTableGuid is { } input && row.OutputTableGuid is { } output && row.InputTableDeleted != true && row.OutputTableDeleted != true)
                {
                    var pair = LineageKeys.GuidPair(input, output);
                    if (!seen.ContainsKey(pair))
                    {
                        seen[pair] = new LineageUnmanagedPair(input, output, row.InputTableName, row.OutputTableName);
                    }
                }
            }
        }

        var stateGuids = new Dictionary<string, (string? Source, string? Target)>(StringComparer.Ordinal);
        foreach (var entry in state.Entries)
        {
            var source = await GuidOf(entry.Lineage.Source!, entry.SourceGuid).ConfigureAwait(false);
            var target = await GuidOf(entry.Lineage.Target!, entry.TargetGuid).ConfigureAwait(false);
            stateGuids[entry.Key] = (source, target);
            await Read(source).ConfigureAwait(false);
            await Read(target).ConfigureAwait(false);
        }

        var wantedGuids = new HashSet<string>(StringComparer.Ordinal);
        foreach (var add in wanted)
        {
            var source = await GuidOf(add.Source!, null).ConfigureAwait(false);
            var target = await GuidOf(add.Target!, null).ConfigureAwait(false);
            await Read(source).ConfigureAwait(false);
            await Read(target).ConfigureAwait(false);
            if (source is not null && target is not null)
            {
                wantedGuids.Add(LineageKeys.GuidPair(source, target));
            }
        }

        var adds = new List<LineageChange>();
        var updates = new List<LineageChange>();
        var deletes = new List<LineageChange>();
        var drifts = new List<LineageChange>();
        var managed = new HashSet<string>(StringComparer.Ordinal);
        foreach (var entry in state.Entries)
        {
            var (source, target) = stateGuids[entry.Key];
            byKey.TryGetValue(entry.Key, out var want);
            var present = source is not null && target is not null && seen.ContainsKey(LineageKeys.GuidPair(source, target));
            if (source is not null && target is not null)
            {
                managed.Add(LineageKeys.GuidPair(source, target));
            }

            if (!present)
            {
                drifts.Add(new LineageChange(LineageChangeAction.Drift, entry.Lineage.Source!, entry.Lineage.Target!, want, entry, want?.DetailedLineages.ToList() ?? new List<FieldLineage>(), Array.Empty<FieldLineage>(), false));
            }
            else if (want is null)
            {
                deletes.Add(new LineageChange(LineageChangeAction.Delete, entry.Lineage.Source!, entry.Lineage.Target!, null, entry, Array.Empty<FieldLineage>(), entry.Lineage.DetailedLineages.ToList(), false));
            }
            else
            {
                var before = Fields(entry.Lineage);
                var after = Fields(want);
                var added = after.Where(f => !before.TryGetValue(f.Key, out var old) || (old.IsDirect ?? true) != (f.Value.IsDirect ?? true)).Select(f => f.Value).ToList();
                var removed = before.Where(f => !after.ContainsKey(f.Key)).Select(f => f.Value).ToList();
                var properties = Properties(entry.Lineage) != Properties(want);
                if (added.Count > 0 || removed.Count > 0 || properties)
                {
                    updates.Add(new LineageChange(LineageChangeAction.Update, want.Source!, want.Target!, want, entry, added, removed, properties));
                }
            }
        }

        var recordedKeys = new HashSet<string>(state.Entries.Select(e => e.Key), StringComparer.Ordinal);
        foreach (var add in wanted.Where(a => !recordedKeys.Contains(LineageKeys.Pair(a))))
        {
            adds.Add(new LineageChange(LineageChangeAction.Add, add.Source!, add.Target!, add, null, add.DetailedLineages.ToList(), Array.Empty<FieldLineage>(), false));
        }

        var unmanaged = seen.Where(p => !managed.Contains(p.Key) && !wantedGuids.Contains(p.Key)).Select(p => p.Value).ToList();
        return new LineagePlan(state, wanted, adds.Concat(updates).Concat(deletes).Concat(drifts).ToList(), unmanaged, warnings, guids);
    }

    /// <summary>
    /// Carries <paramref name="plan"/> out through <see cref="DataphinBulkLineage"/> and returns the state to save:
    /// only changes whose calls all succeeded are recorded, so a failed change shows again in the next plan.
    /// </summary>
    /// <param name="plan">The plan.</param>
    /// <param name="options">The bulk run's settings; set <see cref="BulkOptions.RunStore"/> (identified by <see cref="RunIdentity"/>) to make the apply resumable.</param>
    /// <param name="progress">Receives the bulk run's progress, or <see langword="null"/>.</param>
    /// <param name="cancellationToken">Stops the run cleanly.</param>
    /// <returns>The outcome and the new state.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="plan"/> is null.</exception>
    public async Task<LineageApplyResult> ApplyAsync(LineagePlan plan, BulkOptions? options = null, IProgress<BulkProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        Guard.NotNull(plan, nameof(plan));
        var failed = new bool[plan.Changes.Count];
        var finished = new int[plan.Changes.Count];
        var bulk = new DataphinBulkLineage(_client, _tenant);
        var summary = await bulk.RunToSummaryAsync(plan.Items, options, progress, result =>
        {
            var change = plan.ItemChanges[(int)result.Index];
            if (result.Status is BulkItemStatus.Succeeded or BulkItemStatus.AlreadyDone)
            {
                finished[change]++;
            }
            else
            {
                failed[change] = true;
            }

            return default;
        }, cancellationToken).ConfigureAwait(false);

        var needed = new int[plan.Changes.Count];
        foreach (var owner in plan.ItemChanges)
        {
            needed[owner]++;
        }

        var entries = plan.State.Entries.ToList();
        var applied = new List<LineageChange>();
        var notApplied = new List<LineageChange>();
        for (var i = 0; i < plan.Changes.Count; i++)
        {
            var change = plan.Changes[i];
            if (failed[i] || finished[i] != needed[i] || (options?.DryRun ?? false))
            {
                notApplied.Add(change);
                continue;
            }

            applied.Add(change);
            var at = entries.FindIndex(e => e.Key == change.Key);
            if (change.Desired is null)
            {
                if (at >= 0)
                {
                    entries.RemoveAt(at);
                }

                continue;
            }

            var source = plan.Guids.TryGetValue(LineageKeys.Reference(change.Source), out var s) ? s : await ResolveAsync(change.Source, null, cancellationToken).ConfigureAwait(false);
            var target = plan.Guids.TryGetValue(LineageKeys.Reference(change.Target), out var t) ? t : await ResolveAsync(change.Target, null, cancellationToken).ConfigureAwait(false);
            var entry = new LineageStateEntry(DataphinJson.DeserializeAddCommand(DataphinJson.Serialize(change.Desired)), source, target);
            if (at >= 0)
            {
                entries[at] = entry;
            }
            else
            {
                entries.Add(entry);
            }
        }

        return new LineageApplyResult(summary, new LineageState(entries), applied, notApplied);
    }

    /// <summary>The identity a run journal of <paramref name="plan"/> is opened with (operation <c>lineage apply</c>, the plan's calls, this client's endpoint and tenant).</summary>
    /// <param name="plan">The plan.</param>
    /// <param name="accessKeyIdHash">The hashed AccessKey id (<see cref="BulkRunIdentity.HashAccessKeyId"/>), or <see langword="null"/>.</param>
    /// <returns>The identity.</returns>
    public BulkRunIdentity RunIdentity(LineagePlan plan, string? accessKeyIdHash = null)
    {
        Guard.NotNull(plan, nameof(plan));
        return new BulkRunIdentity("lineage apply", plan.ItemsSha256, plan.Items.Count, _client.Endpoint.ToString(), _tenant, accessKeyIdHash);
    }

    /// <summary>
    /// Looks a table reference by properties up with ListCatalogAssets (its name, exactly), keeping the tables of its
    /// schema (the asset's project or the first part of its full name) when it names one; <see langword="null"/> when no
    /// table matches, or several do (then a warning says so).
    /// </summary>
    /// <param name="reference">The table reference.</param>
    /// <param name="warnings">Where a warning goes, or <see langword="null"/>.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The table's GUID, or <see langword="null"/>.</returns>
    protected virtual async Task<string?> ResolveAsync(AssetReference reference, IList<string>? warnings, CancellationToken cancellationToken)
    {
        Guard.NotNull(reference, nameof(reference));
        if (LineageKeys.DirectGuid(reference) is { } direct)
        {
            return direct;
        }

        if (string.IsNullOrEmpty(reference.Name))
        {
            return null;
        }

        var response = await _client.DataAsset.ListCatalogAssetsAsync(_tenant, new ListCatalogAssetsRequest
        {
            ListCatalogAssetsQuery = new ListCatalogAssetsRequest.ListCatalogAssetsQueryObject { Name = reference.Name, QueryMode = "EXACT_MATCH", AssetType = "TABLE", PageNum = 1, PageSize = 100 },
        }, cancellationToken).ConfigureAwait(false);
        var candidates = (response.Data?.AssetList ?? Array.Empty<ListCatalogAssetsResponse.DataObject.AssetListItem>())
            .Where(a => a.Guid is not null && a.IsDeleted != true && string.Equals(a.AssetName, reference.Name, StringComparison.OrdinalIgnoreCase))
            .Where(a => string.IsNullOrEmpty(reference.Schema)
                || string.Equals(a.ProjectName, reference.Schema, StringComparison.OrdinalIgnoreCase)
                || string.Equals(a.AssetFullName, reference.Schema + "." + reference.Name, StringComparison.OrdinalIgnoreCase))
            .Select(a => a.Guid!)
            .Distinct(StringComparer.OrdinalIgnoreCase)
            .ToList();
        if (candidates.Count > 1)
        {
            warnings?.Add($"{reference} matches {candidates.Count} tables ({string.Join(", ", candidates)}); give its GUID to compare it with what Dataphin holds.");
            return null;
        }

        return candidates.Count == 1 ? candidates[0] : null;
    }

    private static Dictionary<string, FieldLineage> Fields(AddRegisterLineageCommand command)
    {
        var fields = new Dictionary<string, FieldLineage>(StringComparer.Ordinal);
        foreach (var field in command.DetailedLineages ?? Array.Empty<FieldLineage>())
        {
            fields[LineageKeys.Field(field)] = field;
        }

        return fields;
    }

    private static string Properties(AddRegisterLineageCommand command)
    {
        if (command.RelationProperties is null || command.RelationProperties.Count == 0)
        {
            return string.Empty;
        }

        var copy = new AddRegisterLineageCommand { RelationProperties = command.RelationProperties };
        using var document = JsonDocument.Parse(DataphinJson.Serialize(copy));
        return document.RootElement.TryGetProperty("RelationProperties", out var properties) ? properties.GetRawText() : string.Empty;
    }
}
