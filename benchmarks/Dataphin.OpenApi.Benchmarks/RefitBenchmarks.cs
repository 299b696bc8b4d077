using BenchmarkDotNet.Attributes;
using Dataphin.OpenApi.Models;
using Dataphin.OpenApi.Refit;
using Dataphin.OpenApi.Testing;

namespace Dataphin.OpenApi.Benchmarks;

/// <summary>
/// Per-call overhead of the Refit path (<see cref="IDataphinApi"/>, made by Refit's source generator, through
/// <see cref="DataphinPipelineHandler"/>) against the minimal hand-written call and the generated method, over the same
/// canned in-memory handler: the same AddRegisterLineage command (3 field lineages) each way.
/// </summary>
[MemoryDiagnoser]
[Config(typeof(SteadyConfig))]
public class RefitBenchmarks
{
    private static readonly Uri Endpoint = new("https://dataphin-public.cn-hangzhou.aliyuncs.com");
    private HttpClient _http = null!;
    private DataphinClient _client = null!;
    private IDataphinApi _api = null!;
    private HandWrittenCall _baseline = null!;
    private AddRegisterLineageCommand _command = null!;

    [GlobalSetup]
    public void Setup()
    {
        _http = new HttpClient(new FakeDataphinTransport { RecordsRequests = false });
        var options = new DataphinClientOptions { Endpoint = Endpoint, Credential = new DataphinCredential("LTAI5tBenchmarkKey", "benchmark-secret") };
        options.RateLimit.Level1Qps = 100_000;
        options.RateLimit.Level2Qps = 100_000;
        options.RateLimit.Burst = 1000;
        options.RateLimit.TrackDailyQuota = false;
        _client = new DataphinClient(_http, options);
        _api = DataphinRefit.For(_client);
        _baseline = new HandWrittenCall(_http, Endpoint, "LTAI5tBenchmarkKey", "benchmark-secret");
        _command = Commands.Add(3);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _client.Dispose();
        _http.Dispose();
    }

    [Benchmark(Baseline = true, Description = "minimal hand-written call")]
    public Task<int> HandWritten() => _baseline.AddRegisterLineageAsync(Commands.TenantId, _command);

    [Benchmark(Description = "client.DataAsset.AddRegisterLineageAsync (generated method)")]
    public async Task<string?> Generated() => (await _client.DataAsset.AddRegisterLineageAsync(Commands.TenantId, _command).ConfigureAwait(false)).RequestId;

    [Benchmark(Description = "IDataphinApi.AddRegisterLineageAsync (Refit)")]
    public async Task<string?> Refit() => (await _api.AddRegisterLineageAsync(Commands.TenantId, _command).ConfigureAwait(false)).RequestId;
}
