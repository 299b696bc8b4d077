using Dataphin.OpenApi.Testing;

namespace Dataphin.OpenApi.Tests.Support;

internal static class TestClients
{
    public const string AccessKeyId = "LTAI5tTestAccessKeyId";
    public const string AccessKeySecret = "TopSecretValue-never-printed-123";
    public const string SecurityToken = "CAIS-sts-token-never-printed-456";

    public static readonly Uri Endpoint = new("https://dataphin-public.cn-hangzhou.aliyuncs.com");

    public static DataphinClient Create(FakeDataphinTransport handler, DataphinCredential? credential = null, Action<DataphinClientOptions>? configure = null)
        => new(handler.CreateHttpClient(), Options(credential, configure));

    private static DataphinClientOptions Options(DataphinCredential? credential, Action<DataphinClientOptions>? configure)
    {
        var options = new DataphinClientOptions
        {
            Endpoint = Endpoint,
            Credential = credential ?? new DataphinCredential(AccessKeyId, AccessKeySecret),
        };

        // These tests look at one answer at a time: no retries, no breaker, no shared process-wide rate limiter.
        // The resilience behaviour itself is tested under Throttling/ on a fake clock.
        options.Retry.MaxAttempts = 1;
        options.CircuitBreaker.Enabled = false;
        options.RateLimit.Enabled = false;
        configure?.Invoke(options);
        return options;
    }

    public static AddRegisterLineageCommand ValidAddCommand(int fieldLineages = 2)
    {
        var command = new AddRegisterLineageCommand(
            AssetReference.ByProperty("ods_trade_order", schema: "ods_project", catalog: "dataphin", env: DataphinEnvironment.Prod, subType: MetadataSubType.PhysicalTable),
            AssetReference.ByGuid("odps.300001234.dw_project.dwd_trade_order_di"));
        for (var i = 0; i < fieldLineages; i++)
        {
            command.DetailedLineages.Add(new FieldLineage(
                AssetReference.FieldByProperty($"col_{i}", schema: "ods_project", catalog: "dataphin", env: DataphinEnvironment.Prod),
                AssetReference.FieldByGuid($"odps.300001234.dw_project.dwd_trade_order_di.col_{i}", parentGuid: "odps.300001234.dw_project.dwd_trade_order_di")));
        }

        return command;
    }
}
