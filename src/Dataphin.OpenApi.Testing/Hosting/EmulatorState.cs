using System.Collections.Concurrent;
using Dataphin.OpenApi.Testing.Faults;
using Dataphin.OpenApi.Testing.Lineage;
using Dataphin.OpenApi.Testing.Protocol;
using Dataphin.OpenApi.Testing.Quotas;
using Dataphin.OpenApi.Testing.Recording;

namespace Dataphin.OpenApi.Testing.Hosting;

/// <summary>Everything the emulator holds: accounts, lineage, quotas, faults, the request log.</summary>
internal sealed class EmulatorState
{
    public EmulatorState(DataphinEmulatorOptions options)
    {
        Time = options.TimeProvider;
        Verifier = new Acs3SignatureVerifier(Time, options.RequestDateTolerance, new NonceMemory(options.RequestDateTolerance));
        Quotas = new QuotaKeeper(options.Quotas);
        Faults = new FaultInjector(options.FaultSeed);
        Log = new RequestLog(options.MaxRecordedRequests, options.MaxRecordedRequestBytes);
        MaxRequestBodyBytes = options.MaxRequestBodyBytes;
    }

    public TimeProvider Time { get; }

    /// <summary>The largest request body read; a larger one is answered with HTTP 413.</summary>
    public int MaxRequestBodyBytes { get; }

    public Acs3SignatureVerifier Verifier { get; }

    public ConcurrentDictionary<string, EmulatorAccessKey> Keys { get; } = new(StringComparer.Ordinal);

    public ConcurrentDictionary<long, bool> Tenants { get; } = new();

    public LineageStore Lineage { get; } = new();

    public QuotaKeeper Quotas { get; }

    public FaultInjector Faults { get; }

    public RequestLog Log { get; }

    public State.EmulatorCounters Counters { get; } = new();
}
