namespace Dataphin.OpenApi.Testing.Quotas;

/// <summary>Token buckets per (tenant, level) and daily counters per (tenant, level group); thread-safe.</summary>
internal sealed class QuotaKeeper
{
    private readonly object _gate = new();
    private readonly Dictionary<(long Tenant, int Bucket), Bucket> _buckets = [];
    private readonly Dictionary<(long Tenant, string Group, DateOnly Day), long> _daily = [];
    private EmulatorQuotas _quotas;

    public QuotaKeeper(EmulatorQuotas quotas)
    {
        _quotas = quotas.Clone();
    }

    public EmulatorQuotas Current
    {
        get
        {
            lock (_gate)
            {
                return _quotas.Clone();
            }
        }
    }

    public void Replace(EmulatorQuotas quotas)
    {
        lock (_gate)
        {
            _quotas = quotas.Clone();
            _buckets.Clear();
            _daily.Clear();
        }
    }

    /// <summary>Takes one call from the quota; returns null when allowed, else the rejection.</summary>
    public QuotaRejection? TryAcquire(long tenantId, int level, DateTimeOffset now)
    {
        lock (_gate)
        {
            var q = _quotas;
            if (!q.Enabled)
            {
                return null;
            }

            var shared = q.SharedQps is not null;
            var qps = q.SharedQps ?? level switch { 1 => q.Level1Qps, 2 => q.Level2Qps, _ => q.Level3Qps };
            var key = (tenantId, shared ? 0 : level);
            if (!_buckets.TryGetValue(key, out var bucket))
            {
                bucket = new Bucket(qps, now);
                _buckets[key] = bucket;
            }

            bucket.Refill(now);
            if (bucket.Tokens < 1)
            {
                var waitSeconds = (1 - bucket.Tokens) / bucket.Rate;
                var ms = Math.Max(1, (long)Math.Ceiling((waitSeconds * 1000) - 1e-6));
                var scope = shared ? "all levels" : $"Level {level}";
                return new QuotaRejection(ms, $"Request was denied due to user flow control. The QPS quota of {qps:0.###} for {scope} of tenant {tenantId} is used up.");
            }

            if (q.DailyLimitsEnabled)
            {
                var day = DateOnly.FromDateTime(now.UtcDateTime);
                var groups = DailyGroups(q, level);
                foreach (var (group, limit) in groups)
                {
                    _daily.TryGetValue((tenantId, group, day), out var used);
                    if (used >= limit)
                    {
                        var midnight = new DateTimeOffset(day.AddDays(1).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
                        var ms = Math.Max(1, (long)Math.Ceiling((midnight - now).TotalMilliseconds));
                        return new QuotaRejection(ms, $"Request was denied due to user flow control. The daily quota of {limit} calls for {group} of tenant {tenantId} is used up.");
                    }
                }

                foreach (var (group, _) in groups)
                {
                    _daily.TryGetValue((tenantId, group, day), out var used);
                    _daily[(tenantId, group, day)] = used + 1;
                }
            }

            bucket.Tokens -= 1;
            return null;
        }
    }

    private static List<(string Group, long Limit)> DailyGroups(EmulatorQuotas q, int level)
    {
        var groups = new List<(string, long)>(2);
        if (q.SharedDailyLimit is { } all)
        {
            groups.Add(("all levels", all));
        }

        if (level is 1 or 2 && q.Levels1And2DailyLimit is { } low)
        {
            groups.Add(("Levels 1 and 2", low));
        }

        if (level is 3 && q.Level3DailyLimit is { } high)
        {
            groups.Add(("Level 3", high));
        }

        return groups;
    }

    private sealed class Bucket(double rate, DateTimeOffset now)
    {
        public double Rate { get; } = rate;

        public double Capacity { get; } = Math.Max(1, rate);

        public double Tokens { get; set; } = Math.Max(1, rate);

        private DateTimeOffset Last { get; set; } = now;

        public void Refill(DateTimeOffset now)
        {
            var elapsed = (now - Last).TotalSeconds;
            if (elapsed > 0)
            {
                Tokens = Math.Min(Capacity, Tokens + (elapsed * Rate));
                Last = now;
            }
        }
    }
}

/// <summary>Why a call was throttled, and how long until a call would be allowed.</summary>
internal sealed record QuotaRejection(long RetryAfterMilliseconds, string Message);
