using Dataphin.OpenApi.Testing;

namespace Dataphin.OpenApi.Benchmarks;

/// <summary>
/// The emulator a benchmark talks to. The benchmark host (<c>Program</c>) starts one and passes its endpoint to the
/// benchmark processes in an environment variable, so the process BenchmarkDotNet measures holds only the client;
/// when the variable is not set (a benchmark run some other way) the benchmark starts its own, in its own process.
/// </summary>
internal sealed class BenchmarkEmulator : IAsyncDisposable
{
    /// <summary>The variable holding the endpoint of the host's emulator with quotas off.</summary>
    public const string QuotasOffVariable = "DATAPHIN_BENCHMARK_EMULATOR";

    private readonly DataphinEmulator? _owned;

    private BenchmarkEmulator(Uri endpoint, DataphinEmulator? owned)
    {
        Endpoint = endpoint;
        _owned = owned;
    }

    public Uri Endpoint { get; }

    public string AccessKeyId => DataphinEmulatorOptions.DefaultAccessKeyId;

    public string AccessKeySecret => DataphinEmulatorOptions.DefaultAccessKeySecret;

    public long TenantId => DataphinEmulatorOptions.DefaultTenant;

    /// <summary>The emulator named by <paramref name="variable"/>, or a new in-process one with <paramref name="quotas"/>.</summary>
    public static BenchmarkEmulator Connect(string variable, EmulatorQuotas quotas)
    {
        var endpoint = Environment.GetEnvironmentVariable(variable);
        if (!string.IsNullOrEmpty(endpoint))
        {
            return new BenchmarkEmulator(new Uri(endpoint), owned: null);
        }

        var emulator = DataphinEmulator.StartAsync(Options(quotas)).GetAwaiter().GetResult();
        return new BenchmarkEmulator(emulator.Endpoint, emulator);
    }

    /// <summary>Settings shared by every benchmark emulator: default credentials, the given quotas, a small request log.</summary>
    public static DataphinEmulatorOptions Options(EmulatorQuotas quotas) => new() { Quotas = quotas, MaxRecordedRequests = 2_000 };

    public ValueTask DisposeAsync() => _owned?.DisposeAsync() ?? ValueTask.CompletedTask;
}
