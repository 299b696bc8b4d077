using Dataphin.OpenApi.Testing;
using Dataphin.OpenApi.Tests.Support;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Dataphin.OpenApi.Tests.Credentials;

public sealed class ProfileDependencyInjectionTests
{
    private static IConfiguration Config(params (string Key, string? Value)[] values)
        => new ConfigurationBuilder().AddInMemoryCollection(values.Select(v => new KeyValuePair<string, string?>(v.Key, v.Value))).Build();

    private static string? CredentialOf(FakeDataphinRequest request) => request.Header("authorization")?.Split("Credential=")[1].Split(',')[0];

    private static TempHome HomeWithProfiles()
    {
        var home = new TempHome();
        home.Write(".alibabacloud/credentials", TempHome.AccessKeyIni("default", "LTAI5tDefaultSection", "s0") + TempHome.AccessKeyIni("dataphin-prod", "LTAI5tProdSection", "prod-secret"));
        home.Write(".dataphin/config.json", """
            {"current": "dev", "profiles": {
              "dev": {"regionId": "cn-beijing", "tenantId": 1, "edition": "Agile"},
              "prod": {"endpoint": "https://dataphin-public.cn-shanghai.aliyuncs.com", "tenantId": 300001234, "edition": "Basic", "credentialProfile": "dataphin-prod"}
            }}
            """);
        return home;
    }

    private static (ServiceProvider Provider, FakeDataphinTransport Handler) Build(TempHome home, Action<IServiceCollection> register)
    {
        var handler = new FakeDataphinTransport();
        var services = new ServiceCollection();
        services.AddSingleton(home.Environment);
        register(services);
        services.AddSingleton<Microsoft.Extensions.Http.IHttpMessageHandlerBuilderFilter>(new PrimaryHandler(handler));
        return (services.BuildServiceProvider(), handler);
    }

    [Fact]
    public async Task UseProfile_takes_endpoint_edition_and_the_credentials_file_section_the_profile_names()
    {
        using var home = HomeWithProfiles();
        var (provider, handler) = Build(home, s => s.AddDataphinClient(o => o.RateLimit.Enabled = false).UseProfile("prod"));
        await using var _ = provider;

        var options = provider.GetRequiredService<IOptionsMonitor<DataphinClientOptions>>().Get(Options.DefaultName);
        await provider.GetRequiredService<DataphinClient>().AddRegisterLineageAsync(300001234, TestClients.ValidAddCommand());

        Assert.Equal(DataphinEdition.Basic, options.Edition);
        var sent = Assert.Single(handler.Requests);
        Assert.Equal("dataphin-public.cn-shanghai.aliyuncs.com", sent.Uri.Host);
        Assert.Equal("LTAI5tProdSection", CredentialOf(sent));
        Assert.Equal("profile/static_ak", sent.Header("x-acs-credentials-provider"));
    }

    [Fact]
    public async Task The_Profile_key_in_configuration_uses_the_profile_and_configured_settings_win()
    {
        using var home = HomeWithProfiles();
        var (provider, handler) = Build(home, s => s.AddDataphinClient(Config(
            ("Dataphin:Profile", "prod"),
            ("Dataphin:RegionId", "cn-hangzhou"),
            ("Dataphin:Edition", "Intelligent"),
            ("Dataphin:AccessKeyId", "LTAI5tFromConfig"),
            ("Dataphin:AccessKeySecret", "config-secret"),
            ("Dataphin:RateLimit:Enabled", "false")).GetSection("Dataphin")));
        await using var _ = provider;

        var options = provider.GetRequiredService<IOptionsMonitor<DataphinClientOptions>>().Get(Options.DefaultName);
        await provider.GetRequiredService<DataphinClient>().AddRegisterLineageAsync(300001234, TestClients.ValidAddCommand());

        Assert.Equal(DataphinEdition.Intelligent, options.Edition);
        var sent = Assert.Single(handler.Requests);
        Assert.Equal("dataphin-public.cn-hangzhou.aliyuncs.com", sent.Uri.Host);
        Assert.Equal("LTAI5tFromConfig", CredentialOf(sent));
    }

    [Fact]
    public async Task Without_a_name_UseProfile_takes_DATAPHIN_PROFILE_else_the_current_profile_and_the_default_chain()
    {
        using var home = HomeWithProfiles();
        var (current, currentHandler) = Build(home, s => s.AddDataphinClient(o => o.RateLimit.Enabled = false).UseProfile());
        await using (current)
        {
            await current.GetRequiredService<DataphinClient>().AddRegisterLineageAsync(1, TestClients.ValidAddCommand());
        }

        home.Variables["DATAPHIN_PROFILE"] = "prod";
        var (named, namedHandler) = Build(home, s => s.AddDataphinClient(o => o.RateLimit.Enabled = false).UseProfile());
        await using (named)
        {
            await named.GetRequiredService<DataphinClient>().AddRegisterLineageAsync(1, TestClients.ValidAddCommand());
        }

        var dev = Assert.Single(currentHandler.Requests);
        Assert.Equal("dataphin-public.cn-beijing.aliyuncs.com", dev.Uri.Host);
        Assert.Equal("LTAI5tDefaultSection", CredentialOf(dev));
        Assert.Equal("default/profile/static_ak", dev.Header("x-acs-credentials-provider"));
        Assert.Equal("LTAI5tProdSection", CredentialOf(Assert.Single(namedHandler.Requests)));
    }

    [Theory]
    [InlineData("staging", "there is no profile 'staging'; it has 'dev', 'prod'")]
    [InlineData("broken", "names credentialProfile 'nowhere', which cannot be used")]
    public async Task A_missing_profile_or_an_unusable_credential_section_fails_the_hosts_start(string profile, string expected)
    {
        using var home = HomeWithProfiles();
        home.Write(".dataphin/config.json", """
            {"profiles": {"dev": {"regionId": "cn-beijing"}, "prod": {"regionId": "cn-beijing"}, "broken": {"regionId": "cn-beijing", "credentialProfile": "nowhere"}}}
            """);
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Services.AddSingleton(home.Environment);
        builder.Services.AddDataphinClient(o => { }).UseProfile(profile);
        using var host = builder.Build();

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_a_profile_a_registered_client_uses_the_default_chain_of_the_registered_environment()
    {
        using var home = new TempHome();
        home.Write(".aliyun/config.json", TempHome.CliConfig("default", ("default", "AK", "LTAI5tFromCli", "cli-secret", null)));
        var (provider, handler) = Build(home, s => s.AddDataphinClient(o =>
        {
            o.RegionId = "cn-hangzhou";
            o.RateLimit.Enabled = false;
        }));
        await using var _ = provider;

        await provider.GetRequiredService<DataphinClient>().AddRegisterLineageAsync(1, TestClients.ValidAddCommand());

        var sent = Assert.Single(handler.Requests);
        Assert.Equal("LTAI5tFromCli", CredentialOf(sent));
        Assert.Equal("default/cli_profile/static_ak", sent.Header("x-acs-credentials-provider"));
    }

    [Fact]
    public async Task With_no_credential_anywhere_the_start_fails_listing_every_source_tried()
    {
        using var home = new TempHome();
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Services.AddSingleton(home.Environment);
        builder.Services.AddDataphinClient(o => o.RegionId = "cn-hangzhou");
        using var host = builder.Build();

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains("1. environment variables", error.Message, StringComparison.Ordinal);
        Assert.Contains($"2. credentials file {home.PathOf(".alibabacloud/credentials")}: the file does not exist", error.Message, StringComparison.Ordinal);
        Assert.Contains("3. aliyun CLI configuration", error.Message, StringComparison.Ordinal);
    }

    /// <summary>Makes every client of the container send through one fake transport.</summary>
    private sealed class PrimaryHandler(FakeDataphinTransport handler) : Microsoft.Extensions.Http.IHttpMessageHandlerBuilderFilter
    {
        public Action<Microsoft.Extensions.Http.HttpMessageHandlerBuilder> Configure(Action<Microsoft.Extensions.Http.HttpMessageHandlerBuilder> next)
            => builder =>
            {
                next(builder);
                builder.PrimaryHandler = handler;
            };
    }
}
