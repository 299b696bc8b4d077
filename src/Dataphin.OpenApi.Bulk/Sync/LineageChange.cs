namespace Dataphin.OpenApi.Bulk;

/// <summary>One change of a <see cref="LineagePlan"/>: a table pair and what is done to it.</summary>
public sealed class LineageChange
{
    internal LineageChange(
        LineageChangeAction action,
        AssetReference source,
        AssetReference target,
        AddRegisterLineageCommand? desired,
        LineageStateEntry? recorded,
        IReadOnlyList<FieldLineage> fieldsAdded,
        IReadOnlyList<FieldLineage> fieldsRemoved,
        bool relationPropertiesChanged)
    {
        Action = action;
        Source = source;
        Target = target;
        Desired = desired;
        Recorded = recorded;
        FieldLineagesAdded = fieldsAdded;
        FieldLineagesRemoved = fieldsRemoved;
        RelationPropertiesChanged = relationPropertiesChanged;
    }

    /// <summary>What is done.</summary>
    public LineageChangeAction Action { get; }

    /// <summary>The upstream table.</summary>
    public AssetReference Source { get; }

    /// <summary>The downstream table.</summary>
    public AssetReference Target { get; }

    /// <summary>The pair as the manifest wants it, or <see langword="null"/> when the manifest no longer has it (a delete, or a drift that is forgotten).</summary>
    public AddRegisterLineageCommand? Desired { get; }

    /// <summary>The pair as the state recorded it, or <see langword="null"/> for an add.</summary>
    public LineageStateEntry? Recorded { get; }

    /// <summary>The field lineages registered: all of them for an add or a drift registered again, the new (or changed) ones for an update.</summary>
    public IReadOnlyList<FieldLineage> FieldLineagesAdded { get; }

    /// <summary>The field lineages deleted (with the delete operation's field form) by an update; empty otherwise.</summary>
    public IReadOnlyList<FieldLineage> FieldLineagesRemoved { get; }

    /// <summary>Whether an update changes the pair's relation properties.</summary>
    public bool RelationPropertiesChanged { get; }

    internal string Key => LineageKeys.Reference(Source) + " => " + LineageKeys.Reference(Target);

    /// <inheritdoc />
    public override string ToString() => Action switch
    {
        LineageChangeAction.Update => $"update {Source} -> {Target} (+{FieldLineagesAdded.Count} -{FieldLineagesRemoved.Count} field lineages)",
        _ => $"{Action.ToString().ToLowerInvariant()} {Source} -> {Target}",
    };
}
