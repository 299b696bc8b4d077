namespace Dataphin.OpenApi.Cli.Tests;

/// <summary>
/// The emulator's clock: real time when created, then moved only by the test, one millisecond per step (so
/// request dates stay well within the emulator's 15-minute check). Every delay on it, such as the emulator's
/// injected latency, waits until the test steps past it.
/// </summary>
internal sealed class SteppingClock : TimeProvider
{
    public static readonly TimeSpan Step = TimeSpan.FromMilliseconds(1);

    private readonly object _gate = new();
    private readonly List<(DateTimeOffset Due, TimerCallback Callback, object? State, Timer Owner)> _timers = [];
    private DateTimeOffset _now = TimeProvider.System.GetUtcNow();

    /// <summary>Released once per timer created: a request waiting for its answer.</summary>
    public SemaphoreSlim TimerCreated { get; } = new(0);

    public override DateTimeOffset GetUtcNow()
    {
        lock (_gate)
        {
            return _now;
        }
    }

    public void Advance(TimeSpan delta)
    {
        List<(DateTimeOffset Due, TimerCallback Callback, object? State, Timer Owner)> due;
        lock (_gate)
        {
            _now += delta;
            due = _timers.Where(t => t.Due <= _now).ToList();
            _timers.RemoveAll(t => t.Due <= _now);
        }

        foreach (var timer in due)
        {
            timer.Callback(timer.State);
        }
    }

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = new Timer(this);
        if (dueTime != Timeout.InfiniteTimeSpan)
        {
            lock (_gate)
            {
                _timers.Add((_now + dueTime, callback, state, timer));
            }
        }

        TimerCreated.Release();
        return timer;
    }

    private sealed class Timer(SteppingClock clock) : ITimer
    {
        public bool Change(TimeSpan dueTime, TimeSpan period) => false;

        public void Dispose()
        {
            lock (clock._gate)
            {
                clock._timers.RemoveAll(t => ReferenceEquals(t.Owner, this));
            }
        }

        public ValueTask DisposeAsync()
        {
            Dispose();
            return default;
        }
    }
}
