using BenchmarkDotNet.Attributes;
using Dataphin.OpenApi.Testing;

namespace Dataphin.OpenApi.Benchmarks;

/// <summary>
/// Item 1: the SDK's full per-call path (validation, serialization, form encoding, signing, pipeline, answer
/// mapping) against the hand-written minimum, both over the same in-memory fake transport answering a canned success
/// without recording (no network).
/// </summary>
[MemoryDiagnoser]
[Config(typeof(SteadyConfig))]
public class ClientOverheadBenchmarks
{
    private static readonly Uri Endpoint = new("https://dataphin-public.cn-hangzhou.aliyuncs.com");
    private HttpClient _http = null!;
    private DataphinClient _client = null!;
    private HandWrittenCall _baseline = null!;
    private AddRegisterLineageCommand _command = null!;

    /// <summary>Field lineages in the command.</summary>
    [Params(3, 100)]
    public int FieldLineages { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _http = new HttpClient(new FakeDataphinTransport { RecordsRequests = false });
        var options = new DataphinClientOptions
        {
            Endpoint = Endpoint,
            Credential = new DataphinCredential("LTAI5tBenchmarkKey", "benchmark-secret"),
        };

        // The whole pipeline runs (total timeout, retry, circuit breaker, rate limiter, attempt timeout), but with a
        // quota the fake transport can never reach, so the figure is the SDK's own work and not the 20 QPS pacing.
        options.RateLimit.Level2Qps = 100_000;
        options.RateLimit.Burst = 1000;
        options.RateLimit.TrackDailyQuota = false;
        _client = new DataphinClient(_http, options);
        _baseline = new HandWrittenCall(_http, Endpoint, "LTAI5tBenchmarkKey", "benchmark-secret");
        _command = Commands.Add(FieldLineages);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _client.Dispose();
        _http.Dispose();
    }

    [Benchmark(Baseline = true, Description = "hand-written minimum")]
    public Task<int> HandWritten() => _baseline.AddRegisterLineageAsync(Commands.TenantId, _command);

    [Benchmark(Description = "DataphinClient.AddRegisterLineageAsync")]
    public async Task<int> Sdk() => (await _client.AddRegisterLineageAsync(Commands.TenantId, _command).ConfigureAwait(false)).Status;
}
