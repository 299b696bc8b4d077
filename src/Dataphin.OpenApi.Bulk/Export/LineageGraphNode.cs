namespace Dataphin.OpenApi.Bulk;

/// <summary>A table of a <see cref="LineageGraph"/>.</summary>
public sealed class LineageGraphNode
{
    internal LineageGraphNode(string id, string label, AssetReference reference)
    {
        Id = id;
        Label = label;
        Reference = reference;
    }

    /// <summary>The node's identifier in the exported text (<c>n1</c>, <c>n2</c>, …, in order of first appearance); never derived from the table's name.</summary>
    public string Id { get; }

    /// <summary>
    /// What the picture shows: the GUID of a reference by GUID, or <c>catalog.schema.name@env</c> of a reference by
    /// properties; in a traversal's graph <c>name (guid)</c> when Dataphin gave the table's name.
    /// </summary>
    public string Label { get; }

    /// <summary>The table reference as the manifest, the state or Dataphin gave it.</summary>
    public AssetReference Reference { get; }

    /// <inheritdoc />
    public override string ToString() => $"{Id}: {Label}";
}
