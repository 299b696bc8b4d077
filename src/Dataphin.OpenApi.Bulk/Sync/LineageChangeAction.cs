namespace Dataphin.OpenApi.Bulk;

/// <summary>What a <see cref="LineagePlan"/> does to one table pair.</summary>
public enum LineageChangeAction
{
    /// <summary>The manifest has the pair and the state does not: register it with its field lineages.</summary>
    Add,

    /// <summary>The manifest and the state both have the pair, with different field lineages or relation properties: register the new field lineages, delete the removed ones (field by field).</summary>
    Update,

    /// <summary>The state has the pair and the manifest no longer does: delete it (only lineage this state registered).</summary>
    Delete,

    /// <summary>
    /// The state has the pair but Dataphin no longer returns it (removed outside this state): it is registered again
    /// when the manifest still has it, and forgotten otherwise.
    /// </summary>
    Drift,
}
