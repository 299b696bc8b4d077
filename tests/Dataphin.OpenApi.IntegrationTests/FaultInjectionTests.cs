using Dataphin.OpenApi.IntegrationTests.Support;
using Dataphin.OpenApi.Testing;

namespace Dataphin.OpenApi.IntegrationTests;

public sealed class FaultInjectionTests
{
    private static readonly DataphinEmulatorOptions NoQuotas = new() { Quotas = EmulatorQuotas.Disabled };

    [Theory]
    [InlineData(503, "ServiceUnavailable")]
    [InlineData(500, "InternalError")]
    public async Task An_injected_server_error_is_answered_in_the_service_shape_and_changes_nothing(int status, string code)
    {
        await using var emulator = await DataphinEmulator.StartAsync(NoQuotas);
        emulator.SetFault("AddRegisterLineage", EmulatorFault.AlwaysServerError(status));
        using var client = Lineages.Client(emulator, configure: Lineages.SingleAttempt);

        var error = await Assert.ThrowsAsync<DataphinRequestException>(() => client.AddRegisterLineageAsync(emulator.DefaultTenantId, Lineages.Add(("a", "b"))));

        Assert.Equal(status, error.Status);
        Assert.Equal(code, error.ErrorCode);
        Assert.Empty(emulator.GetLineage(emulator.DefaultTenantId));
        Assert.All(emulator.Requests, r => Assert.Equal(EmulatorFaultKind.ServerError, r.Fault));
        Assert.All(emulator.Requests, r => Assert.False(r.Applied));
    }

    [Fact]
    public async Task In_apply_before_fault_mode_the_write_lands_although_the_answer_is_a_503()
    {
        await using var emulator = await DataphinEmulator.StartAsync(NoQuotas);
        emulator.SetFault("AddRegisterLineage", new EmulatorFault { ServerErrorRate = 1, ApplyBeforeFault = true });
        using var client = Lineages.Client(emulator, configure: Lineages.SingleAttempt);

        await Assert.ThrowsAsync<DataphinRequestException>(() => client.AddRegisterLineageAsync(emulator.DefaultTenantId, Lineages.Add(("a", "b"))));

        Assert.Single(emulator.GetLineage(emulator.DefaultTenantId));
        Assert.All(emulator.Requests, r => Assert.True(r.Applied));
    }

    [Fact]
    public async Task A_dropped_connection_gives_the_client_no_answer_and_changes_nothing()
    {
        await using var emulator = await DataphinEmulator.StartAsync(NoQuotas);
        emulator.SetFault("*", new EmulatorFault { DroppedConnectionRate = 1 });
        using var client = Lineages.Client(emulator, configure: Lineages.SingleAttempt);

        var error = await Assert.ThrowsAsync<DataphinTransportException>(() => client.AddRegisterLineageAsync(emulator.DefaultTenantId, Lineages.Add(("a", "b"))));

        Assert.Equal(DataphinTransportFailureKind.ConnectionLost, error.Kind);
        Assert.NotNull(error.InnerException);
        Assert.Empty(emulator.GetLineage(emulator.DefaultTenantId));
        Assert.All(emulator.Requests, r => Assert.Equal((0, EmulatorFaultKind.DroppedConnection), (r.Status, r.Fault)));
    }

    [Fact]
    public async Task A_gateway_html_page_is_reported_with_a_snippet_of_the_page()
    {
        await using var emulator = await DataphinEmulator.StartAsync(NoQuotas);
        emulator.SetFault("DeleteRegisterLineage", new EmulatorFault { MalformedBodyRate = 1, MalformedBody = MalformedBodyKind.HtmlPage });
        using var client = Lineages.Client(emulator, configure: Lineages.SingleAttempt);

        var error = await Assert.ThrowsAsync<DataphinRequestException>(() => client.DeleteRegisterLineageAsync(emulator.DefaultTenantId, Lineages.Delete(cascade: null)));

        Assert.Equal(502, error.Status);
        Assert.Contains("502 Bad Gateway", error.ResponseSnippet, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_truncated_json_answer_is_not_taken_for_success()
    {
        await using var emulator = await DataphinEmulator.StartAsync(NoQuotas);
        emulator.SetFault("AddRegisterLineage", new EmulatorFault { MalformedBodyRate = 1 });
        using var client = Lineages.Client(emulator, configure: Lineages.SingleAttempt);

        var error = await Assert.ThrowsAsync<DataphinRequestException>(() => client.AddRegisterLineageAsync(emulator.DefaultTenantId, Lineages.Add(("a", "b"))));

        Assert.Equal(200, error.Status);
        Assert.NotNull(error.ResponseSnippet);
        Assert.Empty(emulator.GetLineage(emulator.DefaultTenantId));
    }

    [Fact]
    public async Task Latency_is_measured_on_the_emulator_clock()
    {
        var clock = ManualTimeProvider.AtSystemTime();
        await using var emulator = await DataphinEmulator.StartAsync(new DataphinEmulatorOptions { Quotas = EmulatorQuotas.Disabled, TimeProvider = clock });
        emulator.SetFault("AddRegisterLineage", new EmulatorFault { Latency = TimeSpan.FromSeconds(30) });
        using var client = Lineages.Client(emulator, configure: Lineages.SingleAttempt);

        var call = client.AddRegisterLineageAsync(emulator.DefaultTenantId, Lineages.Add(("a", "b")));

        // Wait for the emulator to start the injected delay, with no real-clock deadline: if the call ends first (it
        // should not), the assertion below reports it instead of a timeout on a slow machine.
        var delayStarted = clock.TimerCreated.WaitAsync();
        Assert.Same(delayStarted, await Task.WhenAny(delayStarted, call));
        Assert.False(call.IsCompleted);
        Assert.Empty(emulator.GetLineage(emulator.DefaultTenantId));
        clock.Advance(TimeSpan.FromSeconds(30));

        Assert.Equal("OK", (await call).Code);
        Assert.Single(emulator.GetLineage(emulator.DefaultTenantId));
    }

    [Fact]
    public async Task The_same_seed_gives_the_same_sequence_of_faults()
    {
        async Task<List<EmulatorFaultKind>> RunAsync()
        {
            await using var emulator = await DataphinEmulator.StartAsync(new DataphinEmulatorOptions { Quotas = EmulatorQuotas.Disabled, FaultSeed = 42 });
            emulator.SetFault("ListProjects", new EmulatorFault { ServerErrorRate = 0.3, MalformedBodyRate = 0.3 });
            using var client = Lineages.Client(emulator, configure: Lineages.SingleAttempt);
            for (var i = 0; i < 20; i++)
            {
                try
                {
                    await client.SendAsync(new DataphinOperationRequest("ListProjects", emulator.DefaultTenantId));
                }
                catch (DataphinRequestException)
                {
                }
            }

            return emulator.Requests.Select(r => r.Fault).ToList();
        }

        var first = await RunAsync();
        var second = await RunAsync();

        Assert.Equal(first, second);
        Assert.Contains(EmulatorFaultKind.None, first);
        Assert.Contains(EmulatorFaultKind.ServerError, first);
        Assert.Contains(EmulatorFaultKind.MalformedBody, first);
    }
}
