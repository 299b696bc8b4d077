using Dataphin.OpenApi.IntegrationTests.Support;
using Dataphin.OpenApi.Testing;

namespace Dataphin.OpenApi.IntegrationTests;

/// <summary>
/// The emulator's quotas on a fake clock that only the test moves. Clients that would retry a throttled call make a
/// single attempt here: a retry would wait on the real clock for an emulator clock that does not move.
/// </summary>
public sealed class ThrottlingTests
{
    [Fact]
    public async Task An_exceeded_quota_is_answered_with_Throttling_User_and_the_wait_until_the_next_token()
    {
        var clock = ManualTimeProvider.AtSystemTime();
        var quotas = EmulatorQuotas.ForEdition(EmulatorEdition.Basic);
        quotas.Level2Qps = 1;
        await using var emulator = await DataphinEmulator.StartAsync(new DataphinEmulatorOptions { TimeProvider = clock, Quotas = quotas });
        using var client = Lineages.Client(emulator, configure: Lineages.SingleAttempt);

        await client.AddRegisterLineageAsync(emulator.DefaultTenantId, Lineages.Add(("a", "b")));
        clock.Advance(TimeSpan.FromMilliseconds(750));
        var error = await Assert.ThrowsAsync<DataphinThrottledException>(() => client.AddRegisterLineageAsync(emulator.DefaultTenantId, Lineages.Add(("c", "d"))));

        Assert.Equal(400, error.Status);
        Assert.Equal("Throttling.User", error.ErrorCode);
        Assert.Equal(TimeSpan.FromMilliseconds(250), error.RetryAfter);
        Assert.False(error.IsClientSide);
        Assert.DoesNotContain(emulator.GetLineage(emulator.DefaultTenantId).Single().FieldLineages, f => f.Source.Name == "c");

        clock.Advance(TimeSpan.FromMilliseconds(250));
        await client.AddRegisterLineageAsync(emulator.DefaultTenantId, Lineages.Add(("c", "d")));
        Assert.Equal(2, emulator.GetLineage(emulator.DefaultTenantId).Single().FieldLineages.Count);
    }

    [Fact]
    public async Task Levels_have_separate_budgets_on_Basic_and_one_shared_budget_on_Personal()
    {
        var clock = ManualTimeProvider.AtSystemTime();
        var basic = EmulatorQuotas.ForEdition(EmulatorEdition.Basic);
        basic.Level2Qps = 1;
        basic.Level3Qps = 1;
        await using var emulator = await DataphinEmulator.StartAsync(new DataphinEmulatorOptions { TimeProvider = clock, Quotas = basic });
        using var client = Lineages.Client(emulator, configure: Lineages.SingleAttempt);

        await client.AddRegisterLineageAsync(emulator.DefaultTenantId, Lineages.Add(("a", "b")));
        await client.SendAsync(new DataphinOperationRequest("GetTableLineages", emulator.DefaultTenantId).AddQuery("TableGuid", Lineages.DwdGuid));

        var personal = EmulatorQuotas.ForEdition(EmulatorEdition.Personal);
        personal.SharedQps = 1;
        emulator.Quotas = personal;
        await client.AddRegisterLineageAsync(emulator.DefaultTenantId, Lineages.Add(("a", "b")));
        await Assert.ThrowsAsync<DataphinThrottledException>(() => client.SendAsync(new DataphinOperationRequest("GetTableLineages", emulator.DefaultTenantId).AddQuery("TableGuid", Lineages.DwdGuid)));
    }

    [Fact]
    public async Task Daily_limits_when_enabled_refuse_calls_until_the_next_utc_day()
    {
        var clock = new ManualTimeProvider(new DateTimeOffset(2025, 1, 1, 23, 0, 0, TimeSpan.Zero));
        var quotas = EmulatorQuotas.ForEdition(EmulatorEdition.Personal);
        quotas.DailyLimitsEnabled = true;
        quotas.SharedDailyLimit = 2;
        await using var emulator = await DataphinEmulator.StartAsync(new DataphinEmulatorOptions { TimeProvider = clock, Quotas = quotas, RequestDateTolerance = TimeSpan.FromDays(3650) });
        using var client = Lineages.Client(emulator);

        await client.AddRegisterLineageAsync(emulator.DefaultTenantId, Lineages.Add(("a", "b")));
        clock.Advance(TimeSpan.FromSeconds(1));
        await client.AddRegisterLineageAsync(emulator.DefaultTenantId, Lineages.Add(("a", "b")));
        clock.Advance(TimeSpan.FromSeconds(1));
        var error = await Assert.ThrowsAsync<DataphinThrottledException>(() => client.AddRegisterLineageAsync(emulator.DefaultTenantId, Lineages.Add(("a", "b"))));

        Assert.Equal(TimeSpan.FromSeconds(3598), error.RetryAfter);
        clock.Advance(TimeSpan.FromHours(1));
        await client.AddRegisterLineageAsync(emulator.DefaultTenantId, Lineages.Add(("a", "b")));
    }

    [Fact]
    public async Task With_quotas_switched_off_a_burst_is_not_throttled()
    {
        await using var emulator = await DataphinEmulator.StartAsync(new DataphinEmulatorOptions { Quotas = EmulatorQuotas.Disabled });
        using var client = Lineages.Client(emulator);

        for (var i = 0; i < 30; i++)
        {
            await client.SendAsync(new DataphinOperationRequest("GetTableLineages", emulator.DefaultTenantId).AddQuery("TableGuid", "x"));
        }

        Assert.All(emulator.Requests, r => Assert.Equal(200, r.Status));
    }
}
