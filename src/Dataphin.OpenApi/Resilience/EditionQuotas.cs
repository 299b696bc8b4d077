namespace Dataphin.OpenApi.Resilience;

/// <summary>The quotas of each edition (throttling.md, "Quotas per edition"), with the user's overrides applied.</summary>
internal static class EditionQuotas
{
    private static readonly ThrottlingLevel[] AllLevels = [ThrottlingLevel.Level1, ThrottlingLevel.Level2, ThrottlingLevel.Level3];
    private static readonly ThrottlingLevel[] Levels12 = [ThrottlingLevel.Level1, ThrottlingLevel.Level2];
    private static readonly ThrottlingLevel[] Level3Only = [ThrottlingLevel.Level3];

    /// <summary>Personal and Agile R&amp;D have one QPS budget and one daily cap for all levels together.</summary>
    public static bool SharesOneBudget(DataphinEdition? edition) => edition is DataphinEdition.Personal or DataphinEdition.Agile;

    /// <summary>The bucket a level draws from: 0 for the shared budget, otherwise the level.</summary>
    public static int BudgetOf(DataphinEdition? edition, ThrottlingLevel level) => SharesOneBudget(edition) ? 0 : (int)level;

    /// <summary>Queries per second for <paramref name="level"/>; an edition that is not set gets Basic R&amp;D's quotas.</summary>
    public static double Qps(DataphinEdition? edition, ThrottlingLevel level, DataphinRateLimitOptions options)
    {
        if (SharesOneBudget(edition))
        {
            return options.SharedQps ?? 5;
        }

        return level switch
        {
            ThrottlingLevel.Level1 => options.Level1Qps ?? 50,
            ThrottlingLevel.Level2 => options.Level2Qps ?? 20,
            _ => options.Level3Qps ?? 5,
        };
    }

    /// <summary>The daily cap <paramref name="level"/> counts against, or <see langword="null"/> when it is unlimited.</summary>
    public static DailyCap? DailyCapOf(DataphinEdition? edition, ThrottlingLevel level, DataphinRateLimitOptions options)
    {
        switch (edition)
        {
            case DataphinEdition.Personal:
                return new DailyCap("all", options.SharedDailyLimit ?? 100, AllLevels);
            case DataphinEdition.Agile:
                return new DailyCap("all", options.SharedDailyLimit ?? 1_000, AllLevels);
            default:
                if (level == ThrottlingLevel.Level3)
                {
                    return new DailyCap("level3", options.Level3DailyLimit ?? 10_000, Level3Only);
                }

                long? limit = edition == DataphinEdition.Intelligent ? options.Level12DailyLimit : options.Level12DailyLimit ?? 50_000;
                return limit is { } value ? new DailyCap("level12", value, Levels12) : null;
        }
    }
}

/// <summary>One daily cap: its name within the key, the limit and the levels that share it.</summary>
internal sealed class DailyCap(string group, long limit, IReadOnlyList<ThrottlingLevel> levels)
{
    public string Group { get; } = group;

    public long Limit { get; } = limit;

    public IReadOnlyList<ThrottlingLevel> Levels { get; } = levels;
}
