namespace Dataphin.OpenApi.Bulk;

/// <summary>What a plan does to a table pair or field lineage of a <see cref="LineageGraph"/> made from a <see cref="LineagePlan"/>.</summary>
public enum LineageGraphChange
{
    /// <summary>The manifest and the state agree: nothing is done (grey).</summary>
    Unchanged,

    /// <summary>Registered by the apply (green).</summary>
    Add,

    /// <summary>A pair whose field lineages or relation properties change (blue); its field lineages say which are added and deleted.</summary>
    Update,

    /// <summary>Deleted by the apply (red, dashed).</summary>
    Delete,

    /// <summary>Registered by this state but no longer in Dataphin: registered again, or forgotten when the manifest dropped it (orange).</summary>
    Drift,

    /// <summary>In Dataphin but never registered by this state: left alone (grey, dotted).</summary>
    Unmanaged,
}
