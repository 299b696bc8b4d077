using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dataphin.OpenApi.Samples.AspNetCore;
using Dataphin.OpenApi.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Dataphin.OpenApi.AspNetCore.Tests;

/// <summary>The ASP.NET Core sample, started on a loopback port, registering lineage in the emulator through its DI client.</summary>
#pragma warning disable CA1001 // Disposed in DisposeAsync (IAsyncLifetime).
public sealed class LineageApiTests : IAsyncLifetime
#pragma warning restore CA1001
{
    private DataphinEmulator _emulator = null!;
    private WebApplication _app = null!;
    private HttpClient _http = null!;

    public async Task InitializeAsync()
    {
        _emulator = await DataphinEmulator.StartAsync();
        _app = LineageApi.Build([], builder =>
        {
            builder.WebHost.UseUrls("http://127.0.0.1:0");
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Dataphin:RegionId"] = null,
                ["Dataphin:Endpoint"] = _emulator.Endpoint.ToString(),
                ["Dataphin:AccessKeyId"] = _emulator.AccessKeyId,
                ["Dataphin:AccessKeySecret"] = _emulator.AccessKeySecret,
                ["Lineage:TenantId"] = _emulator.DefaultTenantId.ToString(System.Globalization.CultureInfo.InvariantCulture),
            });
        });
        await _app.StartAsync();
        var address = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        _http = new HttpClient { BaseAddress = new Uri(address) };
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
        await _emulator.DisposeAsync();
    }

    private static object Job(int columns = 2, string? targetGuid = "odps.300001234.dw_project.dwd_trade_order_di") => new
    {
        source = new { catalog = "dataphin", schema = "ods_project", name = "ods_trade_order", env = "PROD" },
        target = targetGuid is null ? null : new { guid = targetGuid },
        columns = Enumerable.Range(0, columns).Select(i => new { source = $"col_{i}", target = $"col_{i}", direct = i % 2 == 0 }).ToArray(),
    };

    [Fact]
    public async Task A_job_run_registers_its_table_and_column_lineage_in_dataphin()
    {
        using var response = await _http.PostAsJsonAsync("/jobs/nightly_orders/lineage", Job(columns: 3));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var edge = Assert.Single(_emulator.GetLineage(_emulator.DefaultTenantId));
        Assert.Equal("ods_trade_order", edge.Source.Name);
        Assert.Equal("odps.300001234.dw_project.dwd_trade_order_di", edge.Target.Guid);
        Assert.Equal(3, edge.FieldLineages.Count);
        Assert.Contains("nightly_orders", edge.RelationPropertiesJson, StringComparison.Ordinal);
        Assert.Equal([true, false, true], edge.FieldLineages.Select(f => f.IsDirect));
    }

    [Fact]
    public async Task A_job_with_more_than_100_columns_is_sent_as_several_calls()
    {
        using var response = await _http.PostAsJsonAsync("/jobs/wide_table/lineage", Job(columns: 230));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(3, body.GetProperty("requestIds").GetArrayLength());
        Assert.Equal(230, Assert.Single(_emulator.GetLineage(_emulator.DefaultTenantId)).FieldLineages.Count);
    }

    [Fact]
    public async Task A_bad_job_gets_a_400_naming_the_field_and_nothing_reaches_dataphin()
    {
        using var response = await _http.PostAsJsonAsync("/jobs/broken/lineage", Job(targetGuid: null));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(problem.GetProperty("errors").TryGetProperty("Target", out _));
        Assert.Empty(_emulator.Requests);
    }

    [Fact]
    public async Task Deleting_a_jobs_lineage_removes_it()
    {
        using var added = await _http.PostAsJsonAsync("/jobs/nightly_orders/lineage", Job(columns: 2));
        using var request = new HttpRequestMessage(HttpMethod.Delete, "/jobs/nightly_orders/lineage") { Content = JsonContent.Create(Job(columns: 2)) };

        using var deleted = await _http.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, deleted.StatusCode);
        Assert.Empty(_emulator.GetLineage(_emulator.DefaultTenantId));
    }

    [Fact]
    public async Task An_unreachable_dataphin_is_a_502_with_problem_details_and_no_secret()
    {
        // A port that was bound and then closed: nothing listens there, so the connection is refused.
        var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        await using var api = await StartApiAsync(new Uri($"http://127.0.0.1:{port}"));

        using var response = await api.Http.PostAsJsonAsync("/jobs/nightly_orders/lineage", Job());

        var problem = await AssertProblemAsync(response, HttpStatusCode.BadGateway);
        Assert.Equal("Dataphin could not be reached.", problem.GetProperty("title").GetString());
        Assert.Contains("the connection was refused", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal("ConnectFailed", problem.GetProperty("failure").GetString());
        Assert.False(response.Headers.Contains("Retry-After"));
    }

    [Fact]
    public async Task A_dataphin_server_error_is_a_502_with_problem_details_and_the_request_id()
    {
        _emulator.SetFault("AddRegisterLineage", EmulatorFault.AlwaysServerError(503));
        await using var api = await StartApiAsync(_emulator.Endpoint);

        using var response = await api.Http.PostAsJsonAsync("/jobs/nightly_orders/lineage", Job());

        var problem = await AssertProblemAsync(response, HttpStatusCode.BadGateway);
        Assert.Equal(503, problem.GetProperty("dataphinStatus").GetInt32());
        Assert.Equal(_emulator.Requests[^1].RequestId, problem.GetProperty("requestId").GetString());
        Assert.Contains("HTTP 503", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Throttling_by_dataphin_is_a_503_with_retry_after_and_problem_details()
    {
        await using var emulator = await DataphinEmulator.StartAsync(new DataphinEmulatorOptions
        {
            Quotas = new EmulatorQuotas { Level1Qps = 0.01, Level2Qps = 0.01, Level3Qps = 0.01 },
        });
        await using var api = await StartApiAsync(emulator.Endpoint, emulator);

        using var first = await api.Http.PostAsJsonAsync("/jobs/first/lineage", Job());
        using var second = await api.Http.PostAsJsonAsync("/jobs/second/lineage", Job());

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        var problem = await AssertProblemAsync(second, HttpStatusCode.ServiceUnavailable);
        Assert.StartsWith("Dataphin is throttling", problem.GetProperty("title").GetString(), StringComparison.Ordinal);
        var retryAfter = Assert.Single(second.Headers.GetValues("Retry-After"));
        Assert.True(int.Parse(retryAfter, System.Globalization.CultureInfo.InvariantCulture) >= 1, retryAfter);
        Assert.Equal(emulator.Requests[^1].RequestId, problem.GetProperty("requestId").GetString());
    }

    /// <summary>The answer is RFC 7807 problem details with the status; nothing in it is a secret of the API's AccessKey.</summary>
    private async Task<JsonElement> AssertProblemAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var text = await response.Content.ReadAsStringAsync();
        Assert.DoesNotContain(_emulator.AccessKeySecret, text, StringComparison.Ordinal);
        Assert.DoesNotContain("Signature=", text, StringComparison.Ordinal);
        var problem = JsonDocument.Parse(text).RootElement.Clone();
        Assert.Equal((int)status, problem.GetProperty("status").GetInt32());
        Assert.False(string.IsNullOrWhiteSpace(problem.GetProperty("detail").GetString()));
        return problem;
    }

    /// <summary>Another instance of the API, sending to <paramref name="endpoint"/> with one attempt per call and no circuit breaker.</summary>
    private async Task<Api> StartApiAsync(Uri endpoint, DataphinEmulator? emulator = null)
    {
        var keys = emulator ?? _emulator;
        var app = LineageApi.Build([], builder =>
        {
            builder.WebHost.UseUrls("http://127.0.0.1:0");
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Dataphin:RegionId"] = null,
                ["Dataphin:Endpoint"] = endpoint.ToString(),
                ["Dataphin:AccessKeyId"] = keys.AccessKeyId,
                ["Dataphin:AccessKeySecret"] = keys.AccessKeySecret,
                ["Dataphin:Retry:MaxAttempts"] = "1",
                ["Dataphin:CircuitBreaker:Enabled"] = "false",
                ["Lineage:TenantId"] = keys.DefaultTenantId.ToString(System.Globalization.CultureInfo.InvariantCulture),
            });
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new Api(app, new HttpClient { BaseAddress = new Uri(address) });
    }

    private sealed record Api(WebApplication App, HttpClient Http) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            Http.Dispose();
            await App.StopAsync();
            await App.DisposeAsync();
        }
    }

    /// <summary>
    /// As a user runs it: the environment variables README names on top of appsettings.json. In this class, not
    /// another, because environment variables are process-wide and test classes run in parallel.
    /// </summary>
    [Fact]
    public async Task The_sample_runs_from_appsettings_json_and_the_documented_environment_variables()
    {
        var variables = new Dictionary<string, string?>
        {
            ["Dataphin__Endpoint"] = _emulator.Endpoint.ToString(),
            ["ALIBABA_CLOUD_ACCESS_KEY_ID"] = _emulator.AccessKeyId,
            ["ALIBABA_CLOUD_ACCESS_KEY_SECRET"] = _emulator.AccessKeySecret,
            ["Lineage__TenantId"] = _emulator.DefaultTenantId.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        var saved = variables.Keys.ToDictionary(k => k, Environment.GetEnvironmentVariable);
        try
        {
            foreach (var (name, value) in variables)
            {
                Environment.SetEnvironmentVariable(name, value);
            }

            await using var app = LineageApi.Build([], builder => builder.WebHost.UseUrls("http://127.0.0.1:0"));
            await app.StartAsync();
            var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
            using var http = new HttpClient { BaseAddress = new Uri(address) };

            using var response = await http.PostAsJsonAsync("/jobs/env_configured/lineage", Job(columns: 1));
            await app.StopAsync();

            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var edge = Assert.Single(_emulator.GetLineage(_emulator.DefaultTenantId));
            Assert.Contains("env_configured", edge.RelationPropertiesJson, StringComparison.Ordinal);
            var sent = Assert.Single(_emulator.Requests, r => r.Action == "AddRegisterLineage");
            Assert.Contains("etl-lineage-api/1.0", sent.Headers["user-agent"], StringComparison.Ordinal); // from appsettings.json
        }
        finally
        {
            foreach (var (name, value) in saved)
            {
                Environment.SetEnvironmentVariable(name, value);
            }
        }
    }
}
