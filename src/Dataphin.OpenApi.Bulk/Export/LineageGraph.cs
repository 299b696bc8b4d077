using Dataphin.OpenApi.Internal;

namespace Dataphin.OpenApi.Bulk;

/// <summary>
/// Table lineage as a graph, to export as a picture or a table (<see cref="LineageGraphExporter"/>): the tables are
/// the nodes, each table pair an edge with its field lineages. Made from a manifest (<see cref="ReadManifestAsync"/>,
/// <see cref="FromItems"/>, <see cref="FromCommands"/>) or from a <see cref="LineagePlan"/> (<see cref="FromPlan"/>),
/// where every pair and field lineage carries what the plan does to it, or from what Dataphin holds around a table
/// (<see cref="LineageTraversal"/>).
/// </summary>
public sealed class LineageGraph
{
    private LineageGraph(IReadOnlyList<LineageGraphNode> nodes, IReadOnlyList<LineageGraphEdge> edges, bool isPlan, bool isTraversal = false)
    {
        Nodes = nodes;
        Edges = edges;
        IsPlan = isPlan;
        IsTraversal = isTraversal;
    }

    /// <summary>The tables, in order of first appearance.</summary>
    public IReadOnlyList<LineageGraphNode> Nodes { get; }

    /// <summary>The table pairs, each once (a pair listed twice in a manifest is one edge with the field lineages of both).</summary>
    public IReadOnlyList<LineageGraphEdge> Edges { get; }

    /// <summary>Whether the graph was made from a plan, so that every edge and field lineage has a <see cref="LineageGraphEdge.Change"/>.</summary>
    public bool IsPlan { get; }

    /// <summary>Whether the graph is what Dataphin holds around a table (<see cref="LineageTraversal"/>), for the JSON export's <c>kind</c>.</summary>
    internal bool IsTraversal { get; }

    /// <summary>The graph of lineage commands, e.g. the ones an ETL job registers.</summary>
    /// <param name="commands">The commands; their table pairs become the edges.</param>
    /// <returns>The graph.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="commands"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">A command (or a field lineage of it) has no source or target.</exception>
    public static LineageGraph FromCommands(IEnumerable<LineageCommand> commands)
    {
        Guard.NotNull(commands, nameof(commands));
        var builder = new Builder(isPlan: false);
        var index = 0;
        foreach (var command in commands)
        {
            index++;
            if (command?.Source is null || command.Target is null)
            {
                throw new ArgumentException($"Lineage command {index} has no source or target table: every table pair needs both.", nameof(commands));
            }

            var edge = builder.Edge(command.Source, command.Target, null);
            foreach (var field in command.DetailedLineages ?? Array.Empty<FieldLineage>())
            {
                if (field?.Source is null || field.Target is null)
                {
                    throw new ArgumentException($"Lineage command {index} ({command.Source} -> {command.Target}) has a field lineage without a source or target field.", nameof(commands));
                }

                edge.Field(field, null);
            }
        }

        return builder.Build();
    }

    /// <summary>The graph of a manifest's items (as <see cref="LineageManifestReader"/> reads them).</summary>
    /// <param name="items">The items.</param>
    /// <returns>The graph.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="items"/> is <see langword="null"/>.</exception>
    /// <exception cref="LineageManifestException">Some items are unreadable: the message names each of them (with its line) and what is wrong; nothing is left out of the picture silently.</exception>
    public static LineageGraph FromItems(IEnumerable<LineageItem> items)
    {
        Guard.NotNull(items, nameof(items));
        var commands = new List<LineageCommand>();
        var problems = new List<string>();
        int? firstLine = null;
        foreach (var item in items)
        {
            if (item.Command is null)
            {
                var where = item.LineNumber is { } line && !item.Id.StartsWith("line ", StringComparison.Ordinal) ? $"item {item.Id} (line {line})" : $"item {item.Id}";
                problems.Add($"{where}: " + string.Join("; ", item.ReadErrors.Select(e => $"{e.Path}: {e.Message}")));
                firstLine ??= item.LineNumber;
                continue;
            }

            commands.Add(item.Command);
        }

        if (problems.Count > 0)
        {
            throw new LineageManifestException($"The manifest has {problems.Count} unreadable item(s), so its picture would be incomplete: " + string.Join(" | ", problems), firstLine);
        }

        return FromCommands(commands);
    }

    /// <summary>Reads a manifest (JSON, JSON Lines or CSV, as for <c>dataphin lineage add</c>) and returns its graph.</summary>
    /// <param name="path">The manifest file.</param>
    /// <param name="format">The manifest's format; <see langword="null"/> takes it from the file extension.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The graph.</returns>
    /// <exception cref="ArgumentException">The format is not given and the extension is not one of a manifest.</exception>
    /// <exception cref="LineageManifestException">The manifest cannot be read, or some of its items are unreadable.</exception>
    /// <exception cref="IOException">The file cannot be read.</exception>
    public static async Task<LineageGraph> ReadManifestAsync(string path, LineageManifestFormat? format = null, CancellationToken cancellationToken = default)
    {
        Guard.NotNullOrWhiteSpace(path, nameof(path));
        var items = new List<LineageItem>();
        await foreach (var item in LineageManifestReader.ReadFileAsync(path, LineageManifestOperation.Add, format, cancellationToken).ConfigureAwait(false))
        {
            items.Add(item);
        }

        return FromItems(items);
    }

    /// <summary>
    /// The graph of a plan, for a review: the manifest's pairs (unchanged ones too), the pairs the plan deletes or
    /// finds drifted, and the pairs it leaves alone (unmanaged); each edge and field lineage says what the plan does to it.
    /// </summary>
    /// <param name="plan">The plan (<see cref="LineagePlanner.PlanAsync(IEnumerable{LineageItem}, LineageState, CancellationToken)"/>).</param>
    /// <returns>The graph.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="plan"/> is <see langword="null"/>.</exception>
    public static LineageGraph FromPlan(LineagePlan plan)
    {
        Guard.NotNull(plan, nameof(plan));
        var builder = new Builder(isPlan: true);
        var changes = new Dictionary<string, LineageChange>(StringComparer.Ordinal);
        foreach (var change in plan.Changes)
        {
            changes[change.Key] = change;
        }

        var shown = new HashSet<LineageChange>();
        foreach (var desired in plan.Desired)
        {
            if (changes.TryGetValue(LineageKeys.Pair(desired), out var change))
            {
                Add(builder, change);
                shown.Add(change);
            }
            else
            {
                var edge = builder.Edge(desired.Source!, desired.Target!, LineageGraphChange.Unchanged);
                foreach (var field in desired.DetailedLineages)
                {
                    edge.Field(field, LineageGraphChange.Unchanged);
                }
            }
        }

        foreach (var change in plan.Changes.Where(c => !shown.Contains(c)))
        {
            Add(builder, change);
        }

        // Unmanaged pairs are known by GUID only: drawn on the manifest's tables when their GUIDs match.
        var byGuid = new Dictionary<string, LineageGraphNode>(StringComparer.OrdinalIgnoreCase);
        foreach (var node in builder.Nodes)
        {
            var guid = LineageKeys.DirectGuid(node.Reference) ?? (plan.Guids.TryGetValue(LineageKeys.Reference(node.Reference), out var resolved) ? resolved : null);
            if (guid is not null && !byGuid.ContainsKey(guid))
            {
                byGuid[guid] = node;
            }
        }

        foreach (var pair in plan.Unmanaged)
        {
            var source = byGuid.TryGetValue(pair.SourceGuid, out var s) ? s.Reference : AssetReference.ByGuid(pair.SourceGuid, MetadataType.Table);
            var target = byGuid.TryGetValue(pair.TargetGuid, out var t) ? t.Reference : AssetReference.ByGuid(pair.TargetGuid, MetadataType.Table);
            builder.Edge(source, target, LineageGraphChange.Unmanaged);
        }

        return builder.Build();
    }

    /// <summary>
    /// The graph of a traversal: every table by GUID (labelled <c>name (guid)</c> when Dataphin gave its name), the start
    /// table among them even when it has no pair, and the pairs with their field lineages.
    /// </summary>
    internal static LineageGraph FromTraversal(IEnumerable<(string Guid, string? Name)> tables, IEnumerable<(string Input, string Output, IReadOnlyList<FieldLineage> Fields)> pairs)
    {
        var builder = new Builder(isPlan: false);
        var references = new Dictionary<string, AssetReference>(StringComparer.OrdinalIgnoreCase);
        foreach (var (guid, name) in tables)
        {
            var reference = AssetReference.ByGuid(guid, MetadataType.Table);
            references[guid] = reference;
            builder.Node(reference, string.IsNullOrEmpty(name) || string.Equals(name, guid, StringComparison.Ordinal) ? guid : $"{name} ({guid})");
        }

        foreach (var (input, output, fields) in pairs)
        {
            var edge = builder.Edge(references[input], references[output], null);
            foreach (var field in fields)
            {
                edge.Field(field, null);
            }
        }

        return builder.Build(isTraversal: true);
    }

    /// <summary>The label of a table: its GUID, or <c>catalog.schema.name@env</c>; other metadata types say which they are.</summary>
    internal static string TableLabel(AssetReference reference)
    {
        string label;
        if (LineageKeys.DirectGuid(reference) is { } guid)
        {
            label = guid;
        }
        else
        {
            label = string.Join(".", new[] { reference.Catalog, reference.Schema, reference.Name }.Where(p => !string.IsNullOrEmpty(p)));
            if (reference.Env is { } env)
            {
                label += "@" + env.ToString();
            }
        }

        return reference.MetadataType == MetadataType.Table || reference.MetadataType.IsDefault ? label : $"{label} ({reference.MetadataType})";
    }

    /// <summary>The label of a field: its name, or its GUID without its table's GUID in front.</summary>
    internal static string FieldLabel(AssetReference field, AssetReference table)
    {
        var guid = LineageKeys.DirectGuid(field);
        if (guid is null)
        {
            return field.Name ?? string.Empty;
        }

        var tableGuid = LineageKeys.DirectGuid(table) ?? field.ParentGuid;
        return tableGuid is not null && guid.Length > tableGuid.Length + 1 && guid.StartsWith(tableGuid + ".", StringComparison.OrdinalIgnoreCase)
            ? guid.Substring(tableGuid.Length + 1)
            : guid;
    }

    private static void Add(Builder builder, LineageChange change)
    {
        switch (change.Action)
        {
            case LineageChangeAction.Add:
                {
                    var edge = builder.Edge(change.Source, change.Target, LineageGraphChange.Add);
                    foreach (var field in change.FieldLineagesAdded)
                    {
                        edge.Field(field, LineageGraphChange.Add);
                    }

                    break;
                }

            case LineageChangeAction.Update:
                {
                    var edge = builder.Edge(change.Source, change.Target, LineageGraphChange.Update);
                    var added = new HashSet<string>(change.FieldLineagesAdded.Select(LineageKeys.Field), StringComparer.Ordinal);
                    foreach (var field in change.Desired!.DetailedLineages)
                    {
                        edge.Field(field, added.Contains(LineageKeys.Field(field)) ? LineageGraphChange.Add : LineageGraphChange.Unchanged);
                    }

                    foreach (var field in change.FieldLineagesRemoved)
                    {
                        edge.Field(field, LineageGraphChange.Delete);
                    }

                    break;
                }

            case LineageChangeAction.Delete:
                {
                    var edge = builder.Edge(change.Source, change.Target, LineageGraphChange.Delete);
                    foreach (var field in change.FieldLineagesRemoved)
                    {
                        edge.Field(field, LineageGraphChange.Delete);
                    }

                    break;
                }

            default:
                {
                    var edge = builder.Edge(change.Source, change.Target, LineageGraphChange.Drift);
                    edge.Forgotten = change.Desired is null;
                    foreach (var field in change.Desired?.DetailedLineages ?? change.Recorded?.Lineage.DetailedLineages ?? Array.Empty<FieldLineage>())
                    {
                        edge.Field(field, LineageGraphChange.Drift);
                    }

                    break;
                }
        }
    }

    private sealed class Builder(bool isPlan)
    {
        private readonly Dictionary<string, LineageGraphNode> _nodes = new(StringComparer.Ordinal);
        private readonly Dictionary<string, EdgeBuilder> _edges = new(StringComparer.Ordinal);
        private readonly List<EdgeBuilder> _order = new();

        public List<LineageGraphNode> Nodes { get; } = new();

        public EdgeBuilder Edge(AssetReference source, AssetReference target, LineageGraphChange? change)
        {
            var from = Node(source);
            var to = Node(target);
            var key = from.Id + ">" + to.Id;
            if (!_edges.TryGetValue(key, out var edge))
            {
                edge = new EdgeBuilder(from, to, change);
                _edges[key] = edge;
                _order.Add(edge);
            }

            return edge;
        }

        public LineageGraph Build(bool isTraversal = false) => new(Nodes.ToList(), _order.Select(e => e.Build()).ToList(), isPlan, isTraversal);

        public LineageGraphNode Node(AssetReference reference, string? label = null)
        {
            var key = LineageKeys.Reference(reference);
            if (!_nodes.TryGetValue(key, out var node))
            {
                node = new LineageGraphNode("n" + (Nodes.Count + 1).ToString(System.Globalization.CultureInfo.InvariantCulture), label ?? TableLabel(reference), reference);
                _nodes[key] = node;
                Nodes.Add(node);
            }

            return node;
        }
    }

    private sealed class EdgeBuilder(LineageGraphNode source, LineageGraphNode target, LineageGraphChange? change)
    {
        private readonly HashSet<string> _fieldKeys = new(StringComparer.Ordinal);
        private readonly List<LineageGraphFieldLineage> _fields = new();

        public bool Forgotten { get; set; }

        public void Field(FieldLineage field, LineageGraphChange? fieldChange)
        {
            // A field lineage listed twice for a pair is drawn once; an update's removed field lineage keeps its own row.
            if (_fieldKeys.Add(LineageKeys.Field(field) + "|" + fieldChange))
            {
                _fields.Add(new LineageGraphFieldLineage(field, FieldLabel(field.Source!, source.Reference), FieldLabel(field.Target!, target.Reference), fieldChange));
            }
        }

        public LineageGraphEdge Build() => new(source, target, change, _fields) { Forgotten = Forgotten };
    }
}
