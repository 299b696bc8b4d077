using System.Globalization;
using System.Net;
using System.Text.Json;
using Dataphin.OpenApi.Clients;
using Dataphin.OpenApi.Models;
using Dataphin.OpenApi.Testing;
using Dataphin.OpenApi.Tests.Support;

namespace Dataphin.OpenApi.Tests.Operations;

/// <summary>
/// The generated operation methods on a recording transport: what they send (query, JSON form fields), what they refuse
/// before sending, how they read the answer, and how users mock them.
/// </summary>
public sealed class GeneratedOperationTests
{
    private const long Tenant = 300001234;

    [Fact]
    public async Task Missing_required_parameters_are_reported_all_at_once_with_wire_paths_and_nothing_is_sent()
    {
        var handler = new FakeDataphinTransport();
        using var client = TestClients.Create(handler);

        var error = await Assert.ThrowsAsync<DataphinValidationException>(() => client.DataDevelopment.DirectoryTree.ListFilesAsync(0, new ListFilesRequest { ListQuery = new() { Category = "tempCode" } }));

        Assert.Equal("ListFiles", error.OperationName);
        Assert.Equal(
            [("OpTenantId", "Positive"), ("ListQuery.Directory", "Required"), ("ListQuery.Env", "Required"), ("ListQuery.ProjectId", "Required"), ("ListQuery.Recursive", "Required")],
            error.Errors.Select(e => (e.Path, e.Rule)));
        Assert.Contains("ListQuery.ProjectId is required.", error.Message, StringComparison.Ordinal);
        Assert.Empty(handler.Requests);

        var missing = await Assert.ThrowsAsync<DataphinValidationException>(() => client.DataDevelopment.DirectoryTree.ListFilesAsync(Tenant, new ListFilesRequest()));
        Assert.Equal(("ListQuery", "Required"), (Assert.Single(missing.Errors).Path, missing.Errors[0].Rule));
        Assert.Empty(handler.Requests);
    }

    [Fact]
    public async Task Each_item_of_a_list_is_checked_and_an_empty_required_list_or_text_counts_as_missing()
    {
        var handler = new FakeDataphinTransport();
        using var client = TestClients.Create(handler);
        var request = new AddDataServiceAppMemberRequest
        {
            AddCommand = new() { AppId = 7, MemberList = [new() { UserId = "u1" }, null!, new() { EffectiveEnd = "2026-12-12", UserId = string.Empty }] },
        };

        var error = await Assert.ThrowsAsync<DataphinValidationException>(() => client.DataService.ApplicationMember.AddDataServiceAppMemberAsync(Tenant, request));

        Assert.Equal(["AddCommand.MemberList[0].EffectiveEnd", "AddCommand.MemberList[1]", "AddCommand.MemberList[2].UserId"], error.Errors.Select(e => e.Path));
        Assert.All(error.Errors, e => Assert.Equal(DataphinValidationRules.Required, e.Rule));

        request.AddCommand.MemberList = [];
        var empty = await Assert.ThrowsAsync<DataphinValidationException>(() => client.DataService.ApplicationMember.AddDataServiceAppMemberAsync(Tenant, request));
        Assert.Equal("AddCommand.MemberList is required and must not be empty.", Assert.Single(empty.Errors).Message);
        Assert.Empty(handler.Requests);
    }

    [Fact]
    public async Task A_required_request_left_null_is_an_ArgumentNullException_and_an_optional_one_may_be_left_out()
    {
        var handler = new FakeDataphinTransport();
        using var client = TestClients.Create(handler);

        var error = await Assert.ThrowsAsync<ArgumentNullException>(() => client.DataAsset.ListCatalogAssetsAsync(Tenant, null!));
        Assert.Equal("request", error.ParamName);
        Assert.Empty(handler.Requests);

        var roles = await client.PlatformManagement.UserAndAuthorization.GetMyRolesAsync(Tenant);

        Assert.Equal("82E78D6B-AA8F-1FEF-8AA3-5C9DA2A79140", roles.RequestId);
        var sent = Assert.Single(handler.Requests);
        Assert.Equal("/?OpTenantId=300001234", sent.Uri.PathAndQuery);
        Assert.Equal(0, sent.Body.Length);
        Assert.Equal("GetMyRoles", sent.Header("x-acs-action"));
    }

    [Fact]
    public async Task Scalars_travel_in_the_query_as_invariant_text_and_unset_ones_are_not_sent()
    {
        var handler = new FakeDataphinTransport();
        using var client = TestClients.Create(handler);
        var culture = CultureInfo.CurrentCulture;
        CultureInfo.CurrentCulture = CultureInfo.GetCultureInfo("tr-TR");
        try
        {
            await client.DataDevelopment.BatchTask.GetBatchTaskInfoAsync(Tenant, new GetBatchTaskInfoRequest { FileId = -12345678901, ProjectId = 7, IncludeAllUpStreams = true });
        }
        finally
        {
            CultureInfo.CurrentCulture = culture;
        }

        var sent = Assert.Single(handler.Requests);
        Assert.Equal("/?OpTenantId=300001234&FileId=-12345678901&IncludeAllUpStreams=true&ProjectId=7", sent.Uri.PathAndQuery);
        Assert.Equal(0, sent.Body.Length);
    }

    [Fact]
    public async Task Objects_travel_as_compact_JSON_form_fields_with_raw_UTF8_in_declaration_order_without_unset_members()
    {
        var handler = new FakeDataphinTransport();
        using var client = TestClients.Create(handler);
        var culture = CultureInfo.CurrentCulture;
        CultureInfo.CurrentCulture = CultureInfo.GetCultureInfo("de-DE");
        try
        {
            await client.DataAsset.ListCatalogAssetsAsync(Tenant, new ListCatalogAssetsRequest { ListCatalogAssetsQuery = new() { PageNum = 1, Name = "订单 & <b>'x'</b>", AssetType = "TABLE" } });
            await client.PlatformManagement.Project.ListProjectsAsync(Tenant, new ListProjectsRequest { ListQuery = new() { TagList = [] } });
            await client.KnowledgeGraph.SearchKgBySemanticAsync(Tenant, new SearchKgBySemanticRequest { WorkspaceId = "w1", SearchCommand = new() { QueryText = "q", MinSimilarity = 0.75f, TopK = 3 } });
        }
        finally
        {
            CultureInfo.CurrentCulture = culture;
        }

        Assert.Equal("""{"AssetType":"TABLE","Name":"订单 & <b>'x'</b>","PageNum":1}""", handler.Requests[0].Form["ListCatalogAssetsQuery"]);
        Assert.Equal("""{"TagList":[]}""", handler.Requests[1].Form["ListQuery"]);
        Assert.Contains("\"MinSimilarity\":0.75,", handler.Requests[2].Form["SearchCommand"], StringComparison.Ordinal);
        Assert.Equal("/?OpTenantId=300001234", handler.Requests[0].Uri.PathAndQuery);
        Assert.StartsWith("ListCatalogAssetsQuery=%7B%22AssetType%22%3A%22TABLE%22%2C%22Name%22%3A%22%E8%AE%A2%E5%8D%95%20%26%20%3Cb%3E'x'%3C%2Fb%3E%22", handler.Requests[0].BodyText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_answer_is_read_into_the_typed_response_with_its_nested_lists()
    {
        const string Body = """
            {"RequestId":"R-1","Success":true,"Code":"OK","HttpStatusCode":200,"Message":"ok",
             "Data":{"AssetList":[{"AssetName":"t1","BizUnitId":"42","AssetTags":["a","b"]},{"AssetName":"t2"}],"TotalCount":2}}
            """;
        var handler = new FakeDataphinTransport { Fallback = FakeDataphinResponse.Json(HttpStatusCode.OK, Body) };
        using var client = TestClients.Create(handler);

        var response = await client.DataAsset.ListCatalogAssetsAsync(Tenant, new ListCatalogAssetsRequest { ListCatalogAssetsQuery = new() });

        Assert.Equal(("R-1", true, 2L), (response.RequestId, response.Success, response.Data!.TotalCount));
        var assets = response.Data.AssetList!;
        Assert.Equal(["t1", "t2"], assets.Select(a => a.AssetName));
        Assert.Equal(42L, assets[0].BizUnitId);
        Assert.Equal(["a", "b"], assets[0].AssetTags!);
        Assert.Null(assets[1].AssetTags);
    }

    [Fact]
    public async Task An_answer_that_does_not_fit_the_response_type_is_a_request_exception_naming_the_request_id()
    {
        var handler = new FakeDataphinTransport { Fallback = FakeDataphinResponse.Json(HttpStatusCode.OK, """{"RequestId":"R-2","Success":true,"Code":"OK","Data":"not an object"}""") };
        using var client = TestClients.Create(handler);

        var error = await Assert.ThrowsAsync<DataphinRequestException>(() => client.DataAsset.ListCatalogAssetsAsync(Tenant, new ListCatalogAssetsRequest { ListCatalogAssetsQuery = new() }));

        Assert.Equal(("ListCatalogAssets", "R-2", 200), (error.Operation, error.RequestId, error.Status));
        Assert.Contains("does not fit the documented response of ListCatalogAssets", error.Message, StringComparison.Ordinal);
        Assert.IsAssignableFrom<JsonException>(error.InnerException);
    }

    [Fact]
    public async Task The_lineage_commands_through_the_sub_client_keep_their_rules_and_send_the_bytes_of_the_root_methods()
    {
        var handler = new FakeDataphinTransport();
        using var client = TestClients.Create(handler);
        var command = TestClients.ValidAddCommand(fieldLineages: 3);

        await client.AddRegisterLineageAsync(Tenant, command);
        var typed = await client.DataAsset.AddRegisterLineageAsync(Tenant, command);

        Assert.Equal(("82E78D6B-AA8F-1FEF-8AA3-5C9DA2A79140", true), (typed.RequestId, typed.Success));
        Assert.Equal(handler.Requests[0].BodyText, handler.Requests[1].BodyText);
        Assert.Equal(handler.Requests[0].Uri, handler.Requests[1].Uri);

        var tooMany = TestClients.ValidAddCommand(fieldLineages: 101);
        var error = await Assert.ThrowsAsync<DataphinValidationException>(() => client.DataAsset.AddRegisterLineageAsync(0, tooMany));
        Assert.Equal([("OpTenantId", "Positive"), ("DetailedLineages", "TooMany")], error.Errors.Select(e => (e.Path, e.Rule)));
        await Assert.ThrowsAsync<ArgumentNullException>(() => client.DataAsset.DeleteRegisterLineageAsync(Tenant, null!));
        Assert.Equal(2, handler.Requests.Count);
    }

    [Fact]
    public async Task A_generated_call_is_gated_by_the_operations_edition_before_anything_is_sent()
    {
        var handler = new FakeDataphinTransport();
        using var client = TestClients.Create(handler, configure: o => o.Edition = DataphinEdition.Basic);

        var error = await Assert.ThrowsAsync<DataphinEditionException>(() => client.DataDevelopment.DataArchitecture.ListBizUnitsAsync(Tenant));

        Assert.Contains("ListBizUnits", error.Message, StringComparison.Ordinal);
        Assert.Empty(handler.Requests);
    }

    [Fact]
    public void Sub_clients_are_created_once_per_client_and_shared_by_every_caller()
    {
        using var client = TestClients.Create(new FakeDataphinTransport());
        var seen = new DataDevelopmentBatchTaskClient[16];

        Parallel.For(0, seen.Length, i => seen[i] = client.DataDevelopment.BatchTask);

        Assert.All(seen, c => Assert.Same(seen[0], c));
        Assert.Same(client.DataAsset, client.DataAsset);
        using var other = TestClients.Create(new FakeDataphinTransport());
        Assert.NotSame(client.DataAsset, other.DataAsset);
    }

    [Fact]
    public async Task Generated_methods_send_through_SendAsync_so_a_mocked_client_answers_them()
    {
        using var client = new AnsweringClient("""{"RequestId":"mock","Success":true,"Data":{"TotalCount":5}}""");

        var response = await client.DataAsset.ListCatalogAssetsAsync(Tenant, new ListCatalogAssetsRequest { ListCatalogAssetsQuery = new() { PageSize = 20 } });

        Assert.Equal(("mock", 5L), (response.RequestId, response.Data!.TotalCount));
        var sent = Assert.Single(client.Sent);
        Assert.Equal(("ListCatalogAssets", Tenant), (sent.Action, sent.OpTenantId));
        Assert.Equal([new KeyValuePair<string, string>("ListCatalogAssetsQuery", """{"PageSize":20}""")], sent.Form);
    }

    [Fact]
    public async Task A_sub_client_can_be_mocked_and_one_made_for_mocking_refuses_the_calls_it_does_not_override()
    {
        var assets = new FakeAssets();
        using var client = new ClientWithAssets(assets);

        var response = await client.DataAsset.ListCatalogAssetsAsync(Tenant, new ListCatalogAssetsRequest());

        Assert.Equal("canned", response.RequestId);
        var error = await Assert.ThrowsAsync<NotSupportedException>(() => assets.GetBizMetricByNameAsync(Tenant, new GetBizMetricByNameRequest { BizMetricByNameQuery = new() { Draft = false, Name = "gmv" } }));
        Assert.Contains("created for mocking", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_deprecated_operation_is_marked_obsolete_with_its_replacement()
    {
        var method = typeof(DataDevelopmentBatchTaskClient).GetMethod(nameof(DataDevelopmentBatchTaskClient.CreatePipelineNodeAsync))!;

        var obsolete = Assert.Single(method.GetCustomAttributes(typeof(ObsoleteAttribute), inherit: false).Cast<ObsoleteAttribute>());
        Assert.Equal("Deprecated since Dataphin v5.3.1; use CreatePipeline.", obsolete.Message);
    }

    /// <summary>A client mocked the way users mock it: the protected constructor and an override of SendAsync.</summary>
    private sealed class AnsweringClient(string body) : DataphinClient
    {
        public List<DataphinOperationRequest> Sent { get; } = [];

        public override Task<DataphinOperationResponse> SendAsync(DataphinOperationRequest request, CancellationToken cancellationToken = default)
        {
            Sent.Add(request);
            using var document = JsonDocument.Parse(body);
            return Task.FromResult(new DataphinOperationResponse(200, "mock", "OK", null, 200, document.RootElement.Clone()));
        }
    }

    private sealed class FakeAssets : DataAssetClient
    {
        public override Task<ListCatalogAssetsResponse> ListCatalogAssetsAsync(long opTenantId, ListCatalogAssetsRequest request, CancellationToken cancellationToken = default)
            => Task.FromResult(new ListCatalogAssetsResponse { RequestId = "canned", Success = true });
    }

    private sealed class ClientWithAssets(DataAssetClient assets) : DataphinClient
    {
        public override DataAssetClient DataAsset => assets;
    }
}
