namespace Dataphin.OpenApi.Resilience;

/// <summary>
/// A token bucket on a <see cref="TimeProvider"/> (so tests run it on a fake clock) that serves waiters in order and
/// settles just below the quota the service really enforces, learning it from throttling answers (the AWS SDK's
/// adaptive mode and TCP CUBIC, with the differences below). What a throttling answer does depends on where the rate
/// was on its curve (<see cref="OnThrottled"/>):
/// <list type="bullet">
/// <item>At W_max or the configured rate: the bucket estimates the real quota as <see cref="Settle"/> times the lower of
/// the rate its attempts reached the service at (answers over the last second) and the rate the service accepted (over
/// up to the last 10 s), and cuts its rate to <see cref="Beta"/> of that estimate, W_max. Both rates count from the
/// first answer and are not trusted before <see cref="MeasuredSpan"/> of answers (then the estimate comes from the
/// current rate): a new process's first attempts can take a second or more (connections opened, code compiled) and
/// then arrive together. Answers to attempts sent before the last cut do not cut again.</item>
/// <item>While it recovers along CUBIC's concave curve back to W_max (not to the configured quota), or within
/// <see cref="MeasuredSpan"/> of a cut, a throttle only lowers W_max to <see cref="Settle"/> of the rate reached: retries
/// of throttled attempts and another process's probe do not make the cuts compound.</item>
/// <item>At W_max it stays for a plateau (<see cref="FirstPlateau"/>, growing <see cref="PlateauGrowth"/>-fold up to
/// <see cref="LongestPlateau"/> each time a throttle finds the same W_max, so a stable quota is probed ever more
/// rarely), shortened by up to <see cref="PlateauJitter"/> of it at random, drawn by each bucket from a random source
/// of its own so that processes on one AccessKey do not probe in step.</item>
/// <item>After the plateau it probes above W_max along a curve that is flat at first and reaches the configured quota
/// <see cref="ProbeTime"/> later. A throttled probe ends with a step back to <see cref="ProbeBackoff"/> of W_max, and
/// W_max can only rise from it; a quota that rose is regained in at most <see cref="LongestPlateau"/> +
/// <see cref="ProbeTime"/> plus the recovery.</item>
/// </list>
/// A permit is taken only when it is handed to a caller, just before the caller sends; a waiter that is cancelled or
/// runs out of its wait budget takes none. A bucket unused for <see cref="IdleTimeout"/> with no waiter retires: its
/// timer is disposed and it leaves the registry (<see cref="Retired"/>).
/// </summary>
internal sealed class AdaptiveTokenBucket : DataphinRateLimiter
{
    /// <summary>The share of W_max the rate is cut to on a throttling answer.</summary>
    public const double Beta = 0.7;

    /// <summary>The share of W_max the rate goes back to when a probe above W_max is throttled.</summary>
    public const double ProbeBackoff = 0.85;

    /// <summary>How many times longer the plateau gets each time a throttle finds the same W_max again.</summary>
    public const double PlateauGrowth = 4;

    /// <summary>The share of the plateau drawn at random (per bucket) and taken off it, so that buckets do not probe in step.</summary>
    public const double PlateauJitter = 0.25;

    /// <summary>The share of the measured rate taken as the estimate of the real quota (W_max).</summary>
    public const double Settle = 0.9;

    /// <summary>The scale of the cubic recovery curve (the AWS SDK's constant), in permits per second per second cubed.</summary>
    public const double CubicScale = 0.4;

    /// <summary>The power of the probing curve above W_max: flat near W_max, steep near the configured quota.</summary>
    public const double ProbePower = 8;

    /// <summary>How much of a late timer's or a stalled machine's lost time a busy bucket makes up for.</summary>
    public static readonly TimeSpan CatchUp = TimeSpan.FromMilliseconds(500);

    /// <summary>How long the rate stays at W_max after recovering, before probing above it, after a new W_max (less the jitter).</summary>
    public static readonly TimeSpan FirstPlateau = TimeSpan.FromSeconds(3);

    /// <summary>The longest plateau, reached when throttles keep finding the same W_max (less the jitter).</summary>
    public static readonly TimeSpan LongestPlateau = TimeSpan.FromSeconds(20);

    /// <summary>How long a probe takes from W_max to the configured quota.</summary>
    public static readonly TimeSpan ProbeTime = TimeSpan.FromSeconds(8);

    /// <summary>How long after the first answer the measured rates are trusted (before, a throttle cuts from the current rate).</summary>
    public static readonly TimeSpan MeasuredSpan = TimeSpan.FromSeconds(1);

    /// <summary>How long a bucket may stay unused, with no waiter, before it retires.</summary>
    public static readonly TimeSpan IdleTimeout = TimeSpan.FromMinutes(5);

    private const double Epsilon = 1e-9;

    /// <summary>Two W_max within this share of each other are "the same limit" (the plateau grows).</summary>
    private const double SameLimit = 0.15;

    private readonly object _gate = new();
    private readonly TimeProvider _time;
    private readonly LinkedList<Waiter> _queue = new();
    private readonly double _configuredRate;
    private readonly bool _adaptive;
    private readonly RateMeter _answered;
    private readonly RateMeter _accepted;
    private readonly Random _random;
    private ITimer _timer;
    private Action<AdaptiveTokenBucket>? _onRetired;
    private double _rate;
    private double _tokens;
    private long _lastRefill;
    private long _lastUsed;
    private bool _retired;
    private bool _recovering;
    private double _wMax;
    private double _recoveryK;
    private double _plateau;
    private double _basePlateau;
    private long _lastThrottle = long.MinValue;
    private long _firstAnswer = long.MinValue;
    private long _lastCut = long.MinValue;

    /// <summary>A bucket full of <paramref name="capacity"/> permits, filling at <paramref name="ratePerSecond"/>.</summary>
    /// <param name="time">The clock.</param>
    /// <param name="ratePerSecond">The configured rate, the most it ever grants.</param>
    /// <param name="capacity">The most permits it holds (the burst).</param>
    /// <param name="adaptive">Whether throttling answers slow it down.</param>
    /// <param name="onRetired">Told when it retires after being idle.</param>
    /// <param name="random">Where its plateau jitter comes from (a seeded one in tests); by default one of its own.</param>
    public AdaptiveTokenBucket(TimeProvider time, double ratePerSecond, int capacity, bool adaptive, Action<AdaptiveTokenBucket>? onRetired = null, Random? random = null)
    {
        _random = random ?? new Random();
        _time = time;
        _configuredRate = _rate = _wMax = ratePerSecond;
        Capacity = capacity;
        _tokens = capacity;
        _adaptive = adaptive;
        _onRetired = onRetired;
        _plateau = _basePlateau = FirstPlateau.TotalSeconds;
        _lastRefill = _lastUsed = time.GetTimestamp();
        _answered = new RateMeter(time.TimestampFrequency, TimeSpan.FromMilliseconds(100), 10);
        _accepted = new RateMeter(time.TimestampFrequency, TimeSpan.FromMilliseconds(250), 40);
        _timer = CreateTimer();
        _timer.Change(IdleTimeout, Timeout.InfiniteTimeSpan);
    }

    /// <summary>The most permits the bucket holds.</summary>
    public int Capacity { get; }

    /// <summary>The rate the bucket was configured with, the most it ever grants.</summary>
    public double ConfiguredRate => _configuredRate;

    /// <summary>The estimate of the real quota after the last throttling answer (the configured rate before any).</summary>
    public double LastMaxRate
    {
        get
        {
            lock (_gate)
            {
                return _wMax;
            }
        }
    }

    /// <summary>Whether the bucket retired after being idle (its timer is disposed; it left the registry).</summary>
    public bool Retired
    {
        get
        {
            lock (_gate)
            {
                return _retired;
            }
        }
    }

    /// <inheritdoc/>
    public override double CurrentRate
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

    /// <summary>Marks the bucket used now, unless it has retired (then the registry makes a new one).</summary>
    public bool TryMarkUsed()
    {
        lock (_gate)
        {
            if (_retired)
            {
                return false;
            }

            _lastUsed = _time.GetTimestamp();
            return true;
        }
    }

    /// <summary>
    /// Takes a permit now, or waits in line for one. Refuses at once, without waiting, when the estimated wait is
    /// longer than <paramref name="maxWait"/>, and refuses a waiter whose budget runs out while it waits (the rate
    /// can drop after throttling).
    /// </summary>
    public override ValueTask<DataphinRatePermit> AcquireAsync(TimeSpan maxWait, CancellationToken cancellationToken)
    {
        if (cancellationToken.IsCancellationRequested)
        {
            return new ValueTask<DataphinRatePermit>(Task.FromCanceled<DataphinRatePermit>(cancellationToken));
        }

        Waiter waiter;
        lock (_gate)
        {
            var now = _time.GetTimestamp();
            _lastUsed = now;
            if (_retired)
            {
                // Held past its retirement by a caller that kept the reference: it works on, outside the registry.
                _retired = false;
                _onRetired = null;
                _timer = CreateTimer();
            }

            Advance(now);
            if (_queue.Count == 0 && _tokens >= 1 - Epsilon)
            {
                _tokens = Math.Max(0, _tokens - 1);
                return new ValueTask<DataphinRatePermit>(DataphinRatePermit.Grant(now, TimeSpan.Zero));
            }

            var wait = WaitForTokens(_queue.Count + 1);
            if (wait > maxWait)
            {
                return new ValueTask<DataphinRatePermit>(DataphinRatePermit.Refuse(wait));
            }

            waiter = new Waiter(this, now, now + ToTimestampTicks(maxWait), cancellationToken);
            waiter.Node = _queue.AddLast(waiter);
            Schedule(now);
        }

        if (cancellationToken.CanBeCanceled)
        {
            waiter.Registration = cancellationToken.Register(static state => ((Waiter)state!).Cancel(), waiter);
        }

        return new ValueTask<DataphinRatePermit>(waiter.Completion.Task);
    }

    /// <summary>The service accepted an attempt: counted into the accepted rate, from which W_max is estimated.</summary>
    public override void OnSucceeded(DataphinRatePermit permit)
    {
        if (!_adaptive)
        {
            return;
        }

        lock (_gate)
        {
            var now = _time.GetTimestamp();
            NoteAnswer(now);
            _accepted.Add(now);
        }
    }

    /// <summary>
    /// The service throttled an attempt whose permit was taken at <see cref="DataphinRatePermit.GrantedAt"/>. What it
    /// means depends on where the rate was on its curve when the attempt was sent:
    /// <list type="bullet">
    /// <item>at W_max or the configured rate (the plateau): the real quota is lower than thought; estimate it from the
    /// measured rates and cut to <see cref="Beta"/> of the estimate;</item>
    /// <item>still recovering toward W_max after a cut: W_max is lowered to the rate reached, without another cut (a
    /// retry of an attempt throttled before the cut, or another process's probe, must not make the cuts compound);</item>
    /// <item>probing above W_max: the probe ends; W_max becomes the estimate from the rate the probe reached, and the rate
    /// goes back just below it (<see cref="ProbeBackoff"/>), not down by a deep cut.</item>
    /// </list>
    /// Answers to attempts sent before the last cut do not count (many in-flight attempts throttled together are one event).
    /// </summary>
    public override void OnThrottled(DataphinRatePermit permit)
    {
        if (!_adaptive)
        {
            return;
        }

        lock (_gate)
        {
            var now = _time.GetTimestamp();
            NoteAnswer(now);
            if (permit.GrantedAt <= _lastThrottle)
            {
                return;
            }

            Advance(now);
            var t = SinceLastThrottle(now);
            if (_recovering && (t < _recoveryK || _time.GetElapsedTime(_lastCut, now) < MeasuredSpan))
            {
                // Recovering: the quota is below the rate reached; hold it there as the new W_max, the plateau starts now.
                _wMax = Math.Max(MinimumRate, Math.Min(_wMax, _rate * Settle));
                _rate = _wMax;
                _recoveryK = 0;
                _lastThrottle = now;
                Schedule(now);
                return;
            }

            var probing = _recovering && t >= _recoveryK + _plateau && _rate > _wMax;

            // The rate that was too much: the rate attempts reached the service at over the last second (answers, never
            // above the fill rate); on the plateau also what the service accepted over the last seconds, whichever is
            // lower; then a margin below it. Permits granted while the first attempts were still on their way would say
            // little: after a slow start they reach the service together, long after their permits were taken.
            var sending = _answered.Rate(now, _firstAnswer);
            var accepted = _accepted.Rate(now, _firstAnswer);
            var measured = _rate;
            if (_time.GetElapsedTime(_firstAnswer, now) >= MeasuredSpan)
            {
                measured = Math.Min(measured, sending);
                measured = accepted > 0 ? Math.Min(measured, accepted) : measured;
            }

            // A probe that is throttled only tells that the quota is below the rate it reached: W_max can rise, not fall.
            var estimate = Math.Max(MinimumRate, Math.Min(_configuredRate, measured * Settle));
            if (probing)
            {
                estimate = Math.Max(estimate, _wMax);
            }

            var sameLimit = Math.Abs(estimate - _wMax) <= SameLimit * _wMax;
            var plateau = sameLimit ? Math.Min(LongestPlateau.TotalSeconds, _basePlateau * PlateauGrowth) : FirstPlateau.TotalSeconds;
            _basePlateau = plateau;

            // Independent buckets (processes on one AccessKey) must not probe in step: each draws its own plateau length.
            _plateau = plateau * (1 - (PlateauJitter * _random.NextDouble()));
            _wMax = estimate;
            _rate = Math.Max(MinimumRate, _wMax * (probing ? ProbeBackoff : Beta));
            _recoveryK = Math.Pow(Math.Max(0, _wMax - _rate) / CubicScale, 1.0 / 3.0);
            _lastThrottle = now;
            _lastCut = now;
            _recovering = true;
            Schedule(now);
        }
    }

    private double MinimumRate => Math.Min(0.5, _configuredRate);

    /// <summary>Counts an answer (accepted or throttled) into the rate attempts reach the service at.</summary>
    private void NoteAnswer(long now)
    {
        if (_firstAnswer == long.MinValue)
        {
            _firstAnswer = now;
        }

        _answered.Add(now);
    }

    private ITimer CreateTimer() => _time.CreateTimer(static state => ((AdaptiveTokenBucket)state!).OnTimer(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);

    private double SinceLastThrottle(long now) => _time.GetElapsedTime(_lastThrottle, now).TotalSeconds;

    private void OnTimer()
    {
        List<(Waiter Waiter, DataphinRatePermit Permit)>? done = null;
        Action<AdaptiveTokenBucket>? retired = null;
        lock (_gate)
        {
            if (_retired)
            {
                return;
            }

            var now = _time.GetTimestamp();
            Advance(now);
            while (_queue.First is { } head && _tokens >= 1 - Epsilon)
            {
                _tokens = Math.Max(0, _tokens - 1);
                _queue.RemoveFirst();
                (done ??= []).Add((head.Value, DataphinRatePermit.Grant(now, _time.GetElapsedTime(head.Value.EnqueuedAt, now))));
            }

            var position = 0;
            for (var node = _queue.First; node is not null;)
            {
                var next = node.Next;
                position++;
                if (node.Value.Deadline <= now)
                {
                    _queue.Remove(node);
                    (done ??= []).Add((node.Value, DataphinRatePermit.Refuse(WaitForTokens(position))));
                    position--;
                }

                node = next;
            }

            if (done is null && _queue.First is null && _time.GetElapsedTime(_lastUsed, now) >= IdleTimeout)
            {
                _retired = true;
                _timer.Dispose();
                retired = _onRetired;
            }
            else
            {
                Schedule(now);
            }
        }

        retired?.Invoke(this);
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

    /// <summary>Adds the tokens earned since the last call, then moves the rate along its recovery and probing curves.</summary>
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
            var t = SinceLastThrottle(now);
            if (t < _recoveryK)
            {
                // CUBIC's concave part: fast at first, flattening out as it nears W_max.
                var d = t - _recoveryK;
                _rate = Math.Max(MinimumRate, _wMax + (CubicScale * d * d * d));
            }
            else if (t < _recoveryK + _plateau || _wMax >= _configuredRate)
            {
                _rate = _wMax;
                if (_wMax >= _configuredRate)
                {
                    _recovering = false;
                }
            }
            else
            {
                // The probe: flat near W_max, reaching the configured rate ProbeTime after the plateau.
                var p = (t - _recoveryK - _plateau) / ProbeTime.TotalSeconds;
                var probe = _wMax + ((_configuredRate - _wMax) * Math.Pow(p, ProbePower));
                if (probe >= _configuredRate)
                {
                    _rate = _configuredRate;
                    _recovering = false;
                }
                else
                {
                    _rate = probe;
                }
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
            // Nobody waits: wake up when the bucket would have been idle for IdleTimeout, to retire it.
            var idleFor = _time.GetElapsedTime(_lastUsed, now);
            var untilIdle = IdleTimeout - idleFor;
            _timer.Change(untilIdle <= TimeSpan.Zero ? TimeSpan.FromTicks(1) : untilIdle, Timeout.InfiniteTimeSpan);
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

    /// <summary>Events per second over a sliding window of fixed bins (O(1) per event, no allocation).</summary>
    private sealed class RateMeter(long frequency, TimeSpan bin, int bins)
    {
        private readonly long _binTicks = (long)(bin.TotalSeconds * frequency);
        private readonly int[] _counts = new int[bins];
        private long _current = long.MinValue;

        public void Add(long now)
        {
            Roll(now);
            _counts[(int)(_current % _counts.Length)]++;
        }

        /// <summary>Events per second over the window (or since <paramref name="origin"/>, when that is shorter, but over at least one bin).</summary>
        public double Rate(long now, long origin)
        {
            Roll(now);
            var total = 0;
            foreach (var count in _counts)
            {
                total += count;
            }

            var windowStart = (_current - _counts.Length + 1) * _binTicks;
            var span = now - Math.Max(windowStart, origin);
            span = Math.Max(span, _binTicks);
            return total / ((double)span / frequency);
        }

        private void Roll(long now)
        {
            var index = now / _binTicks;
            if (_current == long.MinValue)
            {
                _current = index;
                return;
            }

            var steps = Math.Min(index - _current, _counts.Length);
            for (var i = 1; i <= steps; i++)
            {
                _counts[(int)((_current + i) % _counts.Length)] = 0;
            }

            if (index > _current)
            {
                _current = index;
            }
        }
    }

    private sealed class Waiter(AdaptiveTokenBucket bucket, long enqueuedAt, long deadline, CancellationToken cancellationToken)
    {
        public TaskCompletionSource<DataphinRatePermit> Completion { get; } = new();

        public long EnqueuedAt { get; } = enqueuedAt;

        public long Deadline { get; } = deadline;

        public CancellationToken CancellationToken { get; } = cancellationToken;

        public LinkedListNode<Waiter>? Node { get; set; }

        public CancellationTokenRegistration Registration { get; set; }

        public void Cancel() => bucket.Remove(this);
    }
}
