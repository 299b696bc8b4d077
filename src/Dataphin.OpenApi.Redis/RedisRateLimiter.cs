using System.Globalization;
using StackExchange.Redis;

namespace Dataphin.OpenApi.Redis;

/// <summary>
/// One key's limiter: permits from the shared budget in Redis (<see cref="RedisBudgetScript"/>), one round trip each,
/// then a wait on the client's clock for the time the script answered; or, while Redis cannot be reached, permits
/// from a local adaptive bucket at the fallback share of the quota, asking Redis again every
/// <see cref="DataphinRedisRateLimitOptions.RetryInterval"/> (one caller asks; the others stay local meanwhile).
/// </summary>
internal sealed class RedisRateLimiter : DataphinRateLimiter
{
    private const long UnixEpochTicks = 621_355_968_000_000_000;
    private static readonly TimeSpan KeyTimeToLive = TimeSpan.FromMinutes(10);

    private readonly DataphinRedisRateLimiterProvider _provider;
    private readonly DataphinRateLimitKey _key;
    private readonly RedisKey _redisKey;
    private readonly DataphinRateLimitQuota _quota;
    private readonly DataphinRateLimitQuota _fallbackQuota;
    private readonly TimeProvider _time;
    private readonly KeyValuePair<string, object?> _levelTag;
    private readonly object _gate = new();
    private double _rate;
    private long? _fallbackSince;
    private long _fallbackAccounted;
    private long _nextProbe;
    private bool _probing;
    private long _lastFallbackStart = long.MaxValue;
    private long _lastFallbackEnd = long.MinValue;

    public RedisRateLimiter(DataphinRedisRateLimiterProvider provider, DataphinRateLimitKey key, string redisKey, DataphinRateLimitQuota quota, TimeProvider time)
    {
        _provider = provider;
        _key = key;
        _redisKey = redisKey;
        _quota = quota;
        _time = time;
        _rate = quota.PermitsPerSecond;
        var share = provider.Options.EffectiveFallbackShare;
        _fallbackQuota = new DataphinRateLimitQuota(quota.PermitsPerSecond * share, quota.Burst, quota.Adaptive);
        _levelTag = new("dataphin.level", key.Level is { } level ? (int)level : 0);
    }

    /// <summary>Whether calls are paced by the local bucket now (Redis unreachable).</summary>
    public bool InFallback
    {
        get
        {
            lock (_gate)
            {
                return _fallbackSince is not null;
            }
        }
    }

    /// <summary>The shared rate Redis last answered, or the local bucket's rate while Redis cannot be reached.</summary>
    public override double CurrentRate
    {
        get
        {
            lock (_gate)
            {
                if (_fallbackSince is null)
                {
                    return _rate;
                }
            }

            return Fallback.CurrentRate;
        }
    }

    /// <summary>The local bucket used while Redis cannot be reached (the in-process provider's, at the fallback share).</summary>
    private DataphinRateLimiter Fallback => DataphinRateLimiterProvider.InProcess.GetLimiter(_key, _fallbackQuota, _time);

    public override async ValueTask<DataphinRatePermit> AcquireAsync(TimeSpan maxWait, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var started = _time.GetTimestamp();
        if (!TryUseRedis(started))
        {
            return await Fallback.AcquireAsync(maxWait, cancellationToken).ConfigureAwait(false);
        }

        RedisResult[] answer;
        try
        {
            var budget = maxWait < TimeSpan.FromDays(1) ? maxWait : TimeSpan.FromDays(1);
            answer = await _provider.EvaluateAsync(_redisKey, Arguments(RedisBudgetScript.Acquire, Micros(budget))).ConfigureAwait(false);
        }
        catch (Exception error) when (error is not OperationCanceledException)
        {
            EnterFallback(error);
            var left = maxWait - _time.GetElapsedTime(started);
            return await Fallback.AcquireAsync(left > TimeSpan.Zero ? left : TimeSpan.Zero, cancellationToken).ConfigureAwait(false);
        }

        var granted = (long)answer[0] == 1;
        // The script answers in microseconds; timers count whole milliseconds (Task.Delay truncates): round up, never send early.
        var wait = TimeSpan.FromMilliseconds(Math.Ceiling((long)answer[1] / 1000.0));
        Answered(double.Parse((string)answer[2]!, CultureInfo.InvariantCulture));
        if (!granted)
        {
            return DataphinRatePermit.Refuse(wait);
        }

        if (wait > TimeSpan.Zero)
        {
            try
            {
#if NET8_0_OR_GREATER
                await Task.Delay(wait, _time, cancellationToken).ConfigureAwait(false);
#else
                await _time.Delay(wait, cancellationToken).ConfigureAwait(false);
#endif
            }
            catch (OperationCanceledException)
            {
                // The caller takes no permit: give the reservation back to the fleet.
                PendingReport = Forget(_provider.EvaluateAsync(_redisKey, Arguments(RedisBudgetScript.Release, 0)));
                throw;
            }
        }

        var now = _time.GetTimestamp();
        return DataphinRatePermit.Grant(now, _time.GetElapsedTime(started, now));
    }

    public override void OnThrottled(DataphinRatePermit permit)
    {
        if (IsLocal(permit))
        {
            Fallback.OnThrottled(permit);
            return;
        }

        if (!_quota.Adaptive)
        {
            return;
        }

        // When the throttled attempt's permit was reserved (it was sent Waited later), on the clock the script runs on:
        // a report about a permit reserved before the last cut (by any process) does not cut again, even when the
        // attempt went out after the cut, since its slot was given at the old rate.
        var reservedAt = NowMicros() - Micros(_time.GetElapsedTime(permit.GrantedAt)) - Micros(permit.Waited);
        PendingReport = Forget(ReportThrottleAsync(reservedAt));
    }

    public override void OnSucceeded(DataphinRatePermit permit)
    {
        if (IsLocal(permit))
        {
            Fallback.OnSucceeded(permit);
        }
    }

    /// <summary>The last report sent to Redis in the background (a throttling answer, a reservation given back), for tests.</summary>
    internal Task PendingReport { get; private set; } = Task.CompletedTask;

    /// <summary>Reads the shared rate from Redis (tests).</summary>
    internal async Task<double> ReadSharedRateAsync()
    {
        var answer = await _provider.EvaluateAsync(_redisKey, Arguments(RedisBudgetScript.Read, 0)).ConfigureAwait(false);
        return double.Parse((string)answer[2]!, CultureInfo.InvariantCulture);
    }

    private static long Micros(TimeSpan span) => span.Ticks / 10;

    /// <summary>Runs a report to Redis in the background (its failure observed and dropped); returns it for tests.</summary>
    private static Task Forget(Task task)
    {
        Task observed = task.ContinueWith(static t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        return observed;
    }

    private async Task ReportThrottleAsync(long reservedAt)
    {
        try
        {
            var answer = await _provider.EvaluateAsync(_redisKey, Arguments(RedisBudgetScript.Throttle, reservedAt)).ConfigureAwait(false);
            Answered(double.Parse((string)answer[2]!, CultureInfo.InvariantCulture));
        }
        catch (Exception error) when (error is not OperationCanceledException)
        {
            // A throttling report that does not reach Redis is dropped: the fleet goes on at its rate, and the next report cuts.
            _provider.ReportFailure(error, _time);
        }
    }

    private long NowMicros() => (_time.GetUtcNow().UtcTicks - UnixEpochTicks) / 10;

    private RedisValue[] Arguments(string operation, long argument) =>
    [
        operation,
        NowMicros(),
        _quota.PermitsPerSecond.ToString("R", CultureInfo.InvariantCulture),
        _quota.Burst,
        _quota.Adaptive ? 1 : 0,
        argument,
        (long)KeyTimeToLive.TotalMilliseconds,
    ];

    /// <summary>Whether this call asks Redis: always while Redis answers; while it does not, one call per retry interval.</summary>
    private bool TryUseRedis(long now)
    {
        lock (_gate)
        {
            if (_fallbackSince is null)
            {
                return true;
            }

            AccountFallback(now);
            if (!_probing && now >= _nextProbe)
            {
                _probing = true;
                return true;
            }

            return false;
        }
    }

    private void EnterFallback(Exception error)
    {
        var now = _time.GetTimestamp();
        lock (_gate)
        {
            _probing = false;
            _nextProbe = now + (long)(_provider.Options.RetryInterval.TotalSeconds * _time.TimestampFrequency);
            if (_fallbackSince is null)
            {
                _fallbackSince = now;
                _fallbackAccounted = now;
            }
            else
            {
                AccountFallback(now);
            }
        }

        _provider.ReportFailure(error, _time);
    }

    private void Answered(double rate)
    {
        var recovered = false;
        lock (_gate)
        {
            _rate = rate;
            if (_fallbackSince is { } since)
            {
                var now = _time.GetTimestamp();
                AccountFallback(now);
                _lastFallbackStart = since;
                _lastFallbackEnd = now;
                _fallbackSince = null;
                _probing = false;
                recovered = true;
            }
        }

        if (recovered || _provider.InOutage)
        {
            _provider.ReportAnswered();
        }
    }

    /// <summary>Adds the time in fallback since it was last counted to the metric (called under the lock).</summary>
    private void AccountFallback(long now)
    {
        var seconds = _time.GetElapsedTime(_fallbackAccounted, now).TotalSeconds;
        if (seconds > 0)
        {
            RedisTelemetry.FallbackDuration.Add(seconds, _levelTag);
            _fallbackAccounted = now;
        }
    }

    /// <summary>Whether <paramref name="permit"/> came from the local bucket (granted while Redis could not be reached).</summary>
    private bool IsLocal(DataphinRatePermit permit)
    {
        lock (_gate)
        {
            return (_fallbackSince is { } since && permit.GrantedAt >= since)
                || (permit.GrantedAt >= _lastFallbackStart && permit.GrantedAt <= _lastFallbackEnd);
        }
    }
}
