namespace Dataphin.OpenApi.Tests.Throttling;

/// <summary>
/// A clock that moves only when the test moves it. Timers fire, in due order and on the calling thread, while
/// <see cref="Advance"/> passes their due time, so nothing depends on real time.
/// </summary>
internal sealed class ManualTimeProvider : TimeProvider
{
    /// <summary>
    /// Marks the asynchronous flows of the code under test. The client reads the clock (<see cref="GetTimestamp"/>)
    /// first thing in every call, which tags that call's flow with its clock; the change handler then counts the
    /// threads that are running in a tagged flow, whichever thread the flow continues on (Polly resumes after a delay
    /// on the thread pool). The driver's own flow is kept untagged.
    /// </summary>
    private static readonly AsyncLocal<ManualTimeProvider?> Flow = new(static change =>
    {
        change.PreviousValue?.AddRunning(-1);
        change.CurrentValue?.AddRunning(1);
    });

    private readonly object _gate = new();
    private int _running;
    private readonly List<ManualTimer> _timers = [];
    private DateTimeOffset _now;
    private long _sequence;

    /// <summary>Grows with every timer created, changed or disposed, so a driver can tell when the code under test has gone quiet.</summary>
    public long Version => Interlocked.Read(ref _sequence);

    public ManualTimeProvider(DateTimeOffset? start = null) => _now = start ?? new DateTimeOffset(2026, 5, 22, 6, 0, 0, TimeSpan.Zero);

    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    /// <summary>How many threads are running code of a call that read this clock (see <see cref="Flow"/>).</summary>
    public int Running => Volatile.Read(ref _running);

    /// <summary>Takes the calling flow out of the count (a driver calls this in its own asynchronous method).</summary>
    public static void Untrack()
    {
        if (Flow.Value is not null)
        {
            Flow.Value = null;
        }
    }

    /// <summary>The earliest due time among the armed timers, if any.</summary>
    public DateTimeOffset? NextDue
    {
        get
        {
            lock (_gate)
            {
                return _timers.Where(t => t.Due is not null).Select(t => t.Due).Min();
            }
        }
    }

    public override DateTimeOffset GetUtcNow()
    {
        lock (_gate)
        {
            return _now;
        }
    }

    public override long GetTimestamp()
    {
        if (Flow.Value != this)
        {
            Flow.Value = this;
        }

        return GetUtcNow().UtcTicks;
    }

    private void AddRunning(int delta) => Interlocked.Add(ref _running, delta);

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = new ManualTimer(this, callback, state);
        lock (_gate)
        {
            _timers.Add(timer);
        }

        timer.Change(dueTime, period);
        return timer;
    }

    /// <summary>Moves the clock forward by <paramref name="delta"/>, firing every timer that falls due on the way.</summary>
    public void Advance(TimeSpan delta)
    {
        if (delta < TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(delta), delta, "A clock only moves forward.");
        }

        DateTimeOffset target;
        lock (_gate)
        {
            target = _now + delta;
        }

        while (true)
        {
            ManualTimer? next;
            lock (_gate)
            {
                next = _timers.Where(t => t.Due is { } due && due <= target).OrderBy(t => t.Due).ThenBy(t => t.Sequence).FirstOrDefault();
                if (next is null)
                {
                    _now = target;
                    return;
                }

                if (next.Due > _now)
                {
                    _now = next.Due!.Value;
                }

                next.Due = next.Period is { } period && period > TimeSpan.Zero ? _now + period : null;
            }

            // A callback may read the clock (a bucket refilling), which would tag the flow of whoever moves the clock.
            next.Fire();
            Untrack();
        }
    }

    private sealed class ManualTimer(ManualTimeProvider clock, TimerCallback callback, object? state) : ITimer
    {
        public DateTimeOffset? Due { get; set; }

        public TimeSpan? Period { get; set; }

        public long Sequence { get; private set; }

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            lock (clock._gate)
            {
                if (!clock._timers.Contains(this))
                {
                    return false;
                }

                Sequence = ++clock._sequence;
                Due = dueTime == Timeout.InfiniteTimeSpan ? null : clock._now + (dueTime < TimeSpan.Zero ? TimeSpan.Zero : dueTime);
                Period = period == Timeout.InfiniteTimeSpan ? null : period;
                return true;
            }
        }

        public void Fire() => callback(state);

        public void Dispose()
        {
            lock (clock._gate)
            {
                clock._timers.Remove(this);
                clock._sequence++;
            }
        }

        public ValueTask DisposeAsync()
        {
            Dispose();
            return default;
        }
    }
}
