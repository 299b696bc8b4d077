using System.Text.Json;
using System.Text.Json.Nodes;
using Dataphin.OpenApi.IntegrationTests.Support;
using Dataphin.OpenApi.Testing;
using Dataphin.OpenApi.Testing.Operations;

namespace Dataphin.OpenApi.IntegrationTests.GeneratedOperations;

/// <summary>
/// The emulator checks every catalog call against its request tree (raw calls by name, so the SDK's own checks do not
/// stand in front) and answers it from its response tree's examples.
/// </summary>
public sealed class EmulatorCatalogTests
{
    private static readonly DataphinEmulatorOptions NoQuotas = new() { Quotas = EmulatorQuotas.Disabled };

    private static JsonObject ValidListQuery() => new() { ["Category"] = "tempCode", ["Directory"] = "/", ["Env"] = "DEV", ["ProjectId"] = 7, ["Recursive"] = true };

    [Theory]
    [InlineData("missing", 400, "MissingListQuery", "ListQuery is mandatory for this action.")]
    [InlineData("nested", 400, "InvalidParameter", "ListQuery.ProjectId is mandatory for this action.")]
    [InlineData("kind", 400, "InvalidParameter", "ListQuery.ProjectId must be an integer; it is string.")]
    [InlineData("json", 400, "InvalidParameter", "ListQuery is not valid JSON")]
    public async Task A_call_that_breaks_its_request_tree_is_refused_naming_the_parameter(string fault, int status, string code, string message)
    {
        await using var emulator = await DataphinEmulator.StartAsync(NoQuotas);
        using var client = Lineages.Client(emulator, configure: Lineages.SingleAttempt);
        var request = new DataphinOperationRequest("ListFiles", emulator.DefaultTenantId);
        var query = ValidListQuery();
        switch (fault)
        {
            case "nested":
                query.Remove("ProjectId");
                request.AddFormJson("ListQuery", query);
                break;
            case "kind":
                query["ProjectId"] = "7";
                request.AddFormJson("ListQuery", query);
                break;
            case "json":
                request.AddForm("ListQuery", "{\"Category\":");
                break;
        }

        var error = await Assert.ThrowsAsync<DataphinRequestException>(() => client.SendAsync(request));

        Assert.Equal((status, code), (error.Status, error.ErrorCode));
        Assert.StartsWith(message, error.ServiceMessage, StringComparison.Ordinal);
        Assert.False(Assert.Single(emulator.Requests).Applied);
    }

    [Fact]
    public async Task A_query_scalar_of_the_wrong_type_is_refused_and_undeclared_parameters_are_ignored()
    {
        await using var emulator = await DataphinEmulator.StartAsync(NoQuotas);
        using var client = Lineages.Client(emulator, configure: Lineages.SingleAttempt);

        var error = await Assert.ThrowsAsync<DataphinRequestException>(() => client.SendAsync(
            new DataphinOperationRequest("GetBatchTaskInfo", emulator.DefaultTenantId).AddQuery("FileId", "12.5").AddQuery("ProjectId", "7")));
        Assert.Equal(("InvalidParameter", "FileId '12.5' is not an integer."), (error.ErrorCode, error.ServiceMessage));

        var accepted = await client.SendAsync(new DataphinOperationRequest("ListFiles", emulator.DefaultTenantId)
            .AddFormJson("ListQuery", new JsonObject { ["Category"] = "tempCode", ["Directory"] = "/", ["Env"] = "DEV", ["ProjectId"] = 7, ["Recursive"] = true, ["Unknown"] = 1 })
            .AddQuery("Extra", "x"));
        Assert.Equal("OK", accepted.Code);
    }

    [Fact]
    public async Task The_answer_carries_every_documented_field_with_the_catalogs_examples_the_same_every_time()
    {
        await using var emulator = await DataphinEmulator.StartAsync(NoQuotas);
        using var client = Lineages.Client(emulator);
        var request = new DataphinOperationRequest("GetBatchTaskInfo", emulator.DefaultTenantId).AddQuery("FileId", "1").AddQuery("ProjectId", "7");

        var first = await client.SendAsync(request);
        var second = await client.SendAsync(request);

        var task = first.Content.GetProperty("TaskInfo");
        Assert.Equal(("0 0 1 * * ?", "show tables;", "dag_102121211"), (task.GetProperty("CronExpression").GetString(), task.GetProperty("Code").GetString(), task.GetProperty("DagId").GetString()));
        Assert.Equal("HOUR", task.GetProperty("CustomScheduleConfig").GetProperty("IntervalUnit").GetString());
        Assert.Equal(JsonValueKind.Number, task.GetProperty("CustomScheduleConfig").GetProperty("Interval").ValueKind);
        Assert.NotEqual(first.RequestId, second.RequestId);
        Assert.Equal(WithoutRequestId(first.Content), WithoutRequestId(second.Content));
    }

    [Fact]
    public void The_catalog_reader_keeps_where_parameters_travel_and_the_request_and_response_trees()
    {
        var operations = OperationCatalog.ParseOperations("""
            {"apiVersion":"2023-06-30","operations":[{"name":"GetThing","level":null,
              "query":[{"name":"OpTenantId","type":"int64","required":true},{"name":"Id","type":"int64","required":true}],
              "body":[{"name":"Filter","type":"object","required":false,"shrunkJson":true}],
              "request":[{"name":"Filter","type":"object","required":false,"fields":[{"name":"Tags","type":"array<string>","required":true,"enum":["A","B"]}]},
                         {"name":"Id","type":"int64","required":true,"example":"5"},{"name":"OpTenantId","type":"int64","required":true}],
              "response":[{"name":"Items","type":"array<object>","required":false,"fields":[{"name":"Size","type":"map<string,any>","required":false}]}]}]}
            """u8);

        var thing = Assert.Single(operations).Value;
        Assert.Equal(("GetThing", 3), (thing.Name, thing.Level));
        Assert.Equal(["Id", "OpTenantId"], thing.QueryNames.Order(StringComparer.Ordinal));
        Assert.Equal(["Filter"], thing.JsonBodyNames);
        var tags = Assert.Single(thing.Request[0].Fields);
        Assert.Equal((CatalogKind.Array, CatalogKind.String, true), (tags.Type.Kind, tags.Type.Element!.Kind, tags.Required));
        Assert.Equal(["A", "B"], tags.Values);
        Assert.Equal("5", thing.Request[1].Example);
        Assert.Equal(CatalogKind.Map, Assert.Single(Assert.Single(thing.Response).Fields).Type.Kind);
    }

    [Fact]
    public void The_strict_read_of_the_338_case_test_fails_on_an_undeclared_member_and_on_a_missing_required_one()
    {
        var dataset = TestCatalog.Operations["GetDataset"];
        var type = OperationMethods.For("GetDataset").Method.ReturnType.GetGenericArguments()[0];
        const string Complete = """{"RequestId":"r","DatasetDTO":{"VersionList":[{"DataVersionConfig":{"FileStorageConfig":{"DataSourceId":"1","MountPath":"/m","ProdPath":"/p"}}}]}}""";
        Assert.NotNull(WireChecks.ReadStrictly(dataset, type, Complete));

        var extra = Assert.ThrowsAny<JsonException>(() => WireChecks.ReadStrictly(dataset, type, Complete.Replace("\"RequestId\":\"r\"", "\"RequestId\":\"r\",\"Surprise\":1", StringComparison.Ordinal)));
        Assert.Contains("Surprise", extra.Message, StringComparison.Ordinal);
        var missing = Assert.ThrowsAny<JsonException>(() => WireChecks.ReadStrictly(dataset, type, Complete.Replace("\"DataSourceId\":\"1\",", string.Empty, StringComparison.Ordinal)));
        Assert.Contains("DataSourceId", missing.Message, StringComparison.Ordinal);
    }

    private static string WithoutRequestId(JsonElement content)
    {
        var node = JsonNode.Parse(content.GetRawText())!.AsObject();
        node.Remove("RequestId");
        return node.ToJsonString();
    }
}
