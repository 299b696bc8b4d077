using Dataphin.OpenApi.Serialization;
using System.Security.Cryptography;
using System.Text;

namespace Dataphin.OpenApi.Bulk;

/// <summary>
/// What applying a manifest would change (made by <see cref="LineagePlanner.PlanAsync(IEnumerable{LineageItem}, LineageState, CancellationToken)"/>):
/// the changes to the pairs this state manages, the pairs Dataphin returns that it never registered (left alone), and
/// the lineage calls that carry the changes out.
/// </summary>
public sealed class LineagePlan
{
    internal LineagePlan(LineageState state, IReadOnlyList<AddRegisterLineageCommand> desired, IReadOnlyList<LineageChange> changes, IReadOnlyList<LineageUnmanagedPair> unmanaged, IReadOnlyList<string> warnings, IReadOnlyDictionary<string, string> guids)
    {
        State = state;
        Desired = desired;
        Changes = changes;
        Unmanaged = unmanaged;
        Warnings = warnings;
        Guids = guids;
        var items = new List<LineageItem>();
        var owners = new List<int>();
        for (var i = 0; i < changes.Count; i++)
        {
            foreach (var command in Commands(changes[i]))
            {
                items.Add(new LineageItem($"{Label(changes[i].Action)} {changes[i].Source} -> {changes[i].Target}" + (command is DeleteRegisterLineageCommand && changes[i].Action == LineageChangeAction.Update ? " (field lineages removed)" : string.Empty), command));
                owners.Add(i);
            }
        }

        Items = items;
        ItemChanges = owners;
        ItemsSha256 = Hash(items);
    }

    /// <summary>The state the plan was made from.</summary>
    public LineageState State { get; }

    /// <summary>The lineage the manifest wants.</summary>
    public IReadOnlyList<AddRegisterLineageCommand> Desired { get; }

    /// <summary>The changes, adds first, then updates, deletes and drift.</summary>
    public IReadOnlyList<LineageChange> Changes { get; }

    /// <summary>Pairs Dataphin returns for the tables of the manifest and the state that this state never registered: they are not changed.</summary>
    public IReadOnlyList<LineageUnmanagedPair> Unmanaged { get; }

    /// <summary>Things the plan could not establish, e.g. a table reference by properties that matches several tables.</summary>
    public IReadOnlyList<string> Warnings { get; }

    /// <summary>Whether applying would change anything (unmanaged pairs are not changes).</summary>
    public bool HasChanges => Changes.Count > 0;

    /// <summary>
    /// The lineage calls that carry the changes out, in order: an add registers the pair with all its field lineages;
    /// an update registers the new field lineages and deletes the removed ones with the delete operation's field form
    /// (CascadeDeleteLineage off, so the pair stays); a delete deletes the pair. The bulk runner splits every item
    /// into calls of at most 100 field lineages.
    /// </summary>
    public IReadOnlyList<LineageItem> Items { get; }

    /// <summary>The SHA-256 (hex) of <see cref="Items"/>: the input a run journal of this plan is identified by, so an apply that stopped is resumed only by the same plan.</summary>
    public string ItemsSha256 { get; }

    internal IReadOnlyList<int> ItemChanges { get; }

    internal IReadOnlyDictionary<string, string> Guids { get; }

    /// <summary>The number of changes with <paramref name="action"/>.</summary>
    /// <param name="action">The action.</param>
    /// <returns>The count.</returns>
    public int Count(LineageChangeAction action) => Changes.Count(c => c.Action == action);

    /// <inheritdoc />
    public override string ToString()
        => $"{Count(LineageChangeAction.Add)} to add, {Count(LineageChangeAction.Update)} to update, {Count(LineageChangeAction.Delete)} to delete, {Count(LineageChangeAction.Drift)} drifted; {Unmanaged.Count} unmanaged";

    internal static string Label(LineageChangeAction action) => action switch
    {
        LineageChangeAction.Add => "add",
        LineageChangeAction.Update => "update",
        LineageChangeAction.Delete => "delete",
        _ => "drift",
    };

    private static IEnumerable<LineageCommand> Commands(LineageChange change)
    {
        switch (change.Action)
        {
            case LineageChangeAction.Add:
                yield return Clone(change.Desired!, change.Desired!.DetailedLineages);
                break;
            case LineageChangeAction.Update:
                if (change.FieldLineagesAdded.Count > 0 || change.RelationPropertiesChanged)
                {
                    yield return Clone(change.Desired!, change.FieldLineagesAdded);
                }

                if (change.FieldLineagesRemoved.Count > 0)
                {
                    yield return new DeleteRegisterLineageCommand(change.Source.Clone(), change.Target.Clone())
                    {
                        CascadeDeleteLineage = false,
                        DetailedLineages = change.FieldLineagesRemoved.Select(f => f.Clone()).ToList(),
                    };
                }

                break;
            case LineageChangeAction.Drift when change.Desired is not null:
                yield return Clone(change.Desired, change.Desired.DetailedLineages);
                break;
            default:
                // A delete, or a drifted pair the manifest no longer has (deleting what is already gone is harmless,
                // and keeps the calls of a plan the same when an apply that stopped half-way is run again).
                yield return new DeleteRegisterLineageCommand(change.Source.Clone(), change.Target.Clone());
                break;
        }
    }

    private static AddRegisterLineageCommand Clone(AddRegisterLineageCommand desired, IEnumerable<FieldLineage>? fields)
    {
        var json = DataphinJson.Serialize(desired);
        var copy = DataphinJson.DeserializeAddCommand(json);
        copy.DetailedLineages = (fields ?? Array.Empty<FieldLineage>()).Select(f => f.Clone()).ToList();
        return copy;
    }

    private static string Hash(IReadOnlyList<LineageItem> items)
    {
        var text = new StringBuilder();
        foreach (var item in items)
        {
            text.Append(item.Id).Append('\n').Append(item.Command!.OperationName).Append('\n').Append(DataphinJson.Serialize(item.Command)).Append('\n');
        }

#if NETSTANDARD2_0
        using var sha = SHA256.Create();
        var bytes = sha.ComputeHash(Encoding.UTF8.GetBytes(text.ToString()));
#else
        var bytes = SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString()));
#endif
        var hex = new StringBuilder(bytes.Length * 2);
        foreach (var b in bytes)
        {
            hex.Append(b.ToString("x2", System.Globalization.CultureInfo.InvariantCulture));
        }

        return hex.ToString();
    }
}
