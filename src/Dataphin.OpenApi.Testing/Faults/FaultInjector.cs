using System.Collections.Concurrent;

namespace Dataphin.OpenApi.Testing.Faults;

/// <summary>Holds the faults per action and draws, deterministically when seeded, which one a request gets.</summary>
internal sealed class FaultInjector(int? seed)
{
    public const string AnyAction = "*";

    private readonly ConcurrentDictionary<string, EmulatorFault> _faults = new(StringComparer.Ordinal);
    private readonly Random _random = seed is { } s ? new Random(s) : new Random();
    private readonly object _gate = new();

    public void Set(string action, EmulatorFault? fault)
    {
        if (fault is null)
        {
            _faults.TryRemove(action, out _);
        }
        else
        {
            fault.Validate();
            _faults[action] = Copy(fault);
        }
    }

    public void Clear() => _faults.Clear();

    public EmulatorFault? For(string action)
        => _faults.TryGetValue(action, out var fault) ? fault : _faults.TryGetValue(AnyAction, out var any) ? any : null;

    public EmulatorFaultKind Draw(EmulatorFault fault)
    {
        if (fault.DroppedConnectionRate + fault.ServerErrorRate + fault.MalformedBodyRate <= 0)
        {
            return EmulatorFaultKind.None;
        }

        double r;
        lock (_gate)
        {
            r = _random.NextDouble();
        }

        if (r < fault.DroppedConnectionRate)
        {
            return EmulatorFaultKind.DroppedConnection;
        }

        r -= fault.DroppedConnectionRate;
        if (r < fault.ServerErrorRate)
        {
            return EmulatorFaultKind.ServerError;
        }

        r -= fault.ServerErrorRate;
        return r < fault.MalformedBodyRate ? EmulatorFaultKind.MalformedBody : EmulatorFaultKind.None;
    }

    private static EmulatorFault Copy(EmulatorFault f) => new()
    {
        ServerErrorRate = f.ServerErrorRate,
        ServerErrorStatus = f.ServerErrorStatus,
        DroppedConnectionRate = f.DroppedConnectionRate,
        MalformedBodyRate = f.MalformedBodyRate,
        MalformedBody = f.MalformedBody,
        Latency = f.Latency,
        ApplyBeforeFault = f.ApplyBeforeFault,
    };
}
