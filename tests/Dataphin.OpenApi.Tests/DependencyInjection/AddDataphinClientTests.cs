using System.Net;
using Dataphin.OpenApi.Testing;
using Dataphin.OpenApi.Tests.Support;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Polly;

namespace Dataphin.OpenApi.Tests.DependencyInjection;

[Collection(ProcessEnvironment.Name)]
public sealed class AddDataphinClientTests
{
    /// <summary>In-memory configuration; a later value of the same key wins.</summary>
    private static IConfiguration Config(params (string Key, string? Value)[] values)
    {
        var map = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        foreach (var (key, value) in values)
        {
            map[key] = value;
        }

        return new ConfigurationBuilder().AddInMemoryCollection(map).Build();
    }

    private static (string, string?)[] Basic(string prefix = "Dataphin", string id = "LTAI5tFromConfig") =>
    [
        ($"{prefix}:Endpoint", "https://dataphin-public.cn-hangzhou.aliyuncs.com"),
        ($"{prefix}:AccessKeyId", id),
        ($"{prefix}:AccessKeySecret", "config-secret-value"),
        ($"{prefix}:RateLimit:Enabled", "false"),
        ($"{prefix}:Retry:MaxAttempts", "1"),
    ];

    private static string? CredentialOf(FakeDataphinRequest request) => request.Header("authorization")?.Split("Credential=")[1].Split(',')[0];

    [Fact]
    public async Task A_configuration_section_registers_a_working_singleton_client()
    {
        var handler = new FakeDataphinTransport();
        var services = new ServiceCollection();
        services.AddDataphinClient(Config(Basic()).GetSection("Dataphin"))
            .ConfigurePrimaryHttpMessageHandler(_ => handler);
        await using var provider = services.BuildServiceProvider();

        var client = provider.GetRequiredService<DataphinClient>();
        await client.AddRegisterLineageAsync(300001234, TestClients.ValidAddCommand());

        Assert.Same(client, provider.GetRequiredService<DataphinClient>());
        var sent = Assert.Single(handler.Requests);
        Assert.Equal("LTAI5tFromConfig", CredentialOf(sent));
        Assert.Equal("dataphin-public.cn-hangzhou.aliyuncs.com", sent.Uri.Host);
    }

    [Fact]
    public void Every_setting_of_the_section_is_bound()
    {
        var services = new ServiceCollection();
        services.AddDataphinClient(Config(
        [
            .. Basic(),
            ("Dataphin:Edition", "agile"),
            ("Dataphin:SecurityToken", "sts-token"),
            ("Dataphin:UserAgentSuffix", "etl/1.0"),
            ("Dataphin:RateLimit:SharedQps", "3.5"),
            ("Dataphin:RateLimit:MaxWait", "00:00:10"),
            ("Dataphin:Retry:BaseDelay", "00:00:00.500"),
            ("Dataphin:Timeouts:TotalTimeout", "00:05:00"),
            ("Dataphin:CircuitBreaker:Enabled", "false"),
        ]).GetSection("Dataphin"));
        using var provider = services.BuildServiceProvider();

        var options = provider.GetRequiredService<IOptionsMonitor<DataphinClientOptions>>().Get(Options.DefaultName);

        Assert.Equal(DataphinEdition.Agile, options.Edition);
        Assert.True(options.Credential!.HasSecurityToken);
        Assert.Equal("etl/1.0", options.UserAgentSuffix);
        Assert.Equal(3.5, options.RateLimit.SharedQps);
        Assert.False(options.RateLimit.Enabled);
        Assert.Equal(TimeSpan.FromSeconds(10), options.RateLimit.MaxWait);
        Assert.Equal(1, options.Retry.MaxAttempts);
        Assert.Equal(TimeSpan.FromMilliseconds(500), options.Retry.BaseDelay);
        Assert.Equal(TimeSpan.FromMinutes(5), options.Timeouts.TotalTimeout);
        Assert.False(options.CircuitBreaker.Enabled);
        Assert.DoesNotContain("config-secret-value", options.Credential.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Named_clients_for_several_access_keys_are_isolated()
    {
        var handler = new FakeDataphinTransport();
        var services = new ServiceCollection();
        services.AddDataphinClient("tenantA", Config(Basic("A", "LTAI5tKeyForA")).GetSection("A")).ConfigurePrimaryHttpMessageHandler(_ => handler);
        services.AddDataphinClient("tenantB", o =>
        {
            o.RegionId = "cn-shanghai";
            o.Credential = new DataphinCredential("LTAI5tKeyForB", "secret-b");
            o.RateLimit.Enabled = false;
        }).ConfigurePrimaryHttpMessageHandler(_ => handler);
        await using var provider = services.BuildServiceProvider();
        var factory = provider.GetRequiredService<IDataphinClientFactory>();

        await factory.CreateClient("tenantA").AddRegisterLineageAsync(1, TestClients.ValidAddCommand());
        await factory.CreateClient("tenantB").AddRegisterLineageAsync(2, TestClients.ValidAddCommand());

        Assert.Same(factory.CreateClient("tenantA"), factory.CreateClient("tenantA"));
        Assert.Equal(["LTAI5tKeyForA", "LTAI5tKeyForB"], handler.Requests.Select(CredentialOf));
        Assert.Equal(["dataphin-public.cn-hangzhou.aliyuncs.com", "dataphin-public.cn-shanghai.aliyuncs.com"], handler.Requests.Select(r => r.Uri.Host));
        Assert.Null(provider.GetService<DataphinClient>());
        var unknown = Assert.Throws<InvalidOperationException>(() => factory.CreateClient("tenantC"));
        Assert.Contains("tenantA, tenantB", unknown.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_handler_added_through_the_builder_sees_every_signed_attempt()
    {
        var handler = new FakeDataphinTransport();
        var seen = new List<string?>();
        var services = new ServiceCollection();
        services.AddDataphinClient(Config(Basic()).GetSection("Dataphin"))
            .ConfigurePrimaryHttpMessageHandler(_ => handler)
            .AddHttpMessageHandler(_ => new Spy(seen));
        await using var provider = services.BuildServiceProvider();

        await provider.GetRequiredService<DataphinClient>().AddRegisterLineageAsync(1, TestClients.ValidAddCommand());

        var authorization = Assert.Single(seen);
        Assert.StartsWith("ACS3-HMAC-SHA256 Credential=LTAI5tFromConfig", authorization, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_pipeline_can_be_replaced_through_the_builder()
    {
        var handler = new FakeDataphinTransport { Fallback = FakeDataphinResponse.Json(HttpStatusCode.ServiceUnavailable, "{\"Code\":\"ServiceUnavailable\",\"RequestId\":\"R\"}") };
        var services = new ServiceCollection();
        services.AddDataphinClient(Config([.. Basic(), ("Dataphin:Retry:MaxAttempts", "4")]).GetSection("Dataphin"))
            .ConfigurePrimaryHttpMessageHandler(_ => handler)
            .UsePipeline(_ => ResiliencePipeline.Empty);
        await using var provider = services.BuildServiceProvider();

        await Assert.ThrowsAsync<DataphinRequestException>(() => provider.GetRequiredService<DataphinClient>().AddRegisterLineageAsync(1, TestClients.ValidAddCommand()));

        Assert.Single(handler.Requests);
    }

    [Fact]
    public void The_http_client_does_not_time_out_on_its_own()
    {
        var services = new ServiceCollection();
        services.AddDataphinClient(Config(Basic()).GetSection("Dataphin"));
        using var provider = services.BuildServiceProvider();

        using var http = provider.GetRequiredService<IHttpClientFactory>().CreateClient("Dataphin.OpenApi:");

        Assert.Equal(Timeout.InfiniteTimeSpan, http.Timeout);
    }

    [Fact]
    public async Task Credentials_missing_from_configuration_come_from_the_environment_per_request()
    {
        var handler = new FakeDataphinTransport();
        var services = new ServiceCollection();
        services.AddDataphinClient(Config(("Dataphin:RegionId", "cn-beijing"), ("Dataphin:RateLimit:Enabled", "false")).GetSection("Dataphin"))
            .ConfigurePrimaryHttpMessageHandler(_ => handler);
        await using var provider = services.BuildServiceProvider();
        DataphinClient client;

        using (ProcessEnvironment.CredentialVariables("LTAI5tFromEnvOne", "env-secret"))
        {
            client = provider.GetRequiredService<DataphinClient>();
            await client.AddRegisterLineageAsync(1, TestClients.ValidAddCommand());
        }

        using (ProcessEnvironment.CredentialVariables("LTAI5tRotatedKey", "env-secret-2"))
        {
            await client.AddRegisterLineageAsync(1, TestClients.ValidAddCommand());
        }

        Assert.Equal(["LTAI5tFromEnvOne", "LTAI5tRotatedKey"], handler.Requests.Select(CredentialOf));
    }

    [Fact]
    public async Task A_credential_provider_from_the_container_wins()
    {
        var handler = new FakeDataphinTransport();
        var services = new ServiceCollection();
        services.AddDataphinClient(Config(("Dataphin:RegionId", "cn-beijing")).GetSection("Dataphin"))
            .ConfigurePrimaryHttpMessageHandler(_ => handler)
            .UseCredentialProvider(_ => DataphinCredentialProvider.FromCredential(new DataphinCredential("LTAI5tFromProvider", "p")));
        await using var provider = services.BuildServiceProvider();

        await provider.GetRequiredService<DataphinClient>().AddRegisterLineageAsync(1, TestClients.ValidAddCommand());

        Assert.Equal("LTAI5tFromProvider", CredentialOf(Assert.Single(handler.Requests)));
    }

    [Fact]
    public async Task Invalid_settings_fail_the_hosts_start_naming_each_setting()
    {
        using var env = ProcessEnvironment.CredentialVariables(null, null);
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Dataphin:RegionId"] = "cn-hangzhou",
            ["Dataphin:Timeouts:AttemptTimeout"] = "00:00:30",
            ["Dataphin:Timeouts:TotalTimeout"] = "00:00:05",
            ["Dataphin:Retry:MaxAttempts"] = "three",
            ["Dataphin:Retyr:MaxAttempts"] = "3",
        });
        builder.Services.AddDataphinClient(builder.Configuration.GetSection("Dataphin"));
        builder.Services.AddSingleton(new DataphinProcessEnvironment(_ => null, homeDirectory: null)); // the default chain finds nothing, whatever this machine holds
        using var host = builder.Build();

        var ex = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains("Dataphin:Retry:MaxAttempts is 'three', which is not a whole number", ex.Message, StringComparison.Ordinal);
        Assert.Contains("Dataphin:Retyr is not a setting", ex.Message, StringComparison.Ordinal);
        Assert.Contains("Dataphin:Timeouts:TotalTimeout", ex.Message, StringComparison.Ordinal);
        Assert.Contains("No credential: set Dataphin:AccessKeyId and Dataphin:AccessKeySecret", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Dataphin:Endpoint", "not a uri", "Dataphin:Endpoint is 'not a uri'")]
    [InlineData("Dataphin:Endpoint", "http://dataphin.corp.example", "AllowInsecureHttp")]
    [InlineData("Dataphin:RegionId", "CN_HANGZHOU", "RegionId 'CN_HANGZHOU'")]
    [InlineData("Dataphin:RateLimit:Level2Qps", "-1", "Dataphin:RateLimit:Level2Qps")]
    [InlineData("Dataphin:Edition", "Platinum", "one of Personal, Agile, Basic, Intelligent")]
    public async Task Each_bad_value_is_named_at_start(string key, string value, string expected)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Dataphin:AccessKeyId"] = "LTAI5tKey",
            ["Dataphin:AccessKeySecret"] = "secret",
            [key] = value,
        });
        builder.Services.AddDataphinClient(builder.Configuration.GetSection("Dataphin"));
        using var host = builder.Build();

        var ex = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("secret", ex.Message.Replace("AccessKeySecret", string.Empty, StringComparison.Ordinal), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_valid_configuration_starts_the_host()
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(Basic().ToDictionary(p => p.Item1, p => p.Item2));
        builder.Services.AddDataphinClient(builder.Configuration.GetSection("Dataphin"));
        using var host = builder.Build();

        await host.StartAsync();

        Assert.NotNull(host.Services.GetRequiredService<DataphinClient>());
        await host.StopAsync();
    }

    [Fact]
    public void Registering_the_same_name_twice_is_refused()
    {
        var services = new ServiceCollection();
        services.AddDataphinClient(o => o.RegionId = "cn-hangzhou");
        Assert.Throws<InvalidOperationException>(() => services.AddDataphinClient(o => o.RegionId = "cn-beijing"));
    }

    private sealed class Spy(List<string?> seen) : DelegatingHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            seen.Add(request.Headers.TryGetValues("Authorization", out var values) ? values.Single() : null);
            return base.SendAsync(request, cancellationToken);
        }
    }
}
