using Dataphin.OpenApi.Bulk;
using Dataphin.OpenApi.TestSupport;

namespace Dataphin.OpenApi.Tests.Bulk;

/// <summary>A bulk run pauses instead of failing items while the service cannot take calls, and stops on errors that apply to every call.</summary>
public class BulkRunResilienceTests
{
    private const long Tenant = 300001234;

    [Fact]
    public async Task While_the_circuit_is_open_the_run_pauses_and_then_registers_every_item()
    {
        var clock = new ManualTimeProvider();
        var closesAt = clock.GetUtcNow() + TimeSpan.FromSeconds(15);
        var client = new FakeLineageClient((_, _) => clock.GetUtcNow() < closesAt
            ? throw new DataphinCircuitOpenException("AddRegisterLineage", ThrottlingLevel.Level2, closesAt - clock.GetUtcNow())
            : Task.CompletedTask);

        var summary = await clock.DriveAsync(new DataphinBulkLineage(client, Tenant).RunToSummaryAsync(
            LineageItems.Many(20),
            new BulkOptions { MaxConcurrency = 4, TimeProvider = clock }));

        Assert.Equal(20, summary.Succeeded);
        Assert.Equal(0, summary.Failed);
        Assert.Equal(0, summary.Cancelled);
        Assert.Equal(TimeSpan.FromSeconds(15), summary.PausedFor);
        Assert.InRange(summary.CallsShortCircuited, 1, 4);
        Assert.Equal(20, summary.CallsSent);
        Assert.Equal(BulkStopReason.None, summary.StopReason);
        Assert.True(summary.AllSucceeded);
    }

    [Fact]
    public async Task Throttling_that_reaches_the_run_pauses_it_for_as_long_as_the_service_asks()
    {
        var clock = new ManualTimeProvider();
        var throttled = 0;
        var client = new FakeLineageClient((command, _) => command.Target!.Name == "dwd_t3" && Interlocked.Increment(ref throttled) <= 2
            ? throw Throttled(TimeSpan.FromSeconds(2))
            : Task.CompletedTask);

        var summary = await clock.DriveAsync(new DataphinBulkLineage(client, Tenant).RunToSummaryAsync(
            LineageItems.Many(10),
            new BulkOptions { MaxConcurrency = 1, TimeProvider = clock }));

        Assert.Equal(10, summary.Succeeded);
        Assert.Equal(TimeSpan.FromSeconds(4), summary.PausedFor);
        Assert.Equal(12, summary.CallsSent);
        Assert.Equal(3, client.Sent.Count(c => c.Target!.Name == "dwd_t3"));
    }

    [Fact]
    public async Task A_pause_longer_than_the_budget_stops_the_run_and_leaves_the_items_for_later()
    {
        var clock = new ManualTimeProvider();
        var client = new FakeLineageClient((_, _) => throw new DataphinCircuitOpenException("AddRegisterLineage", ThrottlingLevel.Level2, TimeSpan.FromSeconds(10)));

        var summary = await clock.DriveAsync(new DataphinBulkLineage(client, Tenant).RunToSummaryAsync(
            LineageItems.Many(50),
            new BulkOptions { MaxConcurrency = 2, TimeProvider = clock, MaxPause = TimeSpan.FromSeconds(25) }));

        Assert.Equal(BulkStopReason.PauseBudgetExhausted, summary.StopReason);
        Assert.IsType<DataphinCircuitOpenException>(summary.StopError);
        Assert.Equal(TimeSpan.FromSeconds(20), summary.PausedFor);
        Assert.Equal(0, summary.Failed);
        Assert.Equal(0, summary.Succeeded);
        Assert.Equal(summary.Total, summary.Cancelled);
        Assert.InRange(summary.Total, 1, 2);
        Assert.False(summary.AllSucceeded);
    }

    [Fact]
    public async Task A_server_error_that_outlasts_the_clients_retries_is_sent_again_after_a_backoff()
    {
        var clock = new ManualTimeProvider();
        var failures = 0;
        var client = new FakeLineageClient((command, _) => command.Target!.Name == "dwd_t1" && Interlocked.Increment(ref failures) <= 2
            ? throw FakeLineageClient.ServerError()
            : Task.CompletedTask);

        var summary = await clock.DriveAsync(new DataphinBulkLineage(client, Tenant).RunToSummaryAsync(
            LineageItems.Many(3),
            new BulkOptions { MaxConcurrency = 1, TimeProvider = clock }));

        Assert.Equal(3, summary.Succeeded);
        Assert.Equal(5, summary.CallsSent);
        Assert.Equal(TimeSpan.Zero, summary.PausedFor);
    }

    [Fact]
    public async Task A_server_error_on_every_retry_fails_only_that_item()
    {
        var clock = new ManualTimeProvider();
        var client = new FakeLineageClient((command, _) => command.Target!.Name == "dwd_t1" ? throw FakeLineageClient.ServerError() : Task.CompletedTask);

        var summary = await clock.DriveAsync(new DataphinBulkLineage(client, Tenant).RunToSummaryAsync(
            LineageItems.Many(3),
            new BulkOptions { MaxConcurrency = 1, TimeProvider = clock, TransientFailureRetries = 3 }));

        Assert.Equal(2, summary.Succeeded);
        Assert.Equal(1, summary.Failed);
        Assert.Equal(4, client.Sent.Count(c => c.Target!.Name == "dwd_t1"));
        Assert.Equal(BulkStopReason.None, summary.StopReason);
    }

    [Theory]
    [InlineData("SignatureDoesNotMatch")]
    [InlineData("InvalidAccessKeyId.NotFound")]
    [InlineData("DataphinOpenAPIRamUnAuthorized")]
    [InlineData("DataphinOpenApiForbidden")]
    public async Task An_account_wide_error_stops_the_run_after_the_calls_already_in_flight(string code)
    {
        var client = new FakeLineageClient((_, _) => throw AccountError(code));

        var summary = await new DataphinBulkLineage(client, Tenant).RunToSummaryAsync(LineageItems.Many(600), new BulkOptions { MaxConcurrency = 8 });

        Assert.Equal(BulkStopReason.AccountError, summary.StopReason);
        Assert.Equal(code, Assert.IsAssignableFrom<DataphinRequestException>(summary.StopError).ErrorCode);
        Assert.InRange(client.Calls, 1, 8);
        Assert.InRange(summary.Total, 1, 8);
        Assert.Equal(client.Calls, summary.Failed);
    }

    [Fact]
    public async Task An_edition_error_stops_the_run_too()
    {
        var client = new FakeLineageClient((_, _) => throw new DataphinEditionException("AddRegisterLineage", DataphinEdition.Agile, DataphinEdition.Personal));

        var summary = await new DataphinBulkLineage(client, Tenant).RunToSummaryAsync(LineageItems.Many(100), new BulkOptions { MaxConcurrency = 1 });

        Assert.Equal(BulkStopReason.AccountError, summary.StopReason);
        Assert.Equal(1, summary.Total);
        Assert.Equal(1, summary.CallsShortCircuited);
        Assert.Equal(0, summary.CallsSent);
    }

    [Fact]
    public async Task An_items_own_error_does_not_stop_the_run()
    {
        var client = new FakeLineageClient((command, _) => command.Target!.Name == "dwd_t4"
            ? throw new DataphinRequestException(new DataphinErrorDetails("AddRegisterLineage", 400) { ErrorCode = "InvalidParameter.AssetNotFound", ServiceMessage = "The table does not exist." })
            : Task.CompletedTask);

        var summary = await new DataphinBulkLineage(client, Tenant).RunToSummaryAsync(LineageItems.Many(10), new BulkOptions { MaxConcurrency = 2 });

        Assert.Equal(9, summary.Succeeded);
        Assert.Equal(1, summary.Failed);
        Assert.Equal(BulkStopReason.None, summary.StopReason);
        Assert.Equal(10, client.Calls);
    }

    [Fact]
    public async Task With_no_pause_budget_the_first_open_circuit_stops_the_run()
    {
        var client = new FakeLineageClient((_, _) => throw new DataphinCircuitOpenException("AddRegisterLineage", ThrottlingLevel.Level2, TimeSpan.FromSeconds(15)));

        var summary = await new DataphinBulkLineage(client, Tenant).RunToSummaryAsync(LineageItems.Many(10), new BulkOptions { MaxConcurrency = 1, MaxPause = TimeSpan.Zero });

        Assert.Equal(BulkStopReason.PauseBudgetExhausted, summary.StopReason);
        Assert.Equal(1, summary.Cancelled);
        Assert.Equal(0, summary.Failed);
    }

    private static DataphinThrottledException Throttled(TimeSpan retryAfter)
        => new(new DataphinErrorDetails("AddRegisterLineage", 400) { ErrorCode = "Throttling.User", RetryAfter = retryAfter }, ThrottlingLevel.Level2, isClientSide: false);

    private static DataphinRequestException AccountError(string code)
    {
        var details = new DataphinErrorDetails("AddRegisterLineage", code.StartsWith("DataphinOpenApiForbidden", StringComparison.Ordinal) ? 403 : 400) { ErrorCode = code };
        return code.StartsWith("DataphinOpenApiForbidden", StringComparison.Ordinal) ? new DataphinForbiddenException(details) : new DataphinAuthenticationException(details);
    }
}
