using Dataphin.OpenApi.Testing;

namespace Dataphin.OpenApi.Tests.Throttling;

/// <summary>Builds clients on a fake clock and a fake transport. Each test uses its own AccessKey id so that buckets are not shared across tests.</summary>
internal static class ThrottlingClients
{
    public const long Tenant = 300001234;
    public const string Secret = "test-secret-value-0123456789";

    public static string NewAccessKeyId() => "LTAI" + Guid.NewGuid().ToString("N").Substring(0, 16);

    public static DataphinClientOptions Options(ManualTimeProvider clock, string accessKeyId, Action<DataphinClientOptions>? configure = null)
    {
        var options = new DataphinClientOptions
        {
            Endpoint = new Uri("https://dataphin-public.cn-hangzhou.aliyuncs.com"),
            Credential = new DataphinCredential(accessKeyId, Secret),
            TimeProvider = clock,
        };
        configure?.Invoke(options);
        return options;
    }

    public static DataphinClient Create(ManualTimeProvider clock, FakeDataphinTransport handler, string accessKeyId, Action<DataphinClientOptions>? configure = null)
        => new(handler.CreateHttpClient(), Options(clock, accessKeyId, configure));

    /// <summary>A call of <paramref name="action"/> through the general path.</summary>
    public static DataphinOperationRequest Request(string action, long tenant = Tenant) => new DataphinOperationRequest(action, tenant).AddQuery("Env", "PROD");
}
