using System.Reflection;
using Dataphin.OpenApi.IntegrationTests.Support;
using Dataphin.OpenApi.Refit;
using Dataphin.OpenApi.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Dataphin.OpenApi.IntegrationTests.GeneratedOperations;

/// <summary>
/// Every operation of the catalog through <see cref="IDataphinApi"/>, the generated Refit interface, against the emulator:
/// the request built from the catalog's examples is accepted, arrives with exactly the documented parameters, and the
/// answer reads into the same typed response as the generated method's.
/// </summary>
public sealed class RefitOperationTests(GeneratedOperationsFixture fixture) : IClassFixture<GeneratedOperationsFixture>
{
    public static TheoryData<string> Operations => TestCatalog.Names();

    [Fact]
    public void IDataphinApi_has_one_method_per_catalog_operation_with_the_generated_methods_request_and_response()
    {
        var methods = typeof(IDataphinApi).GetMethods();
        Assert.Equal(TestCatalog.Operations.Keys.Order(StringComparer.Ordinal), methods.Select(m => m.Name[..^"Async".Length]).Order(StringComparer.Ordinal));
        Assert.All(methods, m =>
        {
            var generated = OperationMethods.For(m.Name[..^"Async".Length]).Method;
            Assert.Equal(generated.ReturnType, m.ReturnType);
            Assert.Equal(generated.GetParameters().Select(p => (p.ParameterType, p.Name)), m.GetParameters().Select(p => (p.ParameterType, p.Name)));
        });
    }

    [Theory]
    [MemberData(nameof(Operations))]
    public async Task The_Refit_method_sends_what_the_catalog_documents_and_reads_the_answer(string name)
    {
        var operation = TestCatalog.Operations[name];
        var request = ExampleRequests.Build(operation, OperationMethods.For(name));
        var api = DataphinRefit.For(fixture.Client);
        var method = typeof(IDataphinApi).GetMethod(name + "Async")!;

        var task = (Task)method.Invoke(api, [fixture.Emulator.DefaultTenantId, request, CancellationToken.None])!;
        await task;
        var response = task.GetType().GetProperty("Result", BindingFlags.Public | BindingFlags.Instance)!.GetValue(task)!;

        var sent = fixture.Emulator.Requests.Last(r => r.Action == name);
        Assert.Equal((200, "OK"), (sent.Status, sent.Code));
        WireChecks.SentAsDocumented(operation, sent, exact: name is not ("AddRegisterLineage" or "DeleteRegisterLineage"));
        Assert.Equal(sent.RequestId, response.GetType().GetProperty("RequestId")!.GetValue(response));
        Assert.Equal(true, response.GetType().GetProperty("Success")!.GetValue(response));
    }

    [Fact]
    public async Task AddDataphinRefitClient_sends_through_the_registered_clients_pipeline()
    {
        await using var emulator = await DataphinEmulator.StartAsync(new DataphinEmulatorOptions { Quotas = EmulatorQuotas.Disabled });
        var services = new ServiceCollection();
        services.AddDataphinClient(o =>
        {
            o.Endpoint = emulator.Endpoint;
            o.Credential = new DataphinCredential(emulator.AccessKeyId, emulator.AccessKeySecret, emulator.SecurityToken);
            o.AllowInsecureHttp = true;
        });
        services.AddDataphinRefitClient();
        await using var provider = services.BuildServiceProvider();
        var api = provider.GetRequiredService<IDataphinApi>();

        var tenants = await api.GetMyTenantsAsync(emulator.DefaultTenantId);

        var sent = Assert.Single(emulator.Requests);
        Assert.Equal((200, "OK", "GetMyTenants", sent.RequestId), (sent.Status, sent.Code, sent.Action, tenants.RequestId));

        var named = new ServiceCollection();
        named.AddDataphinClient("wrong-key", o =>
        {
            o.Endpoint = emulator.Endpoint;
            o.Credential = new DataphinCredential(emulator.AccessKeyId, "not-the-secret");
            o.AllowInsecureHttp = true;
            o.Retry.MaxAttempts = 1;
        });
        named.AddDataphinRefitClient("wrong-key");
        await using var namedProvider = named.BuildServiceProvider();
        await Assert.ThrowsAsync<DataphinAuthenticationException>(() => namedProvider.GetRequiredService<IDataphinApi>().GetMyTenantsAsync(emulator.DefaultTenantId));
    }
}
