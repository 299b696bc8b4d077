using System.Collections.Concurrent;

namespace Dataphin.OpenApi.Testing.State;

/// <summary>The counts behind <see cref="EmulatorStatistics"/>; thread-safe, one entry per action received.</summary>
internal sealed class EmulatorCounters
{
    public const string UnknownAction = "(unknown)";

    private readonly ConcurrentDictionary<string, Counts> _actions = new(StringComparer.Ordinal);
    private long _repeated;

    public void Received(string action) => Interlocked.Increment(ref For(action).Received);

    public void Accepted(string action) => Interlocked.Increment(ref For(action).Accepted);

    public void Throttled(string action) => Interlocked.Increment(ref For(action).Throttled);

    public void Rejected(string action) => Interlocked.Increment(ref For(action).Rejected);

    public void Faulted(string action) => Interlocked.Increment(ref For(action).Faulted);

    public void RepeatedRegistration() => Interlocked.Increment(ref _repeated);

    public EmulatorStatistics Snapshot((long Tables, long Fields) stored) => new(
        _actions.ToDictionary(
            a => a.Key,
            a => new EmulatorActionStatistics(Interlocked.Read(ref a.Value.Received), Interlocked.Read(ref a.Value.Accepted), Interlocked.Read(ref a.Value.Throttled), Interlocked.Read(ref a.Value.Rejected), Interlocked.Read(ref a.Value.Faulted)),
            StringComparer.Ordinal),
        stored.Tables,
        stored.Fields,
        Interlocked.Read(ref _repeated));

    private Counts For(string action) => _actions.GetOrAdd(action, static _ => new Counts());

    private sealed class Counts
    {
        public long Received;
        public long Accepted;
        public long Throttled;
        public long Rejected;
        public long Faulted;
    }
}
