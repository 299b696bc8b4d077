using System.Globalization;
using System.Text;
using System.Text.Json;
using Dataphin.OpenApi.Testing;

namespace Dataphin.OpenApi.Cli.Tests;

/// <summary>The emulator's shared command line and the state it serves for scripts.</summary>
public class EmulatorStateTests
{
    [Fact]
    public async Task The_state_endpoint_serves_exactly_the_documented_shape_and_counts()
    {
        await using var emulator = await DataphinEmulator.StartAsync(new DataphinEmulatorOptions { Quotas = EmulatorQuotas.Disabled });
        var command = new AddRegisterLineageCommand(AssetReference.ByGuid("odps.1.a.b"), AssetReference.ByGuid("odps.1.a.c"));
        command.DetailedLineages.Add(new FieldLineage(AssetReference.FieldByGuid("odps.1.a.b.x", "odps.1.a.b"), AssetReference.FieldByGuid("odps.1.a.c.x", "odps.1.a.c")));
        using (var client = new DataphinClient(emulator.Endpoint, new DataphinCredential(emulator.AccessKeyId, emulator.AccessKeySecret)))
        {
            await client.AddRegisterLineageAsync(emulator.DefaultTenantId, command);
            await client.AddRegisterLineageAsync(emulator.DefaultTenantId, command);
        }

        using (var wrong = new DataphinClient(emulator.Endpoint, new DataphinCredential(emulator.AccessKeyId, "wrong-secret")))
        {
            await Assert.ThrowsAsync<DataphinAuthenticationException>(() => wrong.AddRegisterLineageAsync(emulator.DefaultTenantId, command));
        }

        using var http = new HttpClient();
        var text = await http.GetStringAsync(emulator.StateEndpoint);

        Assert.Equal(new Uri(emulator.Endpoint, "_emulator/state"), emulator.StateEndpoint);
        Assert.Equal(
            """{"requests":{"AddRegisterLineage":{"received":3,"accepted":2,"throttled":0,"rejected":1,"faulted":0}},"throttledAnswers":0,"tableLineages":1,"fieldLineages":1,"repeatedRegistrations":1}""",
            text);
        Assert.Equal(text, emulator.GetStatistics().ToJson());
    }

    [Fact]
    public async Task Throttled_and_faulted_answers_are_counted_apart()
    {
        var quotas = EmulatorQuotas.ForEdition(EmulatorEdition.Basic);
        quotas.Level2Qps = 1;
        await using var emulator = await DataphinEmulator.StartAsync(new DataphinEmulatorOptions { Quotas = quotas });
        var options = new DataphinClientOptions { Endpoint = emulator.Endpoint, Credential = new DataphinCredential(emulator.AccessKeyId, emulator.AccessKeySecret) };
        options.RateLimit.Enabled = false;
        options.Retry.MaxAttempts = 1;
        options.CircuitBreaker.Enabled = false;
        using var client = new DataphinClient(options);
        var command = new AddRegisterLineageCommand(AssetReference.ByGuid("odps.1.a.b"), AssetReference.ByGuid("odps.1.a.c"));

        await client.AddRegisterLineageAsync(emulator.DefaultTenantId, command);
        await Assert.ThrowsAsync<DataphinThrottledException>(() => client.AddRegisterLineageAsync(emulator.DefaultTenantId, command));
        emulator.Quotas = EmulatorQuotas.Disabled;
        emulator.SetFault("AddRegisterLineage", EmulatorFault.AlwaysServerError());
        await Assert.ThrowsAsync<DataphinRequestException>(() => client.AddRegisterLineageAsync(emulator.DefaultTenantId, command));

        var statistics = emulator.GetStatistics();
        Assert.Equal(new EmulatorActionStatistics(3, 1, 1, 0, 1), statistics.Requests["AddRegisterLineage"]);
        Assert.Equal(1, statistics.ThrottledAnswers);
    }

    [Theory]
    [InlineData(new[] { "--fault-rate", "1.5" }, "--fault-rate '1.5' must be a share from 0 to 1")]
    [InlineData(new[] { "--fault-rate", "0.6", "--drop-rate", "0.5" }, "--fault-rate and --drop-rate together must be at most 1")]
    [InlineData(new[] { "--edition", "Agile", "--level2-qps", "3" }, "The Agile edition has one quota for all levels: use --shared-qps")]
    [InlineData(new[] { "--no-quotas", "--level2-qps", "3" }, "--no-quotas switches the quotas off")]
    [InlineData(new[] { "--latency-ms", "-5" }, "--latency-ms '-5' must be a whole number from 0 to 600000.")]
    [InlineData(new[] { "--port" }, "--port needs a value (n).")]
    [InlineData(new[] { "--bogus" }, "Unknown option '--bogus'.")]
    [InlineData(new[] { "--max-body-bytes", "0" }, "--max-body-bytes '0' must be a whole number from 1 to 1073741824.")]
    [InlineData(new[] { "--max-body-bytes", "1073741825" }, "--max-body-bytes '1073741825' must be a whole number from 1 to 1073741824.")]
    [InlineData(new[] { "--max-recorded-bytes", "-1" }, "--max-recorded-bytes '-1' must be a whole number from 1 to ")]
    public void The_shared_command_line_names_the_option_and_the_rule(string[] args, string expected)
    {
        var error = Assert.Throws<EmulatorCommandLineException>(() => EmulatorCommandLine.Parse(args));

        Assert.Contains(expected, error.Message);
    }

    [Fact]
    public void The_shared_command_line_sets_quotas_faults_and_credentials()
    {
        var commandLine = EmulatorCommandLine.Parse(["--edition", "Intelligent", "--level2-qps", "1000", "--fault-rate", "0.3", "--drop-rate", "0.05", "--latency-ms", "20", "--access-key-id", "id1", "--access-key-secret", "s1", "--security-token", "t1", "--tenant", "42", "--fault-seed", "7"]);

        var options = commandLine.EmulatorOptions;
        Assert.Equal(1000, options.Quotas.Level2Qps);
        Assert.Equal(50, options.Quotas.Level1Qps);
        Assert.Null(options.Quotas.SharedQps);
        Assert.Equal(("id1", "s1", "t1", 42L, 7), (options.AccessKeyId, options.AccessKeySecret, options.SecurityToken, options.DefaultTenantId, options.FaultSeed));
        Assert.Equal(0.3, commandLine.Fault!.ServerErrorRate);
        Assert.Equal(0.05, commandLine.Fault.DroppedConnectionRate);
        Assert.Equal(TimeSpan.FromMilliseconds(20), commandLine.Fault.Latency);
        Assert.Equal(5, EmulatorCommandLine.Parse(["--edition", "agile"]).EmulatorOptions.Quotas.SharedQps);
        Assert.Equal(2, EmulatorCommandLine.Parse(["--edition", "Personal", "--shared-qps", "2"]).EmulatorOptions.Quotas.SharedQps);
        Assert.False(EmulatorCommandLine.Parse(["--no-quotas"]).EmulatorOptions.Quotas.Enabled);
    }

    [Fact]
    public async Task The_body_cap_and_the_request_log_cap_are_set_from_the_command_line_and_an_oversized_call_is_refused()
    {
        var defaults = EmulatorCommandLine.Parse([]).EmulatorOptions;
        var commandLine = EmulatorCommandLine.Parse(["--no-quotas", "--max-body-bytes", "1024", "--max-recorded-bytes", "100000"]);
        await using var emulator = await commandLine.StartAsync();
        var options = new DataphinClientOptions { Endpoint = emulator.Endpoint, Credential = new DataphinCredential(emulator.AccessKeyId, emulator.AccessKeySecret) };
        options.Retry.MaxAttempts = 1;
        using var client = new DataphinClient(options);
        var small = new AddRegisterLineageCommand(AssetReference.ByGuid("odps.1.a.b"), AssetReference.ByGuid("odps.1.a.c"));
        var large = new AddRegisterLineageCommand(AssetReference.ByGuid("odps.1.a.b"), AssetReference.ByGuid("odps.1.a.c"));
        for (var i = 0; i < 20; i++)
        {
            large.DetailedLineages.Add(new FieldLineage(AssetReference.FieldByGuid($"odps.1.a.b.column_{i}", "odps.1.a.b"), AssetReference.FieldByGuid($"odps.1.a.c.column_{i}", "odps.1.a.c")));
        }

        await client.AddRegisterLineageAsync(emulator.DefaultTenantId, small);
        var error = await Assert.ThrowsAsync<DataphinRequestException>(() => client.AddRegisterLineageAsync(emulator.DefaultTenantId, large));

        Assert.Equal((DataphinEmulatorOptions.DefaultMaxRequestBodyBytes, DataphinEmulatorOptions.DefaultMaxRecordedRequestBytes), (defaults.MaxRequestBodyBytes, defaults.MaxRecordedRequestBytes));
        Assert.Equal((1024, 100_000L), (commandLine.EmulatorOptions.MaxRequestBodyBytes, commandLine.EmulatorOptions.MaxRecordedRequestBytes));
        Assert.Equal(413, error.Status);
        Assert.Equal("RequestBodyTooLarge", error.ErrorCode);
        Assert.Equal(new EmulatorActionStatistics(2, 1, 0, 1, 0), emulator.GetStatistics().Requests["AddRegisterLineage"]);
        Assert.Equal(1, emulator.GetStatistics().TableLineages);
        Assert.Equal(0, emulator.GetStatistics().FieldLineages);
        Assert.Equal("Stopping; 2 requests were received.", EmulatorCommandLine.DescribeStopping(emulator));
    }

    [Fact]
    public async Task Dataphin_emulator_offers_every_option_of_the_standalone_emulator()
    {
        var help = await CliRun.RunAsync(null, "emulator", "--help");
        var bad = await CliRun.RunAsync(null, "emulator", "--drop-rate", "2");

        Assert.All(EmulatorCommandLine.Options, option => Assert.Contains(option.Name, help.Stdout));
        Assert.Equal(2, bad.ExitCode);
        Assert.Contains("--drop-rate '2' must be a share from 0 to 1", bad.Stderr);
    }

    [Fact]
    public async Task Dataphin_emulator_with_flags_injects_faults_keeps_a_given_secret_to_itself_and_serves_its_state()
    {
        using var stop = new CancellationTokenSource();
        var stdout = new ReadyWriter();
        var run = CliApp.RunAsync(["emulator", "--edition", "Agile", "--fault-rate", "1", "--access-key-secret", "my-own-secret-42", "--tenant", "77"], stdout, new StringWriter(), new CliEnvironment(), stop.Token);
        var endpoint = new Uri(await stdout.Ready.Task.WaitAsync(TimeSpan.FromMinutes(1)));

        var options = new DataphinClientOptions { Endpoint = endpoint, Credential = new DataphinCredential(DataphinEmulatorOptions.DefaultAccessKeyId, "my-own-secret-42") };
        options.Retry.MaxAttempts = 1;
        using (var client = new DataphinClient(options))
        {
            var error = await Assert.ThrowsAsync<DataphinRequestException>(() => client.AddRegisterLineageAsync(77, new AddRegisterLineageCommand(AssetReference.ByGuid("odps.1.a.b"), AssetReference.ByGuid("odps.1.a.c"))));
            Assert.Equal(503, error.Status);
        }

        using var http = new HttpClient();
        using var state = JsonDocument.Parse(await http.GetStringAsync(new Uri(endpoint, "_emulator/state")));
        await stop.CancelAsync();
        var code = await run;

        Assert.Equal(0, code);
        Assert.Equal(1, state.RootElement.GetProperty("requests").GetProperty("AddRegisterLineage").GetProperty("faulted").GetInt32());
        var text = stdout.ToString();
        Assert.DoesNotContain("my-own-secret-42", text);
        Assert.Contains("AccessKey secret:  the one given with --access-key-secret", text);
        Assert.Contains("5 QPS shared by all levels (Agile)", text);
        Assert.Contains("faults:            100% answered 503, 0% dropped, 0 ms latency", text);
        Assert.Contains($"state:             GET {endpoint}_emulator/state", text);
        Assert.Contains("Stopping; 1 requests were received.", text);
    }

    /// <summary>Completes <see cref="Ready"/> with the endpoint once the emulator command says it is ready.</summary>
    private sealed class ReadyWriter : StringWriter
    {
        private string? _endpoint;

        public TaskCompletionSource<string> Ready { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public override Encoding Encoding => Encoding.UTF8;

        public override Task WriteLineAsync(string? value)
        {
            base.WriteLine(value);
            if (value is not null && value.TrimStart().StartsWith("endpoint:", StringComparison.Ordinal))
            {
                _endpoint = value.Split("endpoint:")[1].Trim();
            }

            if (value == EmulatorCommand.ReadyLine)
            {
                Ready.TrySetResult(_endpoint!);
            }

            return Task.CompletedTask;
        }
    }
}
