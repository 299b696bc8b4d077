using System.Net;
using System.Text;
using System.Text.Json;
using Dataphin.OpenApi.OpenLineage.AspNetCore;
using Dataphin.OpenApi.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;

namespace Dataphin.OpenApi.AspNetCore.Tests.OpenLineage;

/// <summary>
/// Issue 17: the OpenLineage endpoint on a loopback port, fed Spark-, Airflow- and dbt-shaped events over HTTP, forwarding
/// to the emulator. Waits are on the queue's own signals (drained), never on time.
/// </summary>
#pragma warning disable CA1001 // Disposed in DisposeAsync (IAsyncLifetime).
public sealed class OpenLineageEndpointTests : IAsyncLifetime
#pragma warning restore CA1001
{
    private const string Pg = "postgres://warehouse.example.internal:5432";
    private readonly string _state = Directory.CreateTempSubdirectory("dataphin-ol-").FullName;
    private DataphinEmulator _emulator = null!;

    public async Task InitializeAsync() => _emulator = await DataphinEmulator.StartAsync(new DataphinEmulatorOptions { Quotas = EmulatorQuotas.Disabled });

    public async Task DisposeAsync()
    {
        await _emulator.DisposeAsync();
        Directory.Delete(_state, recursive: true);
    }

    private static string[] SparkSample() => File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, "samples", "openlineage", "spark-events.jsonl"));

    private static string[] DbtSample() => File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, "samples", "openlineage", "dbt-events.jsonl")).Where(l => l.Trim().Length > 0).ToArray();

    [Fact]
    public async Task Spark_Airflow_and_dbt_events_posted_over_http_end_in_the_emulators_store_each_pair_registered_once()
    {
        await using var server = await OpenLineageTestServer.StartAsync(_emulator, _state);
        var spark = SparkSample();
        var dbt = DbtSample();
        var airflowColumns = """{"fields":{"order_id":{"inputFields":[{"namespace":"postgres://warehouse.example.internal:5432","name":"analytics.staging.stg_orders","field":"order_id","transformations":[{"type":"DIRECT","subtype":"IDENTITY"}]}]}}}""";
        string Airflow(string type, string? columns) => OpenLineageTestServer.Event(type, "01931f5e-0000-7000-8000-00000000a1f0", "orders_dag.load_orders", [(Pg, "analytics.staging.stg_orders")], [(Pg, "analytics.marts.orders_daily")], columns);

        // Spark: START, COMPLETE (column lineage), FAIL of the same run, one post each.
        foreach (var line in spark)
        {
            var posted = await server.PostAsync(line);
            Assert.True(posted.StatusCode == HttpStatusCode.OK, await posted.Content.ReadAsStringAsync());
        }

        // dbt: START and COMPLETE in one array, gzip-compressed.
        var dbtPost = await server.PostAsync("[" + dbt[0] + "," + dbt[1] + "]", gzip: true);
        Assert.True(dbtPost.StatusCode == HttpStatusCode.OK, await dbtPost.Content.ReadAsStringAsync());
        using (var answer = JsonDocument.Parse(await dbtPost.Content.ReadAsStringAsync()))
        {
            Assert.Equal(2, answer.RootElement.GetProperty("received").GetInt32());
            Assert.Contains("file seeds/country_codes.csv", answer.RootElement.GetProperty("unmapped").EnumerateArray().Select(e => e.GetString()));
        }

        // Airflow: START and RUNNING without column lineage, COMPLETE with it.
        Assert.Equal(HttpStatusCode.OK, (await server.PostAsync(Airflow("START", null))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await server.PostAsync(Airflow("RUNNING", null))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await server.PostAsync(Airflow("COMPLETE", airflowColumns))).StatusCode);
        await server.DrainedAsync();

        var stored = _emulator.GetLineage(_emulator.DefaultTenantId);
        var pairs = stored.Select(e => $"{e.Source.EmulatorGuid} -> {e.Target.EmulatorGuid}").OrderBy(p => p, StringComparer.Ordinal).ToList();
        Assert.Equal(
            [
                "odps.300001234.ods_project.ods_trade_order -> odps.300001234.dw_project.dwd_trade_order_di",
                "odps.300001234.ods_project.ods_user -> odps.300001234.dw_project.dwd_trade_order_di",
                "pg_warehouse.staging.stg_customers -> pg_warehouse.marts.customers",
                "pg_warehouse.staging.stg_orders -> pg_warehouse.marts.customers",
                "pg_warehouse.staging.stg_orders -> pg_warehouse.marts.orders_daily",
            ],
            pairs);
        Assert.DoesNotContain(stored, e => e.Target.EmulatorGuid.Contains("should_not_appear", StringComparison.Ordinal));
        Assert.Equal(4, stored.Single(e => e.Source.EmulatorGuid.EndsWith("ods_trade_order", StringComparison.Ordinal)).FieldLineages.Count);
        Assert.Single(stored.Single(e => e.Target.EmulatorGuid.EndsWith("orders_daily", StringComparison.Ordinal)).FieldLineages);

        // START, RUNNING and COMPLETE of a run were merged: one call per pair, no repeated registration.
        var statistics = _emulator.GetStatistics();
        Assert.Equal(5, statistics.Requests["AddRegisterLineage"].Received);
        Assert.Equal(0, statistics.RepeatedRegistrations);

        var unmapped = await server.GetStringAsync("/api/v1/lineage/unmapped");
        using var list = JsonDocument.Parse(unmapped);
        var names = list.RootElement.GetProperty("datasets").EnumerateArray().Select(d => d.GetProperty("namespace").GetString() + " " + d.GetProperty("name").GetString()).ToList();
        Assert.Contains("s3a://raw-landing /events/2025/01/01", names);
        Assert.Contains("file seeds/country_codes.csv", names);
        Assert.Contains(server.Logs, l => l.Contains("No mapping rule maps the OpenLineage dataset s3a://raw-landing /events/2025/01/01", StringComparison.Ordinal));
        Assert.Equal("Healthy", await server.GetStringAsync("/health"));
    }

    [Fact]
    public async Task A_post_without_a_key_or_with_a_wrong_key_gets_401_and_nothing_is_queued_or_logged_of_the_key()
    {
        await using var server = await OpenLineageTestServer.StartAsync(_emulator, _state);
        var e = SparkSample()[1];

        var none = await server.PostAsync(e, key: null);
        var wrong = await server.PostAsync(e, key: "not-the-key-but-as-long-as-one");
        var basic = new HttpRequestMessage(HttpMethod.Get, "/api/v1/lineage/unmapped");
        basic.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes("user:" + OpenLineageTestServer.ApiKey)));
        var basicAnswer = await server.SendAsync(basic);

        Assert.Equal(HttpStatusCode.Unauthorized, none.StatusCode);
        Assert.Equal("Bearer", none.Headers.WwwAuthenticate.Single().Scheme);
        Assert.Contains("Authorization: Bearer <api key>", await none.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        Assert.Contains("The API key is not accepted.", await wrong.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Unauthorized, basicAnswer.StatusCode);
        Assert.Equal(0, server.Queue.Count);
        Assert.Equal(0, _emulator.RequestsReceived);
        Assert.DoesNotContain(server.Logs, l => l.Contains("not-the-key-but-as-long-as-one", StringComparison.Ordinal) || l.Contains(OpenLineageTestServer.ApiKey, StringComparison.Ordinal) || l.Contains(_emulator.AccessKeySecret, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Without_keys_events_are_accepted_only_when_anonymous_loopback_is_allowed_and_the_start_names_missing_settings()
    {
        await using (var open = await OpenLineageTestServer.StartAsync(_emulator, _state, o =>
        {
            o.ApiKeys.Clear();
            o.AllowAnonymousOnLoopback = true;
        }))
        {
            Assert.Equal(HttpStatusCode.OK, (await open.PostAsync(SparkSample()[1], key: null)).StatusCode);
        }

        var refused = await Assert.ThrowsAsync<Microsoft.Extensions.Options.OptionsValidationException>(() => OpenLineageTestServer.StartAsync(_emulator, Path.Combine(_state, "b"), o =>
        {
            o.ApiKeys.Clear();
            o.ApiKeys.Add("short");
            o.StateFolder = null;
        }));
        Assert.Contains("ApiKeys[0] is shorter than 16 characters", refused.Message);
        Assert.Contains("StateFolder is not set", refused.Message);
        var noKeys = await Assert.ThrowsAsync<Microsoft.Extensions.Options.OptionsValidationException>(() => OpenLineageTestServer.StartAsync(_emulator, Path.Combine(_state, "c"), o => o.ApiKeys.Clear()));
        Assert.Contains("ApiKeys is empty", noKeys.Message);
    }

    [Theory]
    [InlineData("""{"eventType":"COMPLETE","producer":"p","run":{"runId":"r1"},"job":{"namespace":"n","name":"j"}}""", "eventTime", "eventTime is missing")]
    [InlineData("""{"eventType":"COMPLETE","eventTime":"2025-01-01T00:00:00Z","producer":"p","run":{"runId":"r1"},"job":{"namespace":"n","name":"j"},"outputs":[{"namespace":"","name":"t"}]}""", "outputs[0].namespace", "outputs[0].namespace is empty")]
    [InlineData("""{"eventType":"COMPLETE","eventTime":"yesterday","producer":"p","run":{"runId":"r1"},"job":{"namespace":"n","name":"j"}}""", "eventTime", "eventTime 'yesterday' is not an ISO 8601 time")]
    [InlineData("""{"eventType":"DONE","eventTime":"2025-01-01T00:00:00Z","producer":"p","run":{"runId":"r1"},"job":{"namespace":"n","name":"j"}}""", "eventType", "eventType 'DONE' is not one of START, RUNNING, COMPLETE, ABORT, FAIL, OTHER")]
    [InlineData("""[{"eventType":"START","eventTime":"2025-01-01T00:00:00Z","producer":"p","run":{"runId":"r1"},"job":{"namespace":"n","name":"j"}},{"eventType":"COMPLETE","eventTime":"2025-01-01T00:00:00Z","producer":"p","run":{"runId":"r1"},"job":{"namespace":"n"}}]""", "[1].job.name", "[1].job.name is missing")]
    [InlineData("""{"eventType":"COMPLETE","eventTime":"2025-01-01T00:00:00Z","producer":"p","run":{"runId":"r1"},"job":{"namespace":"n","name":"j"},"outputs":[{"namespace":"hive://m","name":"dw.t","facets":{"columnLineage":{"fields":{"a":{"inputFields":[{"namespace":"hive://m","name":"ods.s"}]}}}}}]}""", "outputs[0].facets.columnLineage.fields.a.inputFields[0].field", "outputs[0].facets.columnLineage.fields.a.inputFields[0].field is missing")]
    [InlineData("""{"eventType":"COMPLETE", "eventTime": """, "body", "The body is not JSON")]
    [InlineData("""[]""", "body", "empty array")]
    public async Task A_malformed_event_gets_400_with_a_problem_naming_the_field_and_nothing_is_queued(string body, string field, string message)
    {
        await using var server = await OpenLineageTestServer.StartAsync(_emulator, _state);

        var answer = await server.PostAsync(body);

        Assert.Equal(HttpStatusCode.BadRequest, answer.StatusCode);
        Assert.Equal("application/problem+json", answer.Content.Headers.ContentType!.MediaType);
        using var problem = JsonDocument.Parse(await answer.Content.ReadAsStringAsync());
        Assert.Contains(message, problem.RootElement.GetProperty("detail").GetString());
        Assert.Contains(message, problem.RootElement.GetProperty("errors").GetProperty(field)[0].GetString());
        Assert.Equal(0, server.Queue.Count);
        Assert.Equal(0, _emulator.RequestsReceived);
    }

    [Fact]
    public async Task When_the_queue_is_full_the_endpoint_answers_503_with_Retry_After_and_health_says_so()
    {
        // Runs that have not ended are held, so three STARTs fill a queue of three.
        await using var server = await OpenLineageTestServer.StartAsync(_emulator, _state, o =>
        {
            o.QueueCapacity = 3;
            o.RetryAfter = TimeSpan.FromSeconds(7);
            o.RunCompletionWait = TimeSpan.FromDays(1);
        });
        string Start(int i) => OpenLineageTestServer.Event("START", $"run-{i}", $"dag.task_{i}", [(Pg, "analytics.staging.stg_orders")], [(Pg, $"analytics.marts.t{i}")]);

        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await server.PostAsync(Start(i))).StatusCode);
        }

        var full = await server.PostAsync(Start(3));
        var health = await server.GetStringAsync("/health");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, full.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(7), full.Headers.RetryAfter!.Delta);
        Assert.Contains("The queue is full (3 events waiting", await full.Content.ReadAsStringAsync());
        Assert.Equal("Degraded", health);
        Assert.Equal(3, server.Queue.Count);
        Assert.Equal(0, _emulator.RequestsReceived);
    }

    [Fact]
    public async Task A_gzip_bomb_a_body_over_the_cap_bad_gzip_and_an_unknown_encoding_are_refused_before_anything_is_queued()
    {
        await using var server = await OpenLineageTestServer.StartAsync(_emulator, _state, o =>
        {
            o.MaxRequestBodyBytes = 256 * 1024;
            o.MaxDecompressedBodyBytes = 1024 * 1024;
        });

        // 64 MiB of spaces compress to about 64 KiB: under the body cap, far over the decompressed cap.
        var bomb = "[" + new string(' ', 64 * 1024 * 1024) + "]";
        var bombAnswer = await server.PostAsync(bomb, gzip: true);
        var large = await server.PostAsync("[" + new string(' ', 300 * 1024) + "]");
        var badGzip = new HttpRequestMessage(HttpMethod.Post, "/api/v1/lineage") { Content = new ByteArrayContent(Encoding.UTF8.GetBytes("{not gzip}")) };
        badGzip.Content.Headers.ContentEncoding.Add("gzip");
        var badGzipAnswer = await server.SendAsync(badGzip);
        var brotli = new HttpRequestMessage(HttpMethod.Post, "/api/v1/lineage") { Content = new ByteArrayContent([1, 2, 3]) };
        brotli.Content.Headers.ContentEncoding.Add("br");
        var brotliAnswer = await server.SendAsync(brotli);

        Assert.True(bombAnswer.StatusCode == HttpStatusCode.RequestEntityTooLarge, await bombAnswer.Content.ReadAsStringAsync());
        var bombText = await bombAnswer.Content.ReadAsStringAsync();
        Assert.True(bombText.Contains("decompresses to more than 1,048,576 bytes", StringComparison.Ordinal), bombText);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, large.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, badGzipAnswer.StatusCode);
        Assert.Contains("not valid gzip", await badGzipAnswer.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, brotliAnswer.StatusCode);
        Assert.Equal(0, server.Queue.Count);
    }

    [Fact]
    public async Task Metrics_count_accepted_rejected_unmapped_and_forwarded_events()
    {
        await using var server = await OpenLineageTestServer.StartAsync(_emulator, _state);
        var meters = server.App.Services.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>();
        using var accepted = new MetricCollector<long>(meters, OpenLineageServerMetrics.MeterName, "dataphin.openlineage.events.accepted");
        using var rejected = new MetricCollector<long>(meters, OpenLineageServerMetrics.MeterName, "dataphin.openlineage.events.rejected");
        using var unmapped = new MetricCollector<long>(meters, OpenLineageServerMetrics.MeterName, "dataphin.openlineage.datasets.unmapped");
        using var forwarded = new MetricCollector<long>(meters, OpenLineageServerMetrics.MeterName, "dataphin.openlineage.events.forwarded");

        Assert.Equal(HttpStatusCode.OK, (await server.PostAsync(SparkSample()[1])).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await server.PostAsync("{}")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await server.PostAsync(SparkSample()[1], key: null)).StatusCode);
        await server.DrainedAsync();

        Assert.Equal(1, accepted.GetMeasurementSnapshot().EvaluateAsCounter());
        Assert.True(rejected.GetMeasurementSnapshot().EvaluateAsCounter() == 2, string.Join(", ", rejected.GetMeasurementSnapshot().Select(m => $"{m.Value} {string.Join(";", m.Tags)}")));
        Assert.Contains(rejected.GetMeasurementSnapshot(), m => m.Tags["reason"] as string == "unauthorized");
        Assert.Equal(1, unmapped.GetMeasurementSnapshot().EvaluateAsCounter()); // the s3a input (its column lineage use is the same reference)
        Assert.Equal(1, forwarded.GetMeasurementSnapshot().EvaluateAsCounter());
        using var status = JsonDocument.Parse(await server.GetStringAsync("/api/v1/lineage/status"));
        Assert.Equal(0, status.RootElement.GetProperty("queued").GetInt32());
        Assert.Equal(2, status.RootElement.GetProperty("pairsRegistered").GetInt64());
    }

    [Fact]
    public async Task A_credential_Dataphin_refuses_keeps_the_events_queued_instead_of_dropping_them()
    {
        _emulator.RemoveAccessKey(_emulator.AccessKeyId);
        await using var server = await OpenLineageTestServer.StartAsync(_emulator, _state, o => o.ShutdownDrainTimeout = TimeSpan.Zero);

        Assert.Equal(HttpStatusCode.OK, (await server.PostAsync(SparkSample()[1])).StatusCode);
        await server.WaitForLogAsync("Forwarding to Dataphin stopped (AccountError)");

        Assert.Equal(1, server.Queue.Count);
        Assert.Empty(_emulator.GetLineage(_emulator.DefaultTenantId));
        using var status = JsonDocument.Parse(await server.GetStringAsync("/api/v1/lineage/status"));
        Assert.Equal(0, status.RootElement.GetProperty("pairsFailed").GetInt64());
        Assert.DoesNotContain(server.Logs, l => l.Contains(_emulator.AccessKeySecret, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Stopping_the_application_forwards_the_held_runs_and_a_restart_forwards_what_a_failed_stop_left_queued()
    {
        string Start(int i) => OpenLineageTestServer.Event("START", $"run-{i}", $"dag.task_{i}", [(Pg, "analytics.staging.stg_orders")], [(Pg, $"analytics.marts.t{i}")]);
        await using (var first = await OpenLineageTestServer.StartAsync(_emulator, _state, o => o.RunCompletionWait = TimeSpan.FromDays(1)))
        {
            for (var i = 0; i < 4; i++)
            {
                Assert.Equal(HttpStatusCode.OK, (await first.PostAsync(Start(i))).StatusCode);
            }

            Assert.Equal(0, _emulator.RequestsReceived); // Held: the runs have not ended.
        }

        // The stop forwarded the held runs.
        Assert.Equal(4, _emulator.GetLineage(_emulator.DefaultTenantId).Count);

        // Dataphin refuses every call while the second server stops: its events stay queued in the journal.
        _emulator.SetFault("AddRegisterLineage", new EmulatorFault { ServerErrorRate = 1.0 });
        await using (var second = await OpenLineageTestServer.StartAsync(_emulator, _state, o =>
        {
            o.RunCompletionWait = TimeSpan.FromDays(1);
            o.ShutdownDrainTimeout = TimeSpan.Zero;
        }))
        {
            for (var i = 4; i < 7; i++)
            {
                Assert.Equal(HttpStatusCode.OK, (await second.PostAsync(Start(i))).StatusCode);
            }
        }

        Assert.Equal(4, _emulator.GetLineage(_emulator.DefaultTenantId).Count);
        _emulator.SetFault("AddRegisterLineage", null);
        await using var third = await OpenLineageTestServer.StartAsync(_emulator, _state, o => o.RunCompletionWait = TimeSpan.Zero);
        Assert.Equal(3, third.Queue.Replayed);
        await third.DrainedAsync();
        Assert.Equal(7, _emulator.GetLineage(_emulator.DefaultTenantId).Count);
    }
}
