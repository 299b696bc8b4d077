using System.Text;
using BenchmarkDotNet.Attributes;
using Dataphin.OpenApi.Models;
using Dataphin.OpenApi.Testing;

namespace Dataphin.OpenApi.Benchmarks;

/// <summary>
/// Per-call overhead of the generated operation methods against the hand-written lineage path, over the same canned
/// in-memory handler: the same AddRegisterLineage command through <c>DataphinClient.AddRegisterLineageAsync</c> and
/// through the generated <c>DataAsset.AddRegisterLineageAsync</c>; and a generated operation with a typed request and a
/// typed answer (<c>GetBatchTaskInfo</c>, whose canned answer carries a task) against the same call by name.
/// </summary>
[MemoryDiagnoser]
[Config(typeof(SteadyConfig))]
public class GeneratedOperationBenchmarks
{
    private const string TaskAnswer = """
        {"RequestId":"82E78D6B-AA8F-1FEF-8AA3-5C9DA2A79140","Success":true,"Code":"OK","HttpStatusCode":200,"Message":"success",
         "TaskInfo":{"Code":"select 1;","CronExpression":"0 0 1 * * ?","DagId":"dag_102121211","FileId":123,"Name":"orders_daily",
          "NodeId":"n_123","NodeStatus":1,"Owner":"3001","ProjectId":7128268454335680,"ScheduleType":1,
          "CustomScheduleConfig":{"EndTime":"20:59","Interval":1,"IntervalUnit":"HOUR","SchedulePeriod":"DAILY","StartTime":"08:00"}}}
        """;

    private static readonly Uri Endpoint = new("https://dataphin-public.cn-hangzhou.aliyuncs.com");
    private HttpClient _lineageHttp = null!;
    private HttpClient _taskHttp = null!;
    private DataphinClient _lineage = null!;
    private DataphinClient _task = null!;
    private AddRegisterLineageCommand _command = null!;
    private GetBatchTaskInfoRequest _request = null!;

    [GlobalSetup]
    public void Setup()
    {
        _lineageHttp = new HttpClient(new FakeDataphinTransport { RecordsRequests = false });
        _taskHttp = new HttpClient(new FakeDataphinTransport { RecordsRequests = false, Fallback = FakeDataphinResponse.Json(System.Net.HttpStatusCode.OK, TaskAnswer) });
        _lineage = new DataphinClient(_lineageHttp, Options());
        _task = new DataphinClient(_taskHttp, Options());
        _command = Commands.Add(3);
        _request = new GetBatchTaskInfoRequest { FileId = 123, ProjectId = 7128268454335680, Env = "PROD" };
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _lineage.Dispose();
        _task.Dispose();
        _lineageHttp.Dispose();
        _taskHttp.Dispose();
    }

    [Benchmark(Baseline = true, Description = "DataphinClient.AddRegisterLineageAsync (hand-written)")]
    public async Task<string?> HandWrittenLineage() => (await _lineage.AddRegisterLineageAsync(Commands.TenantId, _command).ConfigureAwait(false)).RequestId;

    [Benchmark(Description = "DataAsset.AddRegisterLineageAsync (generated)")]
    public async Task<string?> GeneratedLineage() => (await _lineage.DataAsset.AddRegisterLineageAsync(Commands.TenantId, _command).ConfigureAwait(false)).RequestId;

    [Benchmark(Description = "DataDevelopment.BatchTask.GetBatchTaskInfoAsync (generated, typed answer)")]
    public async Task<string?> GeneratedTask() => (await _task.DataDevelopment.BatchTask.GetBatchTaskInfoAsync(Commands.TenantId, _request).ConfigureAwait(false)).TaskInfo?.Name;

    [Benchmark(Description = "SendAsync(\"GetBatchTaskInfo\") by name (JsonElement answer)")]
    public async Task<string?> ByName()
    {
        var response = await _task.SendAsync(
            new DataphinOperationRequest("GetBatchTaskInfo", Commands.TenantId).AddQuery("Env", "PROD").AddQuery("FileId", "123").AddQuery("ProjectId", "7128268454335680")).ConfigureAwait(false);
        return response.Content.GetProperty("TaskInfo").GetProperty("Name").GetString();
    }

    private static DataphinClientOptions Options()
    {
        var options = new DataphinClientOptions { Endpoint = Endpoint, Credential = new DataphinCredential("LTAI5tBenchmarkKey", "benchmark-secret") };

        // The whole pipeline runs, but with quotas the canned handler never reaches: the figures are the SDK's own work.
        options.RateLimit.Level1Qps = 100_000;
        options.RateLimit.Level2Qps = 100_000;
        options.RateLimit.Burst = 1000;
        options.RateLimit.TrackDailyQuota = false;
        return options;
    }
}
