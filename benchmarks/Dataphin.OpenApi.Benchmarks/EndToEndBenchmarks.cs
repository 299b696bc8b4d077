using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using Dataphin.OpenApi.Testing;

namespace Dataphin.OpenApi.Benchmarks;

/// <summary>
/// Item 3: end to end over loopback against the emulator with quotas off, 16 callers at once. The SDK
/// (<see cref="DataphinClient.AddRegisterLineageAsync"/>, full pipeline, client-side rate limiting off because the
/// quota is off) against the hand-written minimum sending the same bytes through a raw <see cref="HttpClient"/>. One
/// invocation is <see cref="CallsPerInvocation"/> calls; BenchmarkDotNet reports the time per call and calls per second.
/// </summary>
/// <remarks>
/// The emulator runs in the benchmark host process (see <see cref="BenchmarkEmulator"/>), so the measured process is
/// the client only; both sides pay the same emulator cost on this machine's cores.
/// </remarks>
[Config(typeof(Config))]
[MemoryDiagnoser]
public class EndToEndBenchmarks
{
    /// <summary>Calls per benchmark invocation, spread over <see cref="Concurrency"/> callers.</summary>
    public const int CallsPerInvocation = 1_600;

    /// <summary>Callers at once.</summary>
    public const int Concurrency = 16;

    private BenchmarkEmulator _emulator = null!;
    private HttpClient _sdkHttp = null!;
    private HttpClient _rawHttp = null!;
    private DataphinClient _client = null!;
    private HandWrittenCall _raw = null!;
    private AddRegisterLineageCommand _command = null!;

    [GlobalSetup]
    public void Setup()
    {
        _emulator = BenchmarkEmulator.Connect(BenchmarkEmulator.QuotasOffVariable, EmulatorQuotas.Disabled);
        _sdkHttp = new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) });
        _rawHttp = new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) });
        var options = new DataphinClientOptions
        {
            Endpoint = _emulator.Endpoint,
            Credential = new DataphinCredential(_emulator.AccessKeyId, _emulator.AccessKeySecret),
        };
        options.RateLimit.Enabled = false;
        _client = new DataphinClient(_sdkHttp, options);
        _raw = new HandWrittenCall(_rawHttp, _emulator.Endpoint, _emulator.AccessKeyId, _emulator.AccessKeySecret);
        _command = Commands.Add(3);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _client.Dispose();
        _sdkHttp.Dispose();
        _rawHttp.Dispose();
        _emulator.DisposeAsync().AsTask().GetAwaiter().GetResult();
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = CallsPerInvocation, Description = "raw HttpClient, same bytes")]
    public Task RawHttpClient() => RunAsync(() => _raw.AddRegisterLineageAsync(_emulator.TenantId, _command));

    [Benchmark(OperationsPerInvoke = CallsPerInvocation, Description = "DataphinClient.AddRegisterLineageAsync")]
    public Task Sdk() => RunAsync(async () => (await _client.AddRegisterLineageAsync(_emulator.TenantId, _command).ConfigureAwait(false)).Status);

    private static Task RunAsync(Func<Task<int>> call)
    {
        var next = 0;
        async Task CallerAsync()
        {
            while (Interlocked.Increment(ref next) <= CallsPerInvocation)
            {
                await call().ConfigureAwait(false);
            }
        }

        var callers = new Task[Concurrency];
        for (var i = 0; i < callers.Length; i++)
        {
            callers[i] = Task.Run(CallerAsync);
        }

        return Task.WhenAll(callers);
    }

    private sealed class Config : ManualConfig
    {
        public Config()
        {
            AddJob(Job.Default.WithLaunchCount(1).WithWarmupCount(3).WithIterationCount(15).WithInvocationCount(1).WithUnrollFactor(1));
            AddColumn(StatisticColumn.OperationsPerSecond);
        }
    }
}
