using System.CommandLine;
using System.Text.Json;

namespace Dataphin.OpenApi.Cli;

/// <summary><c>dataphin lineage show</c>: the table lineage of one table, read with GetTableLineages (from the service or the emulator).</summary>
internal static class ShowCommand
{
    public static Command Build(TextWriter stdout, CliEnvironment environment)
    {
        var command = new Command("show", "Show the table lineage registered for one table (GetTableLineages), e.g. what the emulator holds after 'lineage add'.");
        var table = new Option<string>("--table", "-t") { Description = "The table GUID, e.g. odps.300001234.dw_project.dwd_trade_order_di.", Required = true, HelpName = "guid" };
        var direction = new Option<string>("--direction") { Description = "Which lineage to show: upstream (tables it comes from), downstream (tables made from it) or both.", DefaultValueFactory = _ => "both", HelpName = "upstream|downstream|both" };
        direction.AcceptOnlyFromAmong("upstream", "downstream", "both");
        var json = new Option<bool>("--json") { Description = "Print one JSON document: the exit code and the service's answer (or the error)." };
        var connection = new ConnectionOptions();
        command.Options.Add(table);
        command.Options.Add(direction);
        command.Options.Add(json);
        connection.AddTo(command, bulk: false);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var tenant = connection.ResolveTenant(parse, environment, dryRun: false);
            using var connected = connection.Connect(parse, environment, dryRun: false);
            var guid = parse.GetValue(table)!;
            var which = parse.GetValue(direction);
            var asJson = parse.GetValue(json);
            var request = new DataphinOperationRequest("GetTableLineages", tenant).AddQuery("TableGuid", guid);
            request.AddForm("FilterQuery", $"{{\"NeedUpstream\":{(which != "downstream" ? "true" : "false")},\"NeedDownstream\":{(which != "upstream" ? "true" : "false")}}}");
            DataphinOperationResponse response;
            try
            {
                response = await connected.Client.SendAsync(request, cancellationToken).ConfigureAwait(false);
            }
            catch (DataphinException error)
            {
                var message = CliText.IsAccountWide(error) ? CliText.AccountAdvice(error, tenant, connected.CredentialSource) : CliText.Failure(error);
                if (asJson)
                {
                    WriteJson(stdout, ExitCodes.ItemsFailed, json =>
                    {
                        json.WriteStartObject("error");
                        json.WriteString("kind", CliText.Kind(error));
                        json.WriteString("message", message);
                        if (error is DataphinRequestException failed)
                        {
                            json.WriteNumber("httpStatus", failed.Status);
                            json.WriteString("code", failed.ErrorCode);
                            json.WriteString("requestId", failed.RequestId);
                        }

                        json.WriteEndObject();
                    });
                }
                else
                {
                    await stdout.WriteLineAsync("GetTableLineages failed: " + message).ConfigureAwait(false);
                }

                return ExitCodes.ItemsFailed;
            }

            if (asJson)
            {
                WriteJson(stdout, ExitCodes.Success, json =>
                {
                    json.WriteString("table", guid);
                    json.WritePropertyName("response");
                    response.Content.WriteTo(json);
                });
                return ExitCodes.Success;
            }

            var count = 0;
            if (response.Content.TryGetProperty("TableLineageList", out var list) && list.ValueKind == JsonValueKind.Array)
            {
                foreach (var edge in list.EnumerateArray())
                {
                    count++;
                    await stdout.WriteLineAsync($"{Text(edge, "InputTableGuid")} -> {Text(edge, "OutputTableGuid")}").ConfigureAwait(false);
                }
            }

            await stdout.WriteLineAsync($"{count} table lineage(s) for {guid}.").ConfigureAwait(false);
            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>The --json output: the operation, the exit code, then the answer or the error.</summary>
    private static void WriteJson(TextWriter stdout, int exitCode, Action<Utf8JsonWriter> body)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            json.WriteStartObject();
            json.WriteString("operation", "lineage show");
            json.WriteNumber("exitCode", exitCode);
            body(json);
            json.WriteEndObject();
        }

        stdout.WriteLine(System.Text.Encoding.UTF8.GetString(buffer.ToArray()));
    }

    private static string Text(JsonElement element, string name)
        => element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString()! : "?";
}
