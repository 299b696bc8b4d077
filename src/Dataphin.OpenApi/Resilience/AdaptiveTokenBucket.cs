namespace Dataphin.OpenApi.Resilience;

/// <summary>
/// A token bucket on a <see cref="TimeProvider"/> (so tests run it on a fake clock) that serves waiters in order
/// and adapts its fill rate like the AWS SDK's adaptive retry mode: a throttling answer cuts the rate to
/// <see cref="Beta"/> of what it was, and the rate then recovers along a cubic curve back to the configured quota.
/// A permit is taken only when it is handed to a caller, just before the caller sends; a waiter that is cancelled
/// or runs out of its wait budget takes none.
/// </summary>
internal sealed class AdaptiveTokenBucket
{
    /// <summary>The share of the rate kept after a throttling answer.</summary>
    public const double Beta = 0.7;

    /// <summary>The scale of the cubic recovery curve (the AWS SDK's constant).</summary>
    public const double CubicScale = 0.4;

    /// <summary>How much of a late timer's or a stalled machine's lost time a busy bucket makes up for.</summary>
    public static readonly TimeSpan CatchUp = TimeSpan.FromMilliseconds(500);

    private const double Epsilon = 1e-9;

    private readonly object _gate = new();
    private readonly TimeProvider _time;
    private readonly LinkedList<Waiter> _queue = new();
    private readonly ITimer _timer;
    private readonly bool _adaptive;
    private double _configuredRate;
    private double _rate;
    private double _tokens;
    private long _lastRefill;
    private bool _recovering;
    private double _lastMaxRate;
    private double _recoveryK;
    private long _lastThrottle = long.MinValue;

    public AdaptiveTokenBucket(TimeProvider time, double ratePerSecond, int capacity, bool adaptive)
    {
        _time = time;
        _configuredRate = _rate = ratePerSecond;
        Capacity = capacity;
        _tokens = capacity;
        _adaptive = adaptive;
        _lastRefill = time.GetTimestamp();
        _timer = time.CreateTimer(static state => ((AdaptiveTokenBucket)state!).OnTimer(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    /// <summary>The most permits the bucket holds.</summary>
    public int Capacity { get; }

    /// <summary>The rate the bucket returns to: the quota configured (the lowest, when clients disagree).</summary>
    public double ConfiguredRate
    {
        get
        {
            lock (_gate)
            {
                return _configuredRate;
            }
        }
    }

    /// <summary>The fill rate now, in permits per second (below <see cref="ConfiguredRate"/> after throttling).</summary>
    public double CurrentRate
    {
        get
        {
            lock (_gate)
            {
                Advance(_time.GetTimestamp());
                return _rate;
            }
        }
    }

    /// <summary>How many callers are waiting.</summary>
    public int QueueLength
    {
        get
        {
            lock (_gate)
            {
                return _queue.Count;
            }
        }
    }

    /// <summary>Lowers the configured rate when another client sharing the bucket configured a lower quota.</summary>
    public void LowerConfiguredRate(double ratePerSecond)
    {
        lock (_gate)
        {
            if (ratePerSecond < _configuredRate)
            {
                var now = _time.GetTimestamp();
                Advance(now);
                _configuredRate = ratePerSecond;
                _rate = Math.Min(_rate, ratePerSecond);
                Schedule(now);
            }
        }
    }

    /// <summary>
    /// Takes a permit now, or waits in line for one. Refuses at once, without waiting, when the estimated wait is
    /// longer than <paramref name="budget"/>, and refuses a waiter whose budget runs out while it waits (the rate
    /// can drop after throttling).
    /// </summary>
    public Task<BucketPermit> AcquireAsync(TimeSpan budget, CancellationToken cancellationToken)
    {
        if (cancellationToken.IsCancellationRequested)
        {
            return Task.FromCanceled<BucketPermit>(cancellationToken);
        }

        Waiter waiter;
        lock (_gate)
        {
            var now = _time.GetTimestamp();
            Advance(now);
            if (_queue.Count == 0 && _tokens >= 1 - Epsilon)
            {
                _tokens = Math.Max(0, _tokens - 1);
                return Task.FromResult(BucketPermit.Grant(now, TimeSpan.Zero));
            }

            var wait = WaitForTokens(_queue.Count + 1);
            if (wait > budget)
            {
                return Task.FromResult(BucketPermit.Refuse(wait));
            }

            waiter = new Waiter(this, now, now + ToTimestampTicks(budget), cancellationToken);
            waiter.Node = _queue.AddLast(waiter);
            Schedule(now);
        }

        if (cancellationToken.CanBeCanceled)
        {
            waiter.Registration = cancellationToken.Register(static state => ((Waiter)state!).Cancel(), waiter);
        }

        return waiter.Completion.Task;
    }

    /// <summary>
    /// The service throttled an attempt whose permit was taken at <paramref name="sentAt"/>: cut the rate, unless the
    /// attempt was sent before the last cut (many in-flight attempts throttled together cut the rate once).
    /// </summary>
    public void OnThrottled(long sentAt)
    {
        if (!_adaptive)
        {
            return;
        }

        lock (_gate)
        {
            if (sentAt <= _lastThrottle)
            {
                return;
            }

            var now = _time.GetTimestamp();
            Advance(now);
            _lastMaxRate = _rate;
            _rate = Math.Max(MinimumRate, _rate * Beta);
            _recoveryK = Math.Pow(_lastMaxRate * (1 - Beta) / CubicScale, 1.0 / 3.0);
            _lastThrottle = now;
            _recovering = true;
            Schedule(now);
        }
    }

    private double MinimumRate => Math.Min(0.5, _configuredRate);

    private void OnTimer()
    {
        List<(Waiter Waiter, BucketPermit Permit)>? done = null;
        lock (_gate)
        {
            var now = _time.GetTimestamp();
            Advance(now);
            while (_queue.First is { } head && _tokens >= 1 - Epsilon)
            {
                _tokens = Math.Max(0, _tokens - 1);
                _queue.RemoveFirst();
                (done ??= []).Add((head.Value, BucketPermit.Grant(now, _time.GetElapsedTime(head.Value.EnqueuedAt, now))));
            }

            var position = 0;
            for (var node = _queue.First; node is not null;)
            {
                var next = node.Next;
                position++;
                if (node.Value.Deadline <= now)
                {
                    _queue.Remove(node);
                    (done ??= []).Add((node.Value, BucketPermit.Refuse(WaitForTokens(position))));
                    position--;
                }

                node = next;
            }

            Schedule(now);
        }

        if (done is not null)
        {
            foreach (var (waiter, permit) in done)
            {
                waiter.Registration.Dispose();
                waiter.Completion.TrySetResult(permit);
            }
        }
    }

    private void Remove(Waiter waiter)
    {
        lock (_gate)
        {
            if (waiter.Node?.List is null)
            {
                return;
            }

            _queue.Remove(waiter.Node);
            Schedule(_time.GetTimestamp());
        }

        waiter.Completion.TrySetCanceled(waiter.CancellationToken);
    }

    /// <summary>Adds the tokens earned since the last call, then moves the rate along its recovery curve.</summary>
    private void Advance(long now)
    {
        var elapsed = _time.GetElapsedTime(_lastRefill, now).TotalSeconds;
        if (elapsed > 0)
        {
            // An idle bucket holds at most Capacity permits (the burst). While callers wait in line the bucket is busy,
            // and a timer that fires late, or a machine that stalls, must not cost them the permits earned meanwhile,
            // or a loaded machine would run well below the quota: up to CatchUp worth of permits are kept for the
            // queue. Permits still only accrue at the fill rate, so no second ever sees more than rate + CatchUp.
            var limit = _queue.Count == 0 ? Capacity : Capacity + (_rate * CatchUp.TotalSeconds);
            _tokens = Math.Min(limit, _tokens + (elapsed * _rate));
            _lastRefill = now;
        }

        if (_recovering)
        {
            var t = _time.GetElapsedTime(_lastThrottle, now).TotalSeconds;
            var cubic = (CubicScale * Math.Pow(t - _recoveryK, 3)) + _lastMaxRate;
            if (cubic >= _configuredRate)
            {
                _rate = _configuredRate;
                _recovering = false;
            }
            else
            {
                _rate = Math.Max(MinimumRate, Math.Min(_rate > cubic ? _rate : cubic, _configuredRate));
            }
        }
    }

    private TimeSpan WaitForTokens(int count)
    {
        var missing = count - _tokens;
        return missing <= 0 ? TimeSpan.Zero : TimeSpan.FromTicks((long)Math.Ceiling(missing / _rate * TimeSpan.TicksPerSecond));
    }

    private void Schedule(long now)
    {
        if (_queue.First is null)
        {
            _timer.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
            return;
        }

        var due = WaitForTokens(1);
        foreach (var waiter in _queue)
        {
            var untilDeadline = _time.GetElapsedTime(now, waiter.Deadline);
            if (untilDeadline < due)
            {
                due = untilDeadline;
            }
        }

        // While recovering, wake up at least every 100 ms so that a rising rate serves the queue sooner.
        if (_recovering && due > TimeSpan.FromMilliseconds(100))
        {
            due = TimeSpan.FromMilliseconds(100);
        }

        _timer.Change(due <= TimeSpan.Zero ? TimeSpan.FromTicks(1) : due, Timeout.InfiniteTimeSpan);
    }

    private long ToTimestampTicks(TimeSpan span)
    {
        var seconds = Math.Min(span.TotalSeconds, TimeSpan.FromDays(1).TotalSeconds);
        return (long)(seconds * _time.TimestampFrequency);
    }

    private sealed class Waiter(AdaptiveTokenBucket bucket, long enqueuedAt, long deadline, CancellationToken cancellationToken)
    {
        public TaskCompletionSource<BucketPermit> Completion { get; } = new();

        public long EnqueuedAt { get; } = enqueuedAt;

        public long Deadline { get; } = deadline;

        public CancellationToken CancellationToken { get; } = cancellationToken;

        public LinkedListNode<Waiter>? Node { get; set; }

        public CancellationTokenRegistration Registration { get; set; }

        public void Cancel() => bucket.Remove(this);
    }
}
