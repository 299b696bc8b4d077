using System.Text.Json;
using Dataphin.OpenApi.Testing.Lineage;
using Dataphin.OpenApi.Testing.Operations;
using Dataphin.OpenApi.Testing.Protocol;

namespace Dataphin.OpenApi.Testing.Hosting;

/// <summary>
/// Executes an action: the lineage commands against the store (checked by their own parser), and every other
/// operation of the catalog after checking the call against its request tree (<see cref="RequestShape"/>):
/// <c>GetTableLineages</c>, <c>GetTableColumnLineages</c>, <c>ListCatalogAssets</c> and <c>GetCatalogAssetDetails</c> over the store, <c>GetMyTenants</c> with the tenants the calling AccessKey may use, the rest
/// with an answer built from the response tree's example values (<see cref="ExampleResponse"/>).
/// </summary>
internal sealed class ActionExecutor(EmulatorState state)
{
    public ActionResult Execute(ActionCall call) => call.Action switch
    {
        "AddRegisterLineage" => Lineage(call, "AddRegisterLineageCommand", add: true),
        "DeleteRegisterLineage" => Lineage(call, "DeleteRegisterLineageCommand", add: false),
        _ => Catalogued(call),
    };

    private ActionResult Catalogued(ActionCall call)
    {
        var operation = OperationCatalog.Operations[call.Action];
        if (RequestShape.Check(operation, call) is { } error)
        {
            return new ActionResult(error);
        }

        return call.Action switch
        {
            "GetTableLineages" => GetTableLineages(call),
            "GetTableColumnLineages" => GetTableColumnLineages(call),
            "ListCatalogAssets" => ListCatalogAssets(call),
            "GetCatalogAssetDetails" => GetCatalogAssetDetails(call),
            "GetMyTenants" => GetMyTenants(call),
            _ => new ActionResult(null, json => ExampleResponse.Write(json, operation)),
        };
    }

    private ActionResult Lineage(ActionCall call, string field, bool add)
    {
        var error = LineageCommandParser.Parse(field, call.FormField(field), out var command);
        if (error is not null)
        {
            return new ActionResult(error);
        }

        if (add)
        {
            var (tablesAdded, _) = state.Lineage.Add(call.TenantId, command!, throughApi: true);
            return tablesAdded == 0 ? ActionResult.Ok with { RepeatedRegistration = true } : ActionResult.Ok;
        }

        state.Lineage.Delete(call.TenantId, command!);
        return ActionResult.Ok;
    }

    private ActionResult GetTableLineages(ActionCall call)
    {
        if (Matching(call, out var matches, out var dropped) is { } error)
        {
            return new ActionResult(error);
        }

        return new ActionResult(null, json =>
        {
            json.WriteStartArray("TableLineageList");
            foreach (var edge in matches)
            {
                json.WriteStartObject();
                WriteTable(json, "Input", edge.Source, dropped);
                WriteTable(json, "Output", edge.Target, dropped);
                WriteNode(json, edge);
                json.WriteEndObject();
            }

            json.WriteEndArray();
        });
    }

    /// <summary>The field lineages of the table edges <c>GetTableLineages</c> would answer, one row per field edge.</summary>
    private ActionResult GetTableColumnLineages(ActionCall call)
    {
        if (Matching(call, out var matches, out var dropped) is { } error)
        {
            return new ActionResult(error);
        }

        return new ActionResult(null, json =>
        {
            json.WriteStartArray("TableColumnLineageList");
            foreach (var edge in matches)
            {
                foreach (var field in edge.FieldLineages)
                {
                    json.WriteStartObject();
                    WriteTable(json, "Input", edge.Source, dropped);
                    json.WriteString("InputColumnGuid", ColumnGuid(edge.Source, field.Source));
                    json.WriteString("InputColumnName", field.Source.Name ?? field.Source.EmulatorGuid.Split('.')[^1]);
                    WriteTable(json, "Output", edge.Target, dropped);
                    json.WriteString("OutputColumnGuid", ColumnGuid(edge.Target, field.Target));
                    json.WriteString("OutputColumnName", field.Target.Name ?? field.Target.EmulatorGuid.Split('.')[^1]);
                    WriteNode(json, edge);
                    json.WriteEndObject();
                }
            }

            json.WriteEndArray();
        });
    }

    /// <summary>
    /// The tables the store's lineage names (each table end of an edge, once), filtered by <c>Name</c> (exact with
    /// <c>QueryMode</c> <c>EXACT_MATCH</c>, the default; contained otherwise) and <c>Keyword</c> (contained in the
    /// name or full name), paged by <c>PageNum</c> and <c>PageSize</c> (1 and 10 by default).
    /// </summary>
    private ActionResult ListCatalogAssets(ActionCall call)
    {
        if (Query(call, "ListCatalogAssetsQuery", out var query) is { } error)
        {
            return new ActionResult(error);
        }

        var type = Text(query, "AssetType");
        var name = Text(query, "Name");
        var keyword = Text(query, "Keyword");
        var exact = !string.Equals(Text(query, "QueryMode"), "ASSET_SEARCH", StringComparison.OrdinalIgnoreCase);
        var page = Math.Max(1, Int(query, "PageNum") ?? 1);
        var size = Math.Clamp(Int(query, "PageSize") ?? 10, 1, 1000);
        var dropped = state.Lineage.Dropped(call.TenantId);
        var tables = Tables(call.TenantId)
            .Where(t => !dropped.Contains(t.EmulatorGuid))
            .Where(t => type is null || Same(type, "TABLE"))
            .Where(t => string.IsNullOrEmpty(name) || (exact ? Same(AssetName(t), name!) : AssetName(t).Contains(name!, StringComparison.OrdinalIgnoreCase)))
            .Where(t => string.IsNullOrEmpty(keyword) || AssetName(t).Contains(keyword!, StringComparison.OrdinalIgnoreCase) || FullName(t).Contains(keyword!, StringComparison.OrdinalIgnoreCase))
            .ToList();
        return new ActionResult(null, json =>
        {
            json.WriteStartObject("Data");
            json.WriteNumber("TotalCount", tables.Count);
            json.WriteStartArray("AssetList");
            foreach (var table in tables.Skip((page - 1) * size).Take(size))
            {
                json.WriteStartObject();
                WriteAsset(json, table);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        });
    }

    /// <summary>One table the store's lineage names, by GUID, with its columns (the fields its lineage names) when asked; no Data for another GUID.</summary>
    private ActionResult GetCatalogAssetDetails(ActionCall call)
    {
        if (Query(call, "GetCatalogAssetDetailsQuery", out var query) is { } error)
        {
            return new ActionResult(error);
        }

        var guid = Text(query, "Guid") ?? string.Empty;
        var table = Tables(call.TenantId).FirstOrDefault(t => Same(t.EmulatorGuid, guid));
        if (table is null || state.Lineage.Dropped(call.TenantId).Contains(guid))
        {
            // A GUID no lineage names, or a dropped table: a successful answer without Data, as for an asset the caller cannot see.
            return new ActionResult(null, _ => { });
        }

        var columns = new List<string>();
        if (query.TryGetProperty("IncludeColumns", out var include) && include.ValueKind == JsonValueKind.True)
        {
            foreach (var edge in state.Lineage.Snapshot(call.TenantId))
            {
                foreach (var field in edge.FieldLineages)
                {
                    if (Same(edge.Source.EmulatorGuid, guid))
                    {
                        columns.Add(field.Source.Name ?? field.Source.EmulatorGuid.Split('.')[^1]);
                    }

                    if (Same(edge.Target.EmulatorGuid, guid))
                    {
                        columns.Add(field.Target.Name ?? field.Target.EmulatorGuid.Split('.')[^1]);
                    }
                }
            }
        }

        return new ActionResult(null, json =>
        {
            json.WriteStartObject("Data");
            WriteAsset(json, table);
            if (columns.Count > 0)
            {
                json.WriteStartArray("Columns");
                foreach (var column in columns.Distinct(StringComparer.OrdinalIgnoreCase))
                {
                    json.WriteStartObject();
                    json.WriteString("Guid", table.EmulatorGuid + "." + column);
                    json.WriteString("Name", column);
                    json.WriteEndObject();
                }

                json.WriteEndArray();
            }

            json.WriteEndObject();
        });
    }

    /// <summary>
    /// Reads TableGuid and FilterQuery and picks the store's table edges they ask for. <c>NeedUpstream</c> (the edges
    /// into the table) and <c>NeedDownstream</c> (the edges out of it) are true when absent; <c>NeedNotExistObject</c>
    /// (false when absent) keeps the edges naming a table dropped from the catalog (<see cref="DataphinEmulator.DropTable"/>);
    /// <c>NodeEnv</c> keeps the edges whose tables have that environment or none (registered lineage has no node, so
    /// its tables' environment stands for the node's); a non-empty <c>NodeIdList</c> keeps the edges found in one of those
    /// task nodes (registered lineage has none). A GUID no lineage names gets an empty list, as a table without lineage:
    /// the reference documents no error for it.
    /// </summary>
    private ServiceError? Matching(ActionCall call, out List<RegisteredTableLineage> matches, out IReadOnlySet<string> dropped)
    {
        matches = [];
        dropped = state.Lineage.Dropped(call.TenantId);
        var guid = call.QueryParameter("TableGuid");
        if (string.IsNullOrWhiteSpace(guid))
        {
            return ServiceError.MissingParameter("TableGuid");
        }

        bool needUpstream = true, needDownstream = true, needNotExist = false;
        string? nodeEnv = null;
        HashSet<string>? nodeIds = null;
        var filter = call.FormField("FilterQuery");
        if (!string.IsNullOrWhiteSpace(filter))
        {
            try
            {
                using var document = JsonDocument.Parse(filter);
                var root = document.RootElement;
                if (root.ValueKind != JsonValueKind.Object)
                {
                    return ServiceError.InvalidParameter("FilterQuery must be a JSON object.");
                }

                needUpstream = Bool(root, "NeedUpstream") ?? true;
                needDownstream = Bool(root, "NeedDownstream") ?? true;
                needNotExist = Bool(root, "NeedNotExistObject") ?? false;
                nodeEnv = root.TryGetProperty("NodeEnv", out var env) && env.ValueKind == JsonValueKind.String ? env.GetString() : null;
                if (root.TryGetProperty("NodeIdList", out var list) && list.ValueKind == JsonValueKind.Array && list.GetArrayLength() > 0)
                {
                    nodeIds = new HashSet<string>(StringComparer.Ordinal);
                    foreach (var id in list.EnumerateArray())
                    {
                        nodeIds.Add(id.ValueKind == JsonValueKind.String ? id.GetString()! : id.GetRawText());
                    }
                }
            }
            catch (JsonException e)
            {
                return ServiceError.InvalidParameter("FilterQuery is not valid JSON: " + e.Message);
            }
        }

        var edges = state.Lineage.Snapshot(call.TenantId);
        if (needUpstream)
        {
            matches.AddRange(edges.Where(e => Same(e.Target.EmulatorGuid, guid)));
        }

        if (needDownstream)
        {
            var upstream = matches.ToList();
            matches.AddRange(edges.Where(e => Same(e.Source.EmulatorGuid, guid) && !upstream.Contains(e)));
        }

        if (!needNotExist)
        {
            var gone = dropped;
            matches = matches.Where(e => !gone.Contains(e.Source.EmulatorGuid) && !gone.Contains(e.Target.EmulatorGuid)).ToList();
        }

        if (!string.IsNullOrEmpty(nodeEnv))
        {
            matches = matches.Where(e => EnvMatches(e.Source, nodeEnv) && EnvMatches(e.Target, nodeEnv)).ToList();
        }

        if (nodeIds is not null)
        {
            matches = matches.Where(e => e.NodeId is { } node && nodeIds.Contains(node)).ToList();
        }

        return null;
    }

    /// <summary>Parses the JSON object a catalog query is sent as (the request shape has already checked it is one).</summary>
    private static ServiceError? Query(ActionCall call, string field, out JsonElement query)
    {
        query = default;
        var text = call.FormField(field);
        if (string.IsNullOrWhiteSpace(text))
        {
            return ServiceError.MissingParameter(field);
        }

        try
        {
            using var document = JsonDocument.Parse(text);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                return ServiceError.InvalidParameter(field + " must be a JSON object.");
            }

            query = document.RootElement.Clone();
            return null;
        }
        catch (JsonException e)
        {
            return ServiceError.InvalidParameter(field + " is not valid JSON: " + e.Message);
        }
    }

    /// <summary>Every table end of the store's edges, once per GUID, in the order first registered.</summary>
    private List<RegisteredReference> Tables(long tenantId)
    {
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var tables = new List<RegisteredReference>();
        foreach (var edge in state.Lineage.Snapshot(tenantId))
        {
            foreach (var table in new[] { edge.Source, edge.Target })
            {
                if (seen.Add(table.EmulatorGuid))
                {
                    tables.Add(table);
                }
            }
        }

        return tables;
    }

    private static void WriteAsset(Utf8JsonWriter json, RegisteredReference table)
    {
        json.WriteString("Guid", table.EmulatorGuid);
        json.WriteString("AssetType", "TABLE");
        json.WriteString("AssetName", AssetName(table));
        json.WriteString("AssetFullName", FullName(table));
        if (table.Schema is { } schema)
        {
            json.WriteString("ProjectName", schema);
        }

        if (table.MetadataSubType is { } subType)
        {
            json.WriteString("SubType", subType);
        }

        json.WriteBoolean("IsDeleted", false);
    }

    private static string AssetName(RegisteredReference table) => table.Name ?? table.EmulatorGuid.Split('.')[^1];

    private static string FullName(RegisteredReference table) => table.Schema is { } schema ? schema + "." + AssetName(table) : AssetName(table);

    private static string ColumnGuid(RegisteredReference table, RegisteredReference column)
        => column.Guid is { } guid && !string.IsNullOrEmpty(guid) ? guid : table.EmulatorGuid + "." + (column.Name ?? string.Empty);

    private static string? Text(JsonElement root, string name)
        => root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static int? Int(JsonElement root, string name)
        => root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var number) ? number
            : root.TryGetProperty(name, out value) && value.ValueKind == JsonValueKind.String && int.TryParse(value.GetString(), System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out number) ? number
            : null;

    /// <summary>The tenants the calling AccessKey may use, in the shape of the service's TenantList (the emulator knows no names: "tenant &lt;id&gt;").</summary>
    private ActionResult GetMyTenants(ActionCall call)
    {
        var tenants = (call.Key?.TenantIds ?? []).Where(state.Tenants.ContainsKey).Distinct().OrderBy(t => t).ToList();
        return new ActionResult(null, json =>
        {
            json.WriteStartArray("TenantList");
            foreach (var tenant in tenants)
            {
                json.WriteStartObject();
                json.WriteNumber("Id", tenant);
                json.WriteString("Name", $"tenant {tenant}");
                json.WriteBoolean("Deleted", false);
                json.WriteBoolean("Visible", true);
                json.WriteBoolean("OpsTenant", false);
                json.WriteEndObject();
            }

            json.WriteEndArray();
        });
    }

    private static void WriteNode(Utf8JsonWriter json, RegisteredTableLineage edge)
    {
        if (edge.NodeId is { } node)
        {
            json.WriteString("NodeId", node);
        }
    }

    private static void WriteTable(Utf8JsonWriter json, string side, RegisteredReference table, IReadOnlySet<string> dropped)
    {
        json.WriteString(side + "TableGuid", table.EmulatorGuid);
        json.WriteString(side + "TableName", table.Name ?? table.EmulatorGuid.Split('.')[^1]);
        if (table.Env is { } env)
        {
            json.WriteString(side + "TableEnv", env);
        }

        json.WriteBoolean(side + "TableDeleted", dropped.Contains(table.EmulatorGuid));
    }

    private static bool Same(string a, string b) => string.Equals(a, b, StringComparison.OrdinalIgnoreCase);

    private static bool EnvMatches(RegisteredReference table, string env) => table.Env is null || Same(table.Env, env);

    private static bool? Bool(JsonElement root, string name)
        => root.TryGetProperty(name, out var value) && value.ValueKind is JsonValueKind.True or JsonValueKind.False ? value.GetBoolean() : null;
}
