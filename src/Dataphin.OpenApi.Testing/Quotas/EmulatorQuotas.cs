namespace Dataphin.OpenApi.Testing;

/// <summary>
/// The API quotas the emulator enforces, per tenant and throttling level: a token bucket holding at most the QPS
/// number of calls, refilled continuously at that rate on the emulator's clock. An exceeded quota is answered like
/// the service does: HTTP 400, code <c>Throttling.User</c> and an <c>x-acs-retry-after</c> header (milliseconds
/// until a call would be allowed). Daily call limits are optional (off by default).
/// </summary>
/// <example>
/// <code>
/// var quotas = EmulatorQuotas.ForEdition(EmulatorEdition.Basic);
/// quotas.Level2Qps = 1; // a tiny quota to test throttling
/// await using var emulator = await DataphinEmulator.StartAsync(new DataphinEmulatorOptions { Quotas = quotas });
/// </code>
/// </example>
public sealed class EmulatorQuotas
{
    /// <summary>Whether quotas are enforced at all.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>When set, one budget of this many calls per second shared by all levels (Personal and Agile R&amp;D); otherwise each level has its own.</summary>
    public double? SharedQps { get; set; }

    /// <summary>Calls per second of Level 1 operations (when <see cref="SharedQps"/> is not set).</summary>
    public double Level1Qps { get; set; } = 50;

    /// <summary>Calls per second of Level 2 operations, such as AddRegisterLineage (when <see cref="SharedQps"/> is not set).</summary>
    public double Level2Qps { get; set; } = 20;

    /// <summary>Calls per second of Level 3 operations and of operations the throttling table does not list (when <see cref="SharedQps"/> is not set).</summary>
    public double Level3Qps { get; set; } = 5;

    /// <summary>Whether the daily limits below are enforced (per tenant, per UTC day of the emulator's clock). Off by default.</summary>
    public bool DailyLimitsEnabled { get; set; }

    /// <summary>Calls a day of all levels together, or <see langword="null"/> for no such limit.</summary>
    public long? SharedDailyLimit { get; set; }

    /// <summary>Calls a day of Level 1 and Level 2 operations together, or <see langword="null"/> for no such limit.</summary>
    public long? Levels1And2DailyLimit { get; set; }

    /// <summary>Calls a day of Level 3 operations, or <see langword="null"/> for no such limit.</summary>
    public long? Level3DailyLimit { get; set; }

    /// <summary>Quotas switched off: every call is allowed.</summary>
    public static EmulatorQuotas Disabled => new() { Enabled = false };

    /// <summary>The documented quotas of <paramref name="edition"/> (daily limits filled in but not enforced until <see cref="DailyLimitsEnabled"/> is set).</summary>
    /// <param name="edition">The Dataphin edition.</param>
    /// <returns>New, changeable quotas.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="edition"/> is not a known edition.</exception>
    public static EmulatorQuotas ForEdition(EmulatorEdition edition) => edition switch
    {
        EmulatorEdition.Personal => new() { SharedQps = 5, SharedDailyLimit = 100 },
        EmulatorEdition.Agile => new() { SharedQps = 5, SharedDailyLimit = 1_000 },
        EmulatorEdition.Basic => new() { Level1Qps = 50, Level2Qps = 20, Level3Qps = 5, Levels1And2DailyLimit = 50_000, Level3DailyLimit = 10_000 },
        EmulatorEdition.Intelligent => new() { Level1Qps = 50, Level2Qps = 20, Level3Qps = 5, Level3DailyLimit = 10_000 },
        _ => throw new ArgumentOutOfRangeException(nameof(edition), edition, "Unknown edition."),
    };

    /// <summary>Returns a copy of these quotas.</summary>
    public EmulatorQuotas Clone() => (EmulatorQuotas)MemberwiseClone();

    internal IEnumerable<string> Problems()
    {
        if (SharedQps is { } shared && !(shared > 0))
        {
            yield return $"Quotas.SharedQps must be positive (was {shared}).";
        }

        foreach (var (name, value) in new[] { ("Level1Qps", Level1Qps), ("Level2Qps", Level2Qps), ("Level3Qps", Level3Qps) })
        {
            if (!(value > 0))
            {
                yield return $"Quotas.{name} must be positive (was {value}).";
            }
        }

        foreach (var (name, value) in new[] { ("SharedDailyLimit", SharedDailyLimit), ("Levels1And2DailyLimit", Levels1And2DailyLimit), ("Level3DailyLimit", Level3DailyLimit) })
        {
            if (value is < 0)
            {
                yield return $"Quotas.{name} must not be negative (was {value}).";
            }
        }
    }
}
