using System.Diagnostics;
using System.Text.Json;
using Dataphin.OpenApi.IntegrationTests.Support;
using Dataphin.OpenApi.Testing;
using Xunit.Abstractions;

namespace Dataphin.OpenApi.IntegrationTests;

/// <summary>
/// The official Alibaba Cloud OpenAPI client for Node.js (@alicloud/openapi-core) against the emulator. Needs node and
/// <c>npm ci --prefix tests/Dataphin.OpenApi.IntegrationTests/NodeClient</c> (.ci/run does it); outside CI the test
/// passes with a note when either is missing, on CI it fails.
/// </summary>
public sealed class NodeClientInteropTests(ITestOutputHelper output)
{
    private static readonly string Fixture = Path.Combine(RepositoryPaths.Root, "tests", "Dataphin.OpenApi.IntegrationTests", "NodeClient");

    [Fact]
    public async Task Requests_signed_by_the_official_node_client_are_accepted_and_applied()
    {
        await using var emulator = await DataphinEmulator.StartAsync(new DataphinEmulatorOptions { Quotas = EmulatorQuotas.Disabled });
        var run = await RunNodeAsync(emulator);
        if (run is null)
        {
            return;
        }

        var (exitCode, lines) = run.Value;
        Assert.True(exitCode == 0, string.Join("\n", lines));
        Assert.Equal(2, lines.Count);
        Assert.All(lines, line => Assert.Equal(200, JsonDocument.Parse(line).RootElement.GetProperty("statusCode").GetInt32()));
        var edge = Assert.Single(emulator.GetLineage(emulator.DefaultTenantId));
        Assert.Equal("pay_amount", Assert.Single(edge.FieldLineages).Source.Name);
        Assert.Equal("""{"description":"订单明细 ETL & load (external) +1","jobName":"node_interop"}""", edge.RelationPropertiesJson);
        Assert.All(emulator.Requests, r => Assert.Equal("chunked", r.Headers.GetValueOrDefault("transfer-encoding")));
        Assert.All(emulator.Requests, r => Assert.Equal("static_ak", r.Headers["x-acs-credentials-provider"]));
    }

    [Fact]
    public async Task Sts_requests_of_the_official_node_client_are_accepted()
    {
        await using var emulator = await DataphinEmulator.StartAsync(new DataphinEmulatorOptions
        {
            Quotas = EmulatorQuotas.Disabled,
            AccessKeyId = "STS.NodeInterop",
            AccessKeySecret = "stsSecret",
            SecurityToken = "CAIS-node-interop-token",
        });
        var run = await RunNodeAsync(emulator);
        if (run is null)
        {
            return;
        }

        Assert.True(run.Value.ExitCode == 0, string.Join("\n", run.Value.Lines));
        Assert.Single(emulator.GetLineage(emulator.DefaultTenantId));
        Assert.All(emulator.Requests, r => Assert.Equal("static_sts", r.Headers["x-acs-credentials-provider"]));
    }

    private async Task<(int ExitCode, List<string> Lines)?> RunNodeAsync(DataphinEmulator emulator)
    {
        var node = FindOnPath("node");
        if (node is null)
        {
            Assert.False(RepositoryPaths.OnCi, "node is not installed, and CI must run the official Node.js client against the emulator.");
            output.WriteLine("Not run: node is not on PATH.");
            return null;
        }

        if (!Directory.Exists(Path.Combine(Fixture, "node_modules", "@alicloud", "openapi-core")))
        {
            Assert.False(RepositoryPaths.OnCi, $"Run 'npm ci --prefix {Fixture}' before the tests (.ci/run does).");
            output.WriteLine($"Not run: the Node.js client is not installed; run 'npm ci --prefix {Fixture}'.");
            return null;
        }

        var start = new ProcessStartInfo(node)
        {
            WorkingDirectory = Fixture,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.ArgumentList.Add("add-and-delete-lineage.mjs");
        start.ArgumentList.Add(emulator.Endpoint.Authority);
        start.ArgumentList.Add(emulator.AccessKeyId);
        start.ArgumentList.Add(emulator.AccessKeySecret);
        start.ArgumentList.Add(emulator.DefaultTenantId.ToString(System.Globalization.CultureInfo.InvariantCulture));
        if (emulator.SecurityToken is { } token)
        {
            start.ArgumentList.Add(token);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        // Only a guard against a hung process: node's start-up alone can take seconds on a loaded CI machine.
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail("The Node.js client did not finish within 2 minutes.");
        }

        var lines = (await stdout).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList();
        var errors = await stderr;
        output.WriteLine(string.Join("\n", lines));
        if (errors.Length > 0)
        {
            output.WriteLine("stderr: " + errors);
        }

        return (process.ExitCode, lines);
    }

    private static string? FindOnPath(string name)
        => (Environment.GetEnvironmentVariable("PATH") ?? string.Empty)
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, name))
            .FirstOrDefault(File.Exists);
}
