using Microsoft.Extensions.Time.Testing;

namespace Dataphin.OpenApi.TestSupport;

/// <summary>
/// The one fake clock of the test projects: a <see cref="FakeTimeProvider"/> (time moves only when the test moves it,
/// timers fire on the thread that moves it) that also tells <see cref="ClockDriver"/> what it needs to move it safely:
/// which timers are armed and when the next is due (<see cref="NextDue"/>), whether the timers changed
/// (<see cref="Version"/>), and whether code of the call under test is running right now (<see cref="Running"/>).
/// <see cref="FakeTimeProvider"/> alone cannot tell when a retry's timer exists; this can.
/// </summary>
internal sealed class ManualTimeProvider : FakeTimeProvider
{
    /// <summary>Where the clock starts unless told otherwise.</summary>
    public static readonly DateTimeOffset DefaultStart = new(2026, 5, 22, 6, 0, 0, TimeSpan.Zero);

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
    private readonly HashSet<TrackedTimer> _armed = [];
    private int _running;
    private long _version;

    /// <summary>A clock at <see cref="DefaultStart"/>.</summary>
    public ManualTimeProvider()
        : this(DefaultStart)
    {
    }

    /// <summary>A clock at <paramref name="start"/>.</summary>
    public ManualTimeProvider(DateTimeOffset start)
        : base(start)
    {
    }

    /// <summary>A clock at the real time now, for a server whose requests are signed with the real time (the emulator checks their dates).</summary>
    public static ManualTimeProvider AtSystemTime() => new(TimeProvider.System.GetUtcNow());

    /// <summary>Released once for every timer created, so a test can wait until a delay has started.</summary>
    public SemaphoreSlim TimerCreated { get; } = new(0);

    /// <summary>Grows with every timer created, changed, fired or disposed, so a driver can tell when the code under test has gone quiet.</summary>
    public long Version => Interlocked.Read(ref _version);

    /// <summary>How many threads are running code of a call that read this clock (see <see cref="Flow"/>).</summary>
    public int Running => Volatile.Read(ref _running);

    /// <summary>The earliest due time among the armed timers, if any.</summary>
    public DateTimeOffset? NextDue
    {
        get
        {
            lock (_gate)
            {
                return _armed.Count == 0 ? null : _armed.Min(t => t.Due);
            }
        }
    }

    /// <summary>Takes the calling flow out of the count (a driver calls this in its own asynchronous method).</summary>
    public static void Untrack()
    {
        if (Flow.Value is not null)
        {
            Flow.Value = null;
        }
    }

    /// <inheritdoc />
    public override long GetTimestamp()
    {
        if (Flow.Value != this)
        {
            Flow.Value = this;
        }

        return base.GetTimestamp();
    }

    /// <inheritdoc />
    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = new TrackedTimer(this, callback, state);
        timer.Track(dueTime, period);

        // FakeTimeProvider fires a timer that is already due inside CreateTimer, through TrackedTimer.Fire.
        timer.Inner = base.CreateTimer(TrackedTimer.Fire, timer, NotNegative(dueTime), period);

        // Released only once the base clock holds the timer: a test that advances the clock as soon as it is told a
        // timer exists must not move time before the timer is armed (it would then be due 30 s after the new time).
        TimerCreated.Release();
        return timer;
    }

    /// <summary>The base clock refuses a negative due time other than infinite; a timer due in the past fires at once.</summary>
    private static TimeSpan NotNegative(TimeSpan dueTime) => dueTime < TimeSpan.Zero && dueTime != Timeout.InfiniteTimeSpan ? TimeSpan.Zero : dueTime;

    private void AddRunning(int delta) => Interlocked.Add(ref _running, delta);

    /// <summary>Wraps a timer of the base clock to know its due time; its callback runs without tagging the flow that moves the clock.</summary>
    private sealed class TrackedTimer(ManualTimeProvider clock, TimerCallback callback, object? state) : ITimer
    {
        public ITimer? Inner { get; set; }

        public DateTimeOffset Due { get; private set; }

        private TimeSpan Period { get; set; }

        public static void Fire(object? tracked)
        {
            var timer = (TrackedTimer)tracked!;
            lock (timer.Clock._gate)
            {
                // The base clock moves a periodic timer on by one period from its due time, and forgets a one-shot one.
                if (timer.Period > TimeSpan.Zero)
                {
                    timer.Due += timer.Period;
                }
                else
                {
                    timer.Clock._armed.Remove(timer);
                }

                timer.Clock._version++;
            }

            // A callback may read the clock (a bucket refilling), which would tag the flow of whoever moves the clock.
            var before = Flow.Value;
            try
            {
                timer.Callback(timer.State);
            }
            finally
            {
                if (Flow.Value != before)
                {
                    Flow.Value = before;
                }
            }
        }

        private ManualTimeProvider Clock => clock;

        private TimerCallback Callback => callback;

        private object? State => state;

        public void Track(TimeSpan dueTime, TimeSpan period)
        {
            var now = clock.GetUtcNow();
            lock (clock._gate)
            {
                clock._version++;
                Period = period == Timeout.InfiniteTimeSpan ? TimeSpan.Zero : period;
                if (dueTime == Timeout.InfiniteTimeSpan)
                {
                    clock._armed.Remove(this);
                    return;
                }

                Due = now + (dueTime < TimeSpan.Zero ? TimeSpan.Zero : dueTime);
                clock._armed.Add(this);
            }
        }

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            lock (clock._gate)
            {
                if (Inner is null)
                {
                    return false;
                }
            }

            Track(dueTime, period);
            return Inner?.Change(NotNegative(dueTime), period) ?? false;
        }

        public void Dispose()
        {
            lock (clock._gate)
            {
                clock._armed.Remove(this);
                clock._version++;
            }

            Inner?.Dispose();
            Inner = null;
        }

        public ValueTask DisposeAsync()
        {
            Dispose();
            return default;
        }
    }
}
