using Dataphin.OpenApi.Internal;
using Dataphin.OpenApi.Models;

namespace Dataphin.OpenApi.Bulk;

/// <summary>
/// Walks the lineage Dataphin holds from one table, N hops up and/or down, with <c>GetTableLineages</c> (and
/// <c>GetTableColumnLineages</c> for the field lineages when asked), and returns it as a <see cref="LineageGraph"/> to
/// export. Each table is read at most once (a cycle or a table reached on two paths costs no second read) and each
/// table pair is reported once. The reads go through the client, so its rate limiter paces them at the read
/// operations' throttling level (Level 3, the strictest, as neither is in the throttling table) and its retries
/// apply; the walk adds no pacing of its own. It reads one table at a time, in breadth-first order.
/// </summary>
/// <example>
/// <code>
/// var result = await new LineageTraversal(client, tenantId).TraverseAsync(tableGuid,
///     new LineageTraversalOptions { Direction = LineageDirection.Upstream, Depth = 2, IncludeFields = true });
/// if (result.Truncated) { /* more than MaxTables tables: the graph is partial */ }
/// File.WriteAllText("lineage.mmd", LineageGraphExporter.Export(result.Graph, LineageGraphFormat.Mermaid));
/// </code>
/// </example>
public class LineageTraversal
{
    private readonly DataphinClient _client;
    private readonly long _tenant;

    /// <summary>Creates a traversal for one tenant.</summary>
    /// <param name="client">The client the reads go through.</param>
    /// <param name="opTenantId">The tenant.</param>
    /// <exception cref="ArgumentNullException"><paramref name="client"/> is null.</exception>
    public LineageTraversal(DataphinClient client, long opTenantId)
    {
        _client = Guard.NotNull(client, nameof(client));
        _tenant = opTenantId;
    }

    /// <summary>Walks the lineage from <paramref name="tableGuid"/> as <paramref name="options"/> say.</summary>
    /// <param name="tableGuid">The GUID of the table to start from (as Dataphin knows it, e.g. <c>odps.300000001.project1.table1</c>).</param>
    /// <param name="options">The direction, depth, fields and bound; <see langword="null"/> for the defaults (both directions, 1 hop, no fields, <see cref="LineageTraversalOptions.DefaultMaxTables"/> tables).</param>
    /// <param name="cancellationToken">Stops the walk between and during reads.</param>
    /// <returns>
    /// The graph (the start table first, then the tables in the order found), the number of tables read, and whether the
    /// walk stopped at <see cref="LineageTraversalOptions.MaxTables"/>. A table Dataphin answers no lineage for (or
    /// does not know, when the service answers it with an empty list) gives the start table alone.
    /// </returns>
    /// <exception cref="ArgumentException"><paramref name="tableGuid"/> is null, empty or white space, or an option breaks its rule (the message names it); nothing was sent.</exception>
    /// <exception cref="ArgumentOutOfRangeException">Depth is negative, MaxTables is below 1, or Direction is not a defined value; nothing was sent.</exception>
    /// <exception cref="DataphinException">A read failed (e.g. <see cref="DataphinRequestException"/> with the service's code for a table it rejects); the walk stops there.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public virtual async Task<LineageTraversalResult> TraverseAsync(string tableGuid, LineageTraversalOptions? options = null, CancellationToken cancellationToken = default)
    {
        Guard.NotNullOrWhiteSpace(tableGuid, nameof(tableGuid));
        options ??= new LineageTraversalOptions();
        options.Validate();

        var up = options.Direction is LineageDirection.Upstream or LineageDirection.Both;
        var down = options.Direction is LineageDirection.Downstream or LineageDirection.Both;
        var tables = new Dictionary<string, Table>(StringComparer.OrdinalIgnoreCase);
        var order = new List<Table>();
        var pairs = new Dictionary<string, (string Input, string Output)>(StringComparer.OrdinalIgnoreCase);
        var pairOrder = new List<string>();
        var read = new Dictionary<string, IReadOnlyList<GetTableLineagesResponse.TableLineageListItem>>(StringComparer.OrdinalIgnoreCase);
        var columns = new List<GetTableColumnLineagesResponse.TableColumnLineageListItem>();
        var walked = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var queue = new Queue<(string Guid, bool Upstream, int Distance)>();
        var truncated = false;

        void AddTable(string guid, string? name)
        {
            var table = new Table(guid, name);
            tables[guid] = table;
            order.Add(table);
        }

        AddTable(tableGuid, null);
        if (options.Depth > 0)
        {
            if (up)
            {
                walked.Add("u|" + tableGuid);
                queue.Enqueue((tableGuid, true, 0));
            }

            if (down)
            {
                walked.Add("d|" + tableGuid);
                queue.Enqueue((tableGuid, false, 0));
            }
        }

        while (queue.Count > 0)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var (guid, upstream, distance) = queue.Dequeue();
            if (!read.TryGetValue(guid, out var rows))
            {
                rows = await ReadAsync(guid, up, down, options, columns, cancellationToken).ConfigureAwait(false);
                read[guid] = rows;
            }

            foreach (var row in rows)
            {
                if (string.IsNullOrEmpty(row.InputTableGuid) || string.IsNullOrEmpty(row.OutputTableGuid)
                    || (!options.IncludeMissingTables && (row.InputTableDeleted == true || row.OutputTableDeleted == true)))
                {
                    continue;
                }

                var input = row.InputTableGuid!;
                var output = row.OutputTableGuid!;
                string other;
                string? otherName;
                if (upstream && Same(output, guid))
                {
                    (other, otherName) = (input, row.InputTableName);
                }
                else if (!upstream && Same(input, guid))
                {
                    (other, otherName) = (output, row.OutputTableName);
                }
                else
                {
                    continue;
                }

                // The names of the table just read come with its rows.
                tables[guid].Name ??= Same(input, guid) ? row.InputTableName : row.OutputTableName;
                if (tables.TryGetValue(other, out var known))
                {
                    known.Name ??= otherName;
                }
                else if (tables.Count >= options.MaxTables)
                {
                    truncated = true;
                    continue;
                }
                else
                {
                    AddTable(other, otherName);
                }

                var key = input.ToLowerInvariant() + " => " + output.ToLowerInvariant();
                if (!pairs.ContainsKey(key))
                {
                    pairs[key] = (tables[input].Guid, tables[output].Guid);
                    pairOrder.Add(key);
                }

                if (distance + 1 < options.Depth && walked.Add((upstream ? "u|" : "d|") + other))
                {
                    queue.Enqueue((tables[other].Guid, upstream, distance + 1));
                }
            }
        }

        var fields = new Dictionary<string, List<FieldLineage>>(StringComparer.OrdinalIgnoreCase);
        foreach (var row in columns)
        {
            if (string.IsNullOrEmpty(row.InputTableGuid) || string.IsNullOrEmpty(row.OutputTableGuid))
            {
                continue;
            }

            var key = row.InputTableGuid!.ToLowerInvariant() + " => " + row.OutputTableGuid!.ToLowerInvariant();
            var source = Column(row.InputTableGuid!, row.InputColumnGuid, row.InputColumnName);
            var target = Column(row.OutputTableGuid!, row.OutputColumnGuid, row.OutputColumnName);
            if (pairs.ContainsKey(key) && source is not null && target is not null)
            {
                if (!fields.TryGetValue(key, out var list))
                {
                    list = new List<FieldLineage>();
                    fields[key] = list;
                }

                list.Add(new FieldLineage(source, target));
            }
        }

        var graph = LineageGraph.FromTraversal(
            order.Select(t => (t.Guid, t.Name)),
            pairOrder.Select(k => (pairs[k].Input, pairs[k].Output, (IReadOnlyList<FieldLineage>)(fields.TryGetValue(k, out var f) ? f : new List<FieldLineage>()))));
        return new LineageTraversalResult(graph, read.Count, truncated);
    }

    private async Task<IReadOnlyList<GetTableLineagesResponse.TableLineageListItem>> ReadAsync(string guid, bool up, bool down, LineageTraversalOptions options, List<GetTableColumnLineagesResponse.TableColumnLineageListItem> columns, CancellationToken cancellationToken)
    {
        var response = await _client.DataAsset.GetTableLineagesAsync(_tenant, new GetTableLineagesRequest
        {
            TableGuid = guid,
            FilterQuery = new GetTableLineagesRequest.FilterQueryObject { NeedUpstream = up, NeedDownstream = down, NeedNotExistObject = options.IncludeMissingTables, NodeEnv = options.NodeEnv },
        }, cancellationToken).ConfigureAwait(false);
        if (options.IncludeFields)
        {
            var fields = await _client.DataAsset.GetTableColumnLineagesAsync(_tenant, new GetTableColumnLineagesRequest
            {
                TableGuid = guid,
                FilterQuery = new GetTableColumnLineagesRequest.FilterQueryObject { NeedUpstream = up, NeedDownstream = down, NeedNotExistObject = options.IncludeMissingTables, NodeEnv = options.NodeEnv },
            }, cancellationToken).ConfigureAwait(false);
            columns.AddRange(fields.TableColumnLineageList ?? Array.Empty<GetTableColumnLineagesResponse.TableColumnLineageListItem>());
        }

        return response.TableLineageList ?? Array.Empty<GetTableLineagesResponse.TableLineageListItem>();
    }

    private static AssetReference? Column(string tableGuid, string? columnGuid, string? columnName)
    {
        if (!string.IsNullOrWhiteSpace(columnGuid))
        {
            return AssetReference.FieldByGuid(columnGuid!, tableGuid);
        }

        return string.IsNullOrWhiteSpace(columnName) ? null : AssetReference.FieldByGuid(tableGuid + "." + columnName, tableGuid);
    }

    private static bool Same(string a, string b) => string.Equals(a, b, StringComparison.OrdinalIgnoreCase);

    private sealed class Table(string guid, string? name)
    {
        public string Guid { get; } = guid;

        public string? Name { get; set; } = name;
    }
}
