using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Dataphin.OpenApi.Models;
using Dataphin.OpenApi.Refit;
using Dataphin.OpenApi.Testing;
using Dataphin.OpenApi.Tests.Authentication;
using Dataphin.OpenApi.Tests.Support;
using Refit;

namespace Dataphin.OpenApi.Tests.Refit;

/// <summary>
/// <see cref="IDataphinApi"/> (the generated Refit interface) and users' own Refit interfaces, sent through
/// <see cref="DataphinPipelineHandler"/>: the same bytes, checks and exceptions as the SDK's own methods.
/// </summary>
public sealed partial class RefitPathTests
{
    private const long Tenant = 300001234;
    private const string Nonce = "00112233445566778899aabbccddeeff";
    private const string Awkward = "a b+c!'()*~/订单&x=y";

    private static readonly DateTimeOffset Now = new(2026, 1, 2, 3, 4, 5, TimeSpan.Zero);

    private static DataphinClient Client(FakeDataphinTransport transport, Action<DataphinClientOptions>? configure = null)
    {
        var client = TestClients.Create(transport, configure: o =>
        {
            o.TimeProvider = new ManualTimeProvider(Now);
            configure?.Invoke(o);
        });
        client.CallInvoker.Attempts.NonceFactory = () => Nonce;
        return client;
    }

    private static UpdateDatasetRequest AwkwardUpdate() => new()
    {
        ProjectId = "72733 82541481536",
        UpdateCommand = new() { FileId = "7261110566632832", Id = 7280832407583104, Name = Awkward, Description = "déjà vu (test) *" },
    };

    [Fact]
    public async Task The_official_clients_delete_vector_is_reproduced_byte_for_byte_through_IDataphinApi()
    {
        var golden = JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Goldens", "v3-delete-register-lineage.json"))).RootElement;
        var request = golden.GetProperty("request");
        var credentials = golden.GetProperty("credentials");
        var transport = new FakeDataphinTransport();
        using var client = new DataphinClient(transport.CreateHttpClient(), new DataphinClientOptions
        {
            Endpoint = new Uri("https://" + request.GetProperty("headers").GetProperty("host").GetString()),
            Credential = new DataphinCredential(credentials.GetProperty("accessKeyId").GetString()!, credentials.GetProperty("accessKeySecret").GetString()!),
            TimeProvider = new ManualTimeProvider(DateTimeOffset.Parse(golden.GetProperty("fixed").GetProperty("date").GetString()!, System.Globalization.CultureInfo.InvariantCulture)),
        });
        client.CallInvoker.Attempts.NonceFactory = () => golden.GetProperty("fixed").GetProperty("nonce").GetString()!;
        var api = DataphinRefit.For(client);

        var response = await api.DeleteRegisterLineageAsync(golden.GetProperty("operation").GetProperty("opTenantId").GetInt64(), GoldenSignatureTests.GoldenDeleteCommand());

        var sent = Assert.Single(transport.Requests);
        Assert.Equal(Convert.FromBase64String(request.GetProperty("bodyBase64").GetString()!), sent.Body.ToArray());
        Assert.Equal(request.GetProperty("rawUrl").GetString(), sent.Uri.PathAndQuery);
        Assert.Equal(request.GetProperty("bodySha256").GetString(), sent.Header("x-acs-content-sha256"));
        Assert.Equal(golden.GetProperty("expected").GetProperty("authorization").GetString(), sent.Header("authorization"));
        Assert.Equal(sent.Header("x-acs-request-id") ?? response.RequestId, response.RequestId);
        Assert.True(response.Success);
    }

    [Fact]
    public async Task A_call_through_IDataphinApi_sends_exactly_what_the_generated_method_sends_in_the_official_form_encoding()
    {
        var transport = new FakeDataphinTransport();
        using var client = Client(transport);
        var api = DataphinRefit.For(client);

        var viaMethod = await client.Datasets.UpdateDatasetAsync(Tenant, AwkwardUpdate());
        var viaRefit = await api.UpdateDatasetAsync(Tenant, AwkwardUpdate());

        Assert.Equal(2, transport.Requests.Count);
        var (method, refit) = (transport.Requests[0], transport.Requests[1]);
        Assert.Equal(method.Uri, refit.Uri);
        Assert.Equal(method.Body.ToArray(), refit.Body.ToArray());
        Assert.Equal(method.Headers.OrderBy(h => h.Key, StringComparer.Ordinal), refit.Headers.OrderBy(h => h.Key, StringComparer.Ordinal));
        Assert.Equal(("UpdateDataset", "72733 82541481536"), (refit.Action, refit.Query["ProjectId"]));

        // The official clients' encoding: a space is %20, !'()* and ~ stay as they are; never Refit's '+'.
        Assert.DoesNotContain('+', refit.BodyText);
        Assert.Contains("a%20b%2Bc!'()*~%2F", refit.BodyText, StringComparison.Ordinal);
        Assert.Equal(Awkward, JsonDocument.Parse(refit.Form["UpdateCommand"]).RootElement.GetProperty("Name").GetString());
        Assert.Equal(viaMethod.RequestId is null, viaRefit.RequestId is null);
        Assert.Equal(viaMethod.Success, viaRefit.Success);
    }

    [Fact]
    public async Task Missing_required_parameters_are_reported_together_before_anything_is_sent()
    {
        var transport = new FakeDataphinTransport();
        using var client = Client(transport);
        var api = DataphinRefit.For(client);

        var error = await Assert.ThrowsAsync<DataphinValidationException>(() => api.UpdateDatasetAsync(Tenant, new UpdateDatasetRequest { UpdateCommand = new() { Name = "x" } }));

        Assert.Equal("UpdateDataset", error.OperationName);
        Assert.Equal(["ProjectId", "UpdateCommand.FileId", "UpdateCommand.Id"], error.Errors.Select(e => e.Path).Order(StringComparer.Ordinal));
        Assert.All(error.Errors, e => Assert.Equal(DataphinValidationRules.Required, e.Rule));
        Assert.Empty(transport.Requests);
    }

    [Fact]
    public async Task A_null_request_where_the_operation_needs_one_is_refused_and_an_optional_one_sends_only_the_tenant()
    {
        var transport = new FakeDataphinTransport();
        using var client = Client(transport);
        var api = DataphinRefit.For(client);

        var error = await Assert.ThrowsAsync<DataphinValidationException>(() => api.UpdateDatasetAsync(Tenant, null!));
        Assert.Equal((DataphinPipelineHandler.RequestOptionKey, DataphinValidationRules.Required), (Assert.Single(error.Errors).Path, error.Errors[0].Rule));
        var lineage = await Assert.ThrowsAsync<DataphinValidationException>(() => api.AddRegisterLineageAsync(Tenant, null!));
        Assert.Equal("AddRegisterLineage", lineage.OperationName);
        Assert.Empty(transport.Requests);

        await api.GetMyTenantsAsync(Tenant);
        var sent = Assert.Single(transport.Requests);
        Assert.Equal($"/?OpTenantId={Tenant}", sent.Uri.PathAndQuery);
        Assert.Equal(0, sent.Body.Length);
    }

    [Fact]
    public async Task A_lineage_command_through_IDataphinApi_is_checked_with_every_lineage_rule()
    {
        var transport = new FakeDataphinTransport();
        using var client = Client(transport);
        var api = DataphinRefit.For(client);
        var command = TestClients.ValidAddCommand(fieldLineages: 101);

        var error = await Assert.ThrowsAsync<DataphinValidationException>(() => api.AddRegisterLineageAsync(Tenant, command));

        Assert.Equal(LineageCommandValidator.Validate(Tenant, command).Select(e => (e.Path, e.Rule)), error.Errors.Select(e => (e.Path, e.Rule)));
        Assert.NotEmpty(error.Errors);
        Assert.Empty(transport.Requests);
    }

    [Fact]
    public async Task Failures_surface_as_the_sdks_exceptions_not_wrapped_by_Refit()
    {
        var transport = new FakeDataphinTransport();
        transport.Respond("GetBatchTaskInfo", FakeDataphinResponse.BusinessError("InvalidParameter.FileId", "FileId 5 does not exist.", requestId: "REQ-1"));
        using var client = Client(transport, o => o.Edition = DataphinEdition.Agile);
        var api = DataphinRefit.For(client);

        var failed = await Assert.ThrowsAsync<DataphinRequestException>(() => api.GetBatchTaskInfoAsync(Tenant, new GetBatchTaskInfoRequest { FileId = 5, ProjectId = 7 }));
        Assert.Equal(("InvalidParameter.FileId", "REQ-1", "GetBatchTaskInfo"), (failed.ErrorCode, failed.RequestId, failed.Operation));

        var edition = await Assert.ThrowsAsync<DataphinEditionException>(() => api.GetDataServiceMyProjectsAsync(Tenant));
        Assert.Equal("GetDataServiceMyProjects", edition.Operation);
        Assert.Single(transport.Requests);

        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => api.GetBatchTaskInfoAsync(Tenant, new GetBatchTaskInfoRequest { FileId = 5, ProjectId = 7 }, cancelled.Token));
    }

    [Fact]
    public async Task An_answer_that_does_not_fit_the_response_type_names_the_operation_and_the_request_id()
    {
        var transport = new FakeDataphinTransport();
        transport.Respond("GetBatchTaskInfo", FakeDataphinResponse.Json(HttpStatusCode.OK, "{\"RequestId\":\"REQ-2\",\"Success\":true,\"TaskInfo\":\"not an object\"}"));
        using var client = Client(transport);
        var api = DataphinRefit.For(client);

        var error = await Assert.ThrowsAsync<DataphinRequestException>(() => api.GetBatchTaskInfoAsync(Tenant, new GetBatchTaskInfoRequest { FileId = 5, ProjectId = 7 }));

        Assert.Equal(("GetBatchTaskInfo", "REQ-2"), (error.Operation, error.RequestId));
        Assert.IsAssignableFrom<JsonException>(error.InnerException);
    }

    [Fact]
    public async Task A_typed_request_option_refuses_other_parameters_and_foreign_objects()
    {
        var transport = new FakeDataphinTransport();
        using var client = Client(transport);
        using var http = new HttpClient(new DataphinPipelineHandler(client)) { BaseAddress = client.Endpoint };

        using var extraQuery = Typed($"?OpTenantId={Tenant}&Env=PROD", new GetBatchTaskInfoRequest { FileId = 1, ProjectId = 2 });
        var first = await Assert.ThrowsAsync<DataphinValidationException>(() => http.SendAsync(extraQuery));
        Assert.Contains(first.Errors, e => e.Path == "RequestUri" && e.Message.Contains("Env", StringComparison.Ordinal));

        using var foreign = Typed($"?OpTenantId={Tenant}", new { FileId = 1 });
        var second = await Assert.ThrowsAsync<DataphinValidationException>(() => http.SendAsync(foreign));
        Assert.Equal((DataphinPipelineHandler.RequestOptionKey, DataphinValidationRules.NotAllowed), (Assert.Single(second.Errors).Path, second.Errors[0].Rule));

        using var mismatch = Typed($"?OpTenantId={Tenant}", new ListFilesRequest());
        var wrongType = await Assert.ThrowsAsync<DataphinValidationException>(() => http.SendAsync(mismatch));
        Assert.Contains("ListFilesRequest", Assert.Single(wrongType.Errors).Message, StringComparison.Ordinal);

        using var wrongCommand = Typed($"?OpTenantId={Tenant}", TestClients.ValidAddCommand());
        var wrongLineage = await Assert.ThrowsAsync<DataphinValidationException>(() => http.SendAsync(wrongCommand));
        Assert.Equal(DataphinPipelineHandler.RequestOptionKey, Assert.Single(wrongLineage.Errors).Path);

        using var body = Typed($"?OpTenantId={Tenant}", new GetBatchTaskInfoRequest { FileId = 1, ProjectId = 2 });
        body.Content = new DataphinFormContent([new("Env", "PROD")]);
        var third = await Assert.ThrowsAsync<DataphinValidationException>(() => http.SendAsync(body));
        Assert.Equal("Content", Assert.Single(third.Errors).Path);
        Assert.Empty(transport.Requests);

        static HttpRequestMessage Typed(string uri, object request)
        {
            var message = new HttpRequestMessage(HttpMethod.Post, uri);
            message.Headers.Add(DataphinPipelineHandler.ActionHeader, "GetBatchTaskInfo");
            message.Options.Set(new HttpRequestOptionsKey<object?>(DataphinPipelineHandler.RequestOptionKey), request);
            return message;
        }
    }

    [Fact]
    public async Task A_users_own_Refit_interface_sends_through_the_same_handler_with_the_sdks_signing_and_encoding()
    {
        var transport = new FakeDataphinTransport();
        transport.Respond("GetBatchTaskInfo", FakeDataphinResponse.Json(HttpStatusCode.OK, "{\"RequestId\":\"REQ-3\",\"TaskInfo\":{\"Code\":\"show tables;\"}}"));
        using var client = Client(transport);
        using var http = new HttpClient(new DataphinPipelineHandler(client)) { BaseAddress = client.Endpoint, Timeout = Timeout.InfiniteTimeSpan };
        var mine = RestService.ForGenerated<IMyDataphin>(http, MyJsonContext.Default);

        var task = await mine.GetTaskAsync(Tenant, 5, 7);
        var viaMethod = await client.DataDevelopment.BatchTask.GetBatchTaskInfoAsync(Tenant, new GetBatchTaskInfoRequest { FileId = 5, ProjectId = 7 });
        await mine.ListFilesAsync(Tenant, new DataphinFormContent([new("ListQuery", "{\"Keyword\":\"" + Awkward + "\"}")]));

        Assert.Equal(("REQ-3", "show tables;"), (task.RequestId, task.TaskInfo!.Code));
        Assert.Equal(viaMethod.TaskInfo!.Code, task.TaskInfo.Code);
        var (own, sdk, form) = (transport.Requests[0], transport.Requests[1], transport.Requests[2]);
        Assert.Equal(sdk.Header("authorization"), own.Header("authorization"));
        Assert.Equal(sdk.Query.OrderBy(p => p.Key, StringComparer.Ordinal), own.Query.OrderBy(p => p.Key, StringComparer.Ordinal));
        Assert.Equal("ListQuery=" + Uri.EscapeDataString("{\"Keyword\":\"").Replace("%22", "%22", StringComparison.Ordinal) + "a%20b%2Bc!'()*~%2F%E8%AE%A2%E5%8D%95%26x%3Dy%22%7D", form.BodyText);
        Assert.NotNull(form.Header("authorization"));

        // A failure reaches a user's own interface inside Refit's ApiRequestException unless its settings unwrap it.
        transport.Respond("GetBatchTaskInfo", FakeDataphinResponse.BusinessError("Forbidden.NoPermission", "no", httpStatusCode: 403));
        var wrapped = await Assert.ThrowsAsync<ApiRequestException>(() => mine.GetTaskAsync(Tenant, 5, 7));
        Assert.IsAssignableFrom<DataphinRequestException>(wrapped.InnerException);
    }

    public interface IMyDataphin
    {
        [Post("/")]
        [Headers("x-acs-action: GetBatchTaskInfo")]
        Task<MyTaskInfo> GetTaskAsync([Query] long OpTenantId, [Query] long FileId, [Query] long ProjectId);

        [Post("/")]
        [Headers("x-acs-action: ListFiles")]
        Task<MyTaskInfo> ListFilesAsync([Query] long OpTenantId, [Body] DataphinFormContent form);
    }

    public sealed class MyTaskInfo
    {
        public string? RequestId { get; set; }

        public MyTask? TaskInfo { get; set; }
    }

    public sealed class MyTask
    {
        public string? Code { get; set; }
    }

    [JsonSerializable(typeof(MyTaskInfo))]
    internal sealed partial class MyJsonContext : JsonSerializerContext;
}
