using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;

namespace Dataphin.OpenApi.Benchmarks;

/// <summary>
/// The job of the in-memory benchmarks: one process, enough warm-up and iterations for a steady mean on a small,
/// shared machine (BenchmarkDotNet's short run, three iterations, varies by more than the differences we look for).
/// </summary>
internal sealed class SteadyConfig : ManualConfig
{
    public SteadyConfig()
    {
        AddJob(Job.Default.WithLaunchCount(1).WithWarmupCount(6).WithIterationCount(20));
    }
}
