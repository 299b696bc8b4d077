using System.Text.Json;
using Dataphin.OpenApi.Testing.Lineage;
using Dataphin.OpenApi.Testing.Operations;
using Dataphin.OpenApi.Testing.Protocol;

namespace Dataphin.OpenApi.Testing.Hosting;

/// <summary>
/// Executes an action: the lineage commands against the store (checked by their own parser), and every other
/// operation of the catalog after checking the call against its request tree (<see cref="RequestShape"/>):
/// <c>GetTableLineages</c> over the store, <c>GetMyTenants</c> with the tenants the calling AccessKey may use, the rest
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
        var guid = call.QueryParameter("TableGuid");
        if (string.IsNullOrWhiteSpace(guid))
        {
            return new ActionResult(ServiceError.MissingParameter("TableGuid"));
        }

        bool needUpstream = true, needDownstream = true;
        string? nodeEnv = null;
        var filter = call.FormField("FilterQuery");
        if (!string.IsNullOrWhiteSpace(filter))
        {
            try
            {
                using var document = JsonDocument.Parse(filter);
                var root = document.RootElement;
                if (root.ValueKind != JsonValueKind.Object)
                {
                    return new ActionResult(ServiceError.InvalidParameter("FilterQuery must be a JSON object."));
                }

                needUpstream = Bool(root, "NeedUpstream") ?? true;
                needDownstream = Bool(root, "NeedDownstream") ?? true;
                nodeEnv = root.TryGetProperty("NodeEnv", out var env) && env.ValueKind == JsonValueKind.String ? env.GetString() : null;
            }
            catch (JsonException e)
            {
                return new ActionResult(ServiceError.InvalidParameter("FilterQuery is not valid JSON: " + e.Message));
            }
        }

        var edges = state.Lineage.Snapshot(call.TenantId);
        var matches = new List<RegisteredTableLineage>();
        if (needUpstream)
        {
            matches.AddRange(edges.Where(e => Same(e.Target.EmulatorGuid, guid)));
        }

        if (needDownstream)
        {
            matches.AddRange(edges.Where(e => Same(e.Source.EmulatorGuid, guid) && !matches.Contains(e)));
        }

        if (!string.IsNullOrEmpty(nodeEnv))
        {
            matches = matches.Where(e => EnvMatches(e.Source, nodeEnv) && EnvMatches(e.Target, nodeEnv)).ToList();
        }

        return new ActionResult(null, json =>
        {
            json.WriteStartArray("TableLineageList");
            foreach (var edge in matches)
            {
                json.WriteStartObject();
                WriteTable(json, "Input", edge.Source);
                WriteTable(json, "Output", edge.Target);
                json.WriteEndObject();
            }

            json.WriteEndArray();
        });
    }

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

    private static void WriteTable(Utf8JsonWriter json, string side, RegisteredReference table)
    {
        json.WriteString(side + "TableGuid", table.EmulatorGuid);
        json.WriteString(side + "TableName", table.Name ?? table.EmulatorGuid.Split('.')[^1]);
        if (table.Env is { } env)
        {
            json.WriteString(side + "TableEnv", env);
        }

        json.WriteBoolean(side + "TableDeleted", false);
    }

    private static bool Same(string a, string b) => string.Equals(a, b, StringComparison.OrdinalIgnoreCase);

    private static bool EnvMatches(RegisteredReference table, string env) => table.Env is null || Same(table.Env, env);

    private static bool? Bool(JsonElement root, string name)
        => root.TryGetProperty(name, out var value) && value.ValueKind is JsonValueKind.True or JsonValueKind.False ? value.GetBoolean() : null;
}
