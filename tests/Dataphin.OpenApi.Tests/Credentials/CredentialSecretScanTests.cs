using System.Net;
using Dataphin.OpenApi.Testing;
using Dataphin.OpenApi.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Options;

namespace Dataphin.OpenApi.Tests.Credentials;

/// <summary>
/// Every secret the credential sources read (AccessKey secrets, STS tokens, a Redis password) is planted in files and
/// variables; then every text those sources, the profile and a client on them can produce — resolutions, errors of
/// every kind, ToString, start-up validation, Trace logs — is scanned for them.
/// </summary>
public sealed class CredentialSecretScanTests
{
    private static readonly string[] Secrets =
    [
        "IniSecret-5c1d", "IniStsSecret-77ab", "IniStsToken-0f9e", "CliSecret-3e2a", "CliStsSecret-a1b2", "CliStsToken-c3d4",
        "EnvSecret-8d7c", "EnvToken-6b5a", "ProfileSecret-9e8f", "RedisPassword-4d3c", "RoleBaseSecret-2c1b", "BrokenSecret-1a0f",
    ];

    private static TempHome PlantSecrets()
    {
        var home = new TempHome();
        home.Write(".alibabacloud/credentials", $"""
            [default]
            type = access_key
            access_key_id = LTAI5tIniKey
            access_key_secret = {Secrets[0]}

            [sts]
            type = sts
            access_key_id = STS.IniKey
            access_key_secret = {Secrets[1]}
            security_token = {Secrets[2]}

            [role]
            type = ram_role_arn
            access_key_id = LTAI5tRoleBase
            access_key_secret = {Secrets[10]}
            role_arn = acs:ram::1:role/etl

            [half]
            type = sts
            access_key_id = STS.Half
            access_key_secret = {Secrets[11]}
            """, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.OtherRead);
        home.Write(".aliyun/config.json", TempHome.CliConfig("default", ("default", "AK", "LTAI5tCliKey", Secrets[3], null), ("tmp", "StsToken", "STS.CliKey", Secrets[4], Secrets[5]), ("role", "RamRoleArn", "LTAI5tRole", Secrets[10], null)));
        home.Write(".dataphin/config.json", $$$"""
            {"current": "prod", "profiles": {
              "prod": {"endpoint": "https://dataphin-public.cn-hangzhou.aliyuncs.com", "tenantId": 300001234, "edition": "Basic",
                       "accessKeyId": "LTAI5tProfileKey", "accessKeySecret": "{{{Secrets[8]}}}", "redis": "redis.corp:6379,password={{{Secrets[9]}}}"},
              "sts": {"regionId": "cn-hangzhou", "credentialProfile": "sts"},
              "role": {"regionId": "cn-hangzhou", "credentialProfile": "role"},
              "half": {"regionId": "cn-hangzhou", "credentialProfile": "half"}
            }}
            """, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead);
        return home;
    }

    private static void AssertNoSecret(string text)
    {
        foreach (var secret in Secrets)
        {
            Assert.DoesNotContain(secret, text, StringComparison.Ordinal);
        }
    }

    private static string Describe(Func<object?> produce)
    {
        try
        {
            var value = produce();
            return value switch
            {
                DataphinCredentialResolution r => $"{r} | {r.Source} | {r.Credential} | {string.Join(" ; ", r.Skipped.Select(s => s.ToString()))} | {string.Join(" ; ", r.Warnings)}",
                _ => value?.ToString() ?? string.Empty,
            };
        }
        catch (Exception error)
        {
            return error.ToString() + " | " + (error as DataphinCredentialUnavailableException)?.Attempts.Aggregate(string.Empty, (a, e) => a + e);
        }
    }

    [Fact]
    public void No_resolution_error_or_description_of_any_source_shows_a_secret_or_a_token()
    {
        using var home = PlantSecrets();
        var texts = new List<string>();
        void Add(Func<object?> produce) => texts.Add(Describe(produce));

        foreach (var section in new[] { "default", "sts", "role", "half", "missing" })
        {
            var file = new DataphinCredentialsFileProvider(section, options: home.Options());
            Add(file.Resolve);
            Add(() => file);
        }

        foreach (var profile in new[] { "default", "tmp", "role", "missing" })
        {
            var cli = new DataphinAliyunCliCredentialProvider(profile, options: home.Options());
            Add(cli.Resolve);
            Add(() => cli);
        }

        home.Variables["ALIBABA_CLOUD_ACCESS_KEY_SECRET"] = Secrets[6];
        Add(() => new DataphinEnvironmentCredentialProvider(home.Environment).Resolve());
        home.Variables["ALIBABA_CLOUD_ACCESS_KEY_ID"] = "LTAI5tEnvKey";
        home.Variables["ALIBABA_CLOUD_SECURITY_TOKEN"] = Secrets[7];
        Add(() => new DataphinEnvironmentCredentialProvider(home.Environment).Resolve());
        home.Variables.Clear();
        home.Variables["ALIBABA_CLOUD_PROFILE"] = "role";
        Add(() => new DataphinDefaultCredentialProvider(home.Options()).Resolve());
        home.Variables["ALIBABA_CLOUD_PROFILE"] = "half";
        Add(() => new DataphinDefaultCredentialProvider(home.Options()).Resolve());
        home.Variables.Clear();
        Add(() => new DataphinDefaultCredentialProvider(home.Options()).Resolve());

        var profiles = DataphinProfileFile.Load(home.PathOf(".dataphin/config.json"));
        Add(() => profiles);
        texts.AddRange(profiles.Warnings);
        foreach (var profile in profiles.Profiles)
        {
            Add(() => profile);
            Add(() => string.Join(", ", profile.DescribeSettings()));
            Add(() => profile.CreateCredentialProvider(home.Options())?.ResolveAsync(default).AsTask().GetAwaiter().GetResult());
        }

        Add(() => { profiles.Find("prod")!.CredentialProfile = "x"; return profiles.Find("prod")!.CreateCredential(); });
        home.Write("broken.json", $"{{\"profiles\": {{\"p\": {{\"accessKeySecret\": {Secrets[11]} }}}}}}");
        Add(() => DataphinProfileFile.Load(home.PathOf("broken.json")));

        Assert.True(texts.Count > 30, $"only {texts.Count} texts were produced");
        Assert.Contains(texts, t => t.Contains("does not accept RAM roles", StringComparison.Ordinal));
        Assert.Contains(texts, t => t.Contains("LTAI****eKey", StringComparison.Ordinal));
        AssertNoSecret(string.Join("\n", texts));
    }

    [Fact]
    public async Task A_client_on_profiles_and_files_logs_at_Trace_and_fails_without_showing_a_secret()
    {
        using var home = PlantSecrets();
        var handler = new FakeDataphinTransport { Fallback = FakeDataphinResponse.Error(HttpStatusCode.BadRequest, "Test.NoMoreAnswers", "The test scripted no answer for this request.") };
        var logs = new FakeLogCollector();
        var texts = new List<string>();
        foreach (var profile in new[] { "prod", "sts" })
        {
            var services = new ServiceCollection();
            services.AddLogging(b => b.SetMinimumLevel(LogLevel.Trace).AddProvider(new FakeLoggerProvider(logs)));
            services.AddSingleton(home.Environment);
            services.AddDataphinClient(o =>
            {
                o.RateLimit.Enabled = false;
                o.Retry.MaxAttempts = 1;
            }).UseProfile(profile).ConfigurePrimaryHttpMessageHandler(_ => handler);
            await using var provider = services.BuildServiceProvider();
            handler.Enqueue(FakeDataphinResponse.Success());
            handler.Enqueue(FakeDataphinResponse.Json(HttpStatusCode.Unauthorized, "{\"Code\":\"InvalidAccessKeyId.NotFound\",\"RequestId\":\"A-1\",\"Message\":\"Specified access key is not found.\"}"));
            var client = provider.GetRequiredService<DataphinClient>();
            await client.AddRegisterLineageAsync(300001234, TestClients.ValidAddCommand());
            var error = await Assert.ThrowsAnyAsync<DataphinException>(() => client.AddRegisterLineageAsync(300001234, TestClients.ValidAddCommand()));
            texts.Add(error.ToString());
        }

        foreach (var profile in new[] { "role", "half", "nowhere" })
        {
            var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
            builder.Services.AddSingleton(home.Environment);
            builder.Services.AddLogging(b => b.SetMinimumLevel(LogLevel.Trace).AddProvider(new FakeLoggerProvider(logs)));
            builder.Services.AddDataphinClient(o => { }).UseProfile(profile);
            using var host = builder.Build();
            texts.Add((await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync())).ToString());
        }

        Assert.Equal("static_ak", handler.Requests[0].Header("x-acs-credentials-provider"));
        Assert.Equal("profile/static_sts", handler.Requests[2].Header("x-acs-credentials-provider"));
        Assert.Contains(logs.GetSnapshot(), e => e.Level == LogLevel.Trace);
        var all = LogText.All(logs) + "\n" + string.Join("\n", texts);
        Assert.Contains("does not accept RAM roles", all, StringComparison.Ordinal);
        AssertNoSecret(all);
        Assert.All(handler.Requests, r => Assert.DoesNotContain(r.Header("authorization")!.Split("Signature=")[1], all, StringComparison.Ordinal));
    }
}
