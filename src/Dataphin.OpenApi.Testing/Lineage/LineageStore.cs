using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Dataphin.OpenApi.Testing.Lineage;

/// <summary>
/// The registered lineage of every tenant: table edges keyed by (source, target) identity, each with its field edges
/// keyed the same way. One lock guards everything, so concurrent adds and deletes leave a consistent store.
/// </summary>
internal sealed class LineageStore
{
    private static readonly JsonSerializerOptions Readable = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private readonly object _gate = new();
    private readonly Dictionary<long, Dictionary<EdgeKey, TableEdge>> _tenants = [];
    private readonly Dictionary<long, HashSet<string>> _dropped = [];
    private long _sequence;

    /// <summary>Registers (merges) a command's lineage; returns the number of table and field edges created.</summary>
    public (int TablesAdded, int FieldsAdded) Add(long tenantId, ParsedLineageCommand command, bool throughApi, string? nodeId = null)
    {
        lock (_gate)
        {
            var edges = Tenant(tenantId);
            var key = KeyOf(command.Source, command.Target);
            var tablesAdded = 0;
            if (!edges.TryGetValue(key, out var edge))
            {
                edge = new TableEdge(command.Source, command.Target, throughApi, ++_sequence);
                edges[key] = edge;
                tablesAdded = 1;
            }

            if (nodeId is not null)
            {
                edge.NodeId = nodeId;
            }

            if (command.RelationProperties is { } properties)
            {
                edge.RelationProperties ??= [];
                foreach (var property in properties)
                {
                    edge.RelationProperties[property.Key] = property.Value?.DeepClone();
                }
            }

            var fieldsAdded = 0;
            foreach (var (source, target, isDirect) in command.FieldLineages)
            {
                var fieldKey = KeyOf(source, target);
                if (edge.Fields.TryGetValue(fieldKey, out var existing))
                {
                    existing.IsDirect = isDirect;
                }
                else
                {
                    edge.Fields[fieldKey] = new FieldEdge(source, target, isDirect, throughApi, ++_sequence);
                    fieldsAdded++;
                }
            }

            return (tablesAdded, fieldsAdded);
        }
    }

    /// <summary>Deletes API-registered lineage as DeleteRegisterLineage does; returns the number of table and field edges removed.</summary>
    public (int TablesRemoved, int FieldsRemoved) Delete(long tenantId, ParsedLineageCommand command)
    {
        lock (_gate)
        {
            var edges = Tenant(tenantId);
            var key = KeyOf(command.Source, command.Target);
            if (!edges.TryGetValue(key, out var edge))
            {
                return (0, 0);
            }

            var fieldsRemoved = 0;
            if (command.FieldLineages.Count == 0)
            {
                foreach (var field in edge.Fields.Where(f => f.Value.ThroughApi).ToList())
                {
                    edge.Fields.Remove(field.Key);
                    fieldsRemoved++;
                }

                if (edge.ThroughApi && edge.Fields.Count == 0)
                {
                    edges.Remove(key);
                    return (1, fieldsRemoved);
                }

                return (0, fieldsRemoved);
            }

            foreach (var (source, target, _) in command.FieldLineages)
            {
                var fieldKey = KeyOf(source, target);
                if (edge.Fields.TryGetValue(fieldKey, out var field) && field.ThroughApi)
                {
                    edge.Fields.Remove(fieldKey);
                    fieldsRemoved++;
                }
            }

            if (command.CascadeDeleteLineage && fieldsRemoved > 0 && edge.Fields.Count == 0 && edge.ThroughApi)
            {
                edges.Remove(key);
                return (1, fieldsRemoved);
            }

            return (0, fieldsRemoved);
        }
    }

    public IReadOnlyList<RegisteredTableLineage> Snapshot(long tenantId)
    {
        lock (_gate)
        {
            return !_tenants.TryGetValue(tenantId, out var edges)
                ? []
                : edges.Values.OrderBy(e => e.Sequence).Select(e => e.ToSnapshot()).ToList();
        }
    }

    /// <summary>The table and field edges stored, all tenants together.</summary>
    public (long Tables, long Fields) Counts()
    {
        lock (_gate)
        {
            long tables = 0, fields = 0;
            foreach (var edges in _tenants.Values)
            {
                tables += edges.Count;
                foreach (var edge in edges.Values)
                {
                    fields += edge.Fields.Count;
                }
            }

            return (tables, fields);
        }
    }

    public void Clear(long tenantId)
    {
        lock (_gate)
        {
            _tenants.Remove(tenantId);
            _dropped.Remove(tenantId);
        }
    }

    /// <summary>Marks a table GUID as dropped from the catalog (its lineage stays, as lineage to a dropped table does in Dataphin).</summary>
    public void Drop(long tenantId, string tableGuid)
    {
        lock (_gate)
        {
            if (!_dropped.TryGetValue(tenantId, out var dropped))
            {
                dropped = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
                _dropped[tenantId] = dropped;
            }

            dropped.Add(tableGuid);
        }
    }

    /// <summary>The table GUIDs of a tenant dropped from the catalog (a copy; compared case-insensitively).</summary>
    public IReadOnlySet<string> Dropped(long tenantId)
    {
        lock (_gate)
        {
            return _dropped.TryGetValue(tenantId, out var dropped) ? new HashSet<string>(dropped, StringComparer.OrdinalIgnoreCase) : new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        }
    }

    private Dictionary<EdgeKey, TableEdge> Tenant(long tenantId)
    {
        if (!_tenants.TryGetValue(tenantId, out var edges))
        {
            edges = [];
            _tenants[tenantId] = edges;
        }

        return edges;
    }

    private static EdgeKey KeyOf(RegisteredReference source, RegisteredReference target) => new(source.Key, target.Key);

    /// <summary>An edge's identity: the keys of its two ends, compared part by part.</summary>
    private readonly record struct EdgeKey(ReferenceKey Source, ReferenceKey Target);

    private sealed class TableEdge(RegisteredReference source, RegisteredReference target, bool throughApi, long sequence)
    {
        public RegisteredReference Source { get; } = source;

        public RegisteredReference Target { get; } = target;

        public bool ThroughApi { get; } = throughApi;

        public long Sequence { get; } = sequence;

        public Dictionary<EdgeKey, FieldEdge> Fields { get; } = [];

        public JsonObject? RelationProperties { get; set; }

        public string? NodeId { get; set; }

        public RegisteredTableLineage ToSnapshot() => new(
            Source,
            Target,
            Fields.Values.OrderBy(f => f.Sequence).Select(f => new RegisteredFieldLineage(f.Source, f.Target, f.IsDirect, f.ThroughApi)).ToList(),
            RelationProperties?.ToJsonString(Readable),
            ThroughApi)
        { NodeId = NodeId };
    }

    private sealed class FieldEdge(RegisteredReference source, RegisteredReference target, bool isDirect, bool throughApi, long sequence)
    {
        public RegisteredReference Source { get; } = source;

        public RegisteredReference Target { get; } = target;

        public bool IsDirect { get; set; } = isDirect;

        public bool ThroughApi { get; } = throughApi;

        public long Sequence { get; } = sequence;
    }
}
