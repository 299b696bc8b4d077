using System.Collections.Concurrent;
using System.Text;
using Dataphin.OpenApi.IntegrationTests.Support;
using Dataphin.OpenApi.Testing;

namespace Dataphin.OpenApi.IntegrationTests.GeneratedOperations;

/// <summary>One emulator and one client for all the cases of <see cref="GeneratedOperationTests"/>; the answers' bodies are kept per operation.</summary>
public sealed class GeneratedOperationsFixture : IAsyncLifetime, IDisposable
{
    private HttpClient? _http;

    public DataphinEmulator Emulator { get; private set; } = null!;

    public DataphinClient Client { get; private set; } = null!;

    public ConcurrentDictionary<string, string> Bodies { get; } = new(StringComparer.Ordinal);

    public async Task InitializeAsync()
    {
        Emulator = await DataphinEmulator.StartAsync(new DataphinEmulatorOptions { Quotas = EmulatorQuotas.Disabled, MaxRecordedRequests = 1000 });
        var options = new DataphinClientOptions
        {
            Endpoint = Emulator.Endpoint,
            Credential = new DataphinCredential(Emulator.AccessKeyId, Emulator.AccessKeySecret, Emulator.SecurityToken),
            AllowInsecureHttp = true,
        };
        options.RateLimit.Enabled = false;
        Lineages.SingleAttempt(options);
        _http = new HttpClient(new BodyRecorder(Bodies) { InnerHandler = new SocketsHttpHandler() });
        Client = new DataphinClient(_http, options);
    }

    public async Task DisposeAsync() => await Emulator.DisposeAsync();

    public void Dispose()
    {
        Client.Dispose();
        _http?.Dispose();
    }

    /// <summary>Keeps the body of every answer, by the action it answers.</summary>
    private sealed class BodyRecorder(ConcurrentDictionary<string, string> bodies) : DelegatingHandler
    {
        private ConcurrentDictionary<string, string> Bodies { get; } = bodies;

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var response = await base.SendAsync(request, cancellationToken);
            var body = await response.Content.ReadAsByteArrayAsync(cancellationToken);
            Bodies[request.Headers.GetValues("x-acs-action").Single()] = Encoding.UTF8.GetString(body);
            var copy = new ByteArrayContent(body);
            foreach (var header in response.Content.Headers)
            {
                copy.Headers.TryAddWithoutValidation(header.Key, header.Value);
            }

            response.Content = copy;
            return response;
        }
    }
}

/// <summary>
/// Every operation of the catalog through its generated method: the request built from the catalog's examples is
/// accepted by the emulator, arrives with exactly the documented parameters and members, and the answer reads into the
/// typed response with no member the type lacks and no required member missing.
/// </summary>
public sealed class GeneratedOperationTests(GeneratedOperationsFixture fixture) : IClassFixture<GeneratedOperationsFixture>
{
    public static TheoryData<string> Operations => TestCatalog.Names();

    [Fact]
    public void Every_catalog_operation_has_exactly_one_generated_method_reachable_from_DataphinClient()
    {
        Assert.Equal(338, TestCatalog.Operations.Count);
        Assert.Equal(TestCatalog.Operations.Keys.Order(StringComparer.Ordinal), OperationMethods.All.Select(m => m.Operation).Order(StringComparer.Ordinal));
        Assert.All(OperationMethods.All, m =>
        {
            Assert.True(m.Method.IsVirtual && !m.Method.IsFinal, $"{m.Path} is not virtual.");
            var parameters = m.Method.GetParameters();
            Assert.Equal((typeof(long), "opTenantId"), (parameters[0].ParameterType, parameters[0].Name));
            Assert.Equal(typeof(CancellationToken), parameters[^1].ParameterType);
            Assert.True(parameters[^1].HasDefaultValue);
        });
    }

    [Theory]
    [MemberData(nameof(Operations))]
    public async Task The_generated_method_sends_what_the_catalog_documents_and_reads_the_answer_strictly(string name)
    {
        var operation = TestCatalog.Operations[name];
        var method = OperationMethods.For(name);
        var generated = name is not ("AddRegisterLineage" or "DeleteRegisterLineage");
        var request = ExampleRequests.Build(operation, method);

        var response = await method.InvokeAsync(fixture.Client, fixture.Emulator.DefaultTenantId, request);

        var sent = fixture.Emulator.Requests.Last(r => r.Action == name);
        Assert.Equal((200, "OK"), (sent.Status, sent.Code));
        WireChecks.SentAsDocumented(operation, sent, exact: generated);
        Assert.Equal(sent.RequestId, response.GetType().GetProperty("RequestId")!.GetValue(response));
        Assert.Equal(true, response.GetType().GetProperty("Success")!.GetValue(response));

        var strict = WireChecks.ReadStrictly(operation, response.GetType(), fixture.Bodies[name]);
        Assert.Equal(sent.RequestId, strict.GetType().GetProperty("RequestId")!.GetValue(strict));
    }
}
