using BenchmarkDotNet.Attributes;
using Dataphin.OpenApi.Testing;
using Dataphin.OpenApi.Transport;

namespace Dataphin.OpenApi.Benchmarks;

/// <summary>Item 2: signing alone and validation alone, so regressions in either have a place to show.</summary>
[MemoryDiagnoser]
[Config(typeof(SteadyConfig))]
public class SigningAndValidationBenchmarks
{
    private AddRegisterLineageCommand _command = null!;
    private RpcRequest _request = null!;
    private AttemptInvoker _invoker = null!;
    private DataphinCredential _credential = null!;
    private HttpClient _http = null!;

    /// <summary>Field lineages in the command.</summary>
    [Params(3, 100)]
    public int FieldLineages { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _command = Commands.Add(FieldLineages);
        _request = RpcRequestBuilder.BuildLineage(Commands.TenantId, _command, opUserId: null);
        _credential = new DataphinCredential("LTAI5tBenchmarkKey", "benchmark-secret");
        _http = new HttpClient(new FakeDataphinTransport { RecordsRequests = false });
        _invoker = new AttemptInvoker(() => _http, new Uri("https://dataphin-public.cn-hangzhou.aliyuncs.com"), TimeProvider.System, userAgentSuffix: null, observer: null);
    }

    [GlobalCleanup]
    public void Cleanup() => _http.Dispose();

    [Benchmark(Description = "sign one attempt (headers, canonical request, HMAC)")]
    public HttpRequestMessage Sign()
    {
        var message = _invoker.CreateSignedMessage(_request, _credential, retryAttempt: 0, TimeSpan.Zero, out _);
        message.Dispose();
        return message;
    }

    [Benchmark(Description = "validate the command (all rules)")]
    public int Validate() => LineageCommandValidator.Validate(Commands.TenantId, _command).Count;

    [Benchmark(Description = "build the request (JSON, form encoding, body SHA-256)")]
    public int BuildRequest() => RpcRequestBuilder.BuildLineage(Commands.TenantId, _command, opUserId: null).Body.Length;
}
