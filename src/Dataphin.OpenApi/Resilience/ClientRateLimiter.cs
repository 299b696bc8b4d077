namespace Dataphin.OpenApi.Resilience;

/// <summary>
/// One client's view of the shared buckets: finds the bucket for a call's key, waits for a permit within the budget
/// (refusing with a client-side <see cref="DataphinThrottledException"/> otherwise), counts the daily quota, and feeds
/// throttling answers back to the bucket.
/// </summary>
internal sealed class ClientRateLimiter(string endpointKey, DataphinClientOptions options, IResilienceObserver? observer)
{
    private readonly DataphinRateLimitOptions _settings = options.RateLimit;
    private readonly TimeProvider _time = options.TimeProvider;

    /// <summary>The bucket a call for <paramref name="level"/> in this tenant with this AccessKey uses.</summary>
    public AdaptiveTokenBucket BucketFor(long opTenantId, string accessKeyId, ThrottlingLevel level)
        => RateLimiterRegistry.GetBucket(
            endpointKey,
            opTenantId,
            accessKeyId,
            EditionQuotas.BudgetOf(options.Edition, level),
            _time,
            EditionQuotas.Qps(options.Edition, level, _settings),
            _settings.Burst,
            _settings.Adaptive);

    /// <summary>Waits for a permit for <paramref name="call"/>, made with the AccessKey <paramref name="accessKeyId"/>; returns the permit taken, or the client-side refusal.</summary>
    public async ValueTask<ClientPermit> AcquireAsync(DataphinCall call, string accessKeyId, CancellationToken cancellationToken)
    {
        var level = call.Operation.Level;
        var bucket = BucketFor(call.OpTenantId, accessKeyId, level);
        var remaining = call.Remaining(_time, _time.GetTimestamp());
        var budget = remaining < _settings.MaxWait ? remaining : _settings.MaxWait;
        var permit = await bucket.AcquireAsync(budget, cancellationToken).ConfigureAwait(false);
        if (!permit.IsGranted)
        {
            observer?.OnClientSideRejection(call.Operation.Name, level, permit.EstimatedWait);
            return ClientPermit.Refused(CreateRefusal(call, bucket, budget, permit.EstimatedWait));
        }

        if (permit.Waited > TimeSpan.Zero)
        {
            observer?.OnThrottleWait(call.Operation.Name, level, permit.Waited);
        }

        if (_settings.TrackDailyQuota)
        {
            CountDaily(call, accessKeyId);
        }

        return ClientPermit.Granted(bucket, permit.GrantedAt);
    }

    private void CountDaily(DataphinCall call, string accessKeyId)
    {
        if (EditionQuotas.DailyCapOf(options.Edition, call.Operation.Level, _settings) is not { } cap)
        {
            return;
        }

        var counter = RateLimiterRegistry.GetDailyCounter(endpointKey, call.OpTenantId, accessKeyId, cap.Group, _time);
        if (counter.Record(_time.GetUtcNow(), _settings.DailyQuotaUtcOffset, cap.Limit, _settings.DailyQuotaWarningThreshold) is { } reached)
        {
            var warning = new DataphinDailyQuotaWarning(call.OpTenantId, accessKeyId, cap.Levels, reached.Count, cap.Limit, reached.Day);
            observer?.OnDailyQuotaWarning(warning);
            _settings.DailyQuotaWarning?.Invoke(warning);
        }
    }

    private static DataphinThrottledException CreateRefusal(DataphinCall call, AdaptiveTokenBucket bucket, TimeSpan budget, TimeSpan estimatedWait)
    {
        var details = new DataphinErrorDetails(call.Operation.Name, 0)
        {
            RetryAfter = estimatedWait,
            Hint = $"The client-side rate limiter for {call.Operation.Level} calls ({bucket.CurrentRate:0.##} per second now, {bucket.ConfiguredRate:0.##} configured) "
                + $"could not grant a permit within the wait budget of {budget.TotalSeconds:0.###} s (estimated wait {estimatedWait.TotalSeconds:0.###} s); nothing was sent. "
                + "Send fewer calls at once, or raise DataphinClientOptions.RateLimit.MaxWait",
        };
        return new DataphinThrottledException(details, call.Operation.Level, isClientSide: true);
    }
}
