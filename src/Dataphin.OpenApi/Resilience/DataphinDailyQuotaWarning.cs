namespace Dataphin.OpenApi;

/// <summary>Raised through <see cref="DataphinRateLimitOptions.DailyQuotaWarning"/> when today's calls near a daily cap.</summary>
public sealed class DataphinDailyQuotaWarning
{
    internal DataphinDailyQuotaWarning(long opTenantId, string accessKeyId, IReadOnlyList<ThrottlingLevel> levels, long callsToday, long dailyLimit, DateTime day)
    {
        OpTenantId = opTenantId;
        AccessKeyId = accessKeyId;
        Levels = levels;
        CallsToday = callsToday;
        DailyLimit = dailyLimit;
        Day = day;
    }

    /// <summary>The tenant the calls were made in.</summary>
    public long OpTenantId { get; }

    /// <summary>The AccessKey id the calls were signed with (the id only, never the secret).</summary>
    public string AccessKeyId { get; }

    /// <summary>The throttling levels that share the cap.</summary>
    public IReadOnlyList<ThrottlingLevel> Levels { get; }

    /// <summary>Calls sent today by this process for this tenant, AccessKey and cap.</summary>
    public long CallsToday { get; }

    /// <summary>The daily cap.</summary>
    public long DailyLimit { get; }

    /// <summary>The day counted, in the clock of <see cref="DataphinRateLimitOptions.DailyQuotaUtcOffset"/>.</summary>
    public DateTime Day { get; }

    /// <summary>Describes the warning, e.g. <c>Tenant 300001234: 900 of 1000 calls today (Level1, Level2, Level3)</c>.</summary>
    /// <returns>The description.</returns>
    public override string ToString()
        => $"Tenant {OpTenantId}, AccessKey {AccessKeyId}: {CallsToday} of {DailyLimit} calls on {Day:yyyy-MM-dd} ({string.Join(", ", Levels)})";
}
