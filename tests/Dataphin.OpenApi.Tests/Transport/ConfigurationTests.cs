using Dataphin.OpenApi.Tests.Support;

namespace Dataphin.OpenApi.Tests.Transport;

[Collection(ProcessEnvironment.Name)]
public sealed class ConfigurationTests
{
    private static readonly DataphinCredential Credential = new(TestClients.AccessKeyId, TestClients.AccessKeySecret);

    [Theory]
    [InlineData("cn-hangzhou", "https://dataphin-public.cn-hangzhou.aliyuncs.com/")]
    [InlineData("ap-southeast-1", "https://dataphin-public.ap-southeast-1.aliyuncs.com/")]
    public void A_region_id_gives_the_regional_https_endpoint(string region, string expected)
    {
        using var client = new DataphinClient(new DataphinClientOptions { RegionId = region, Credential = Credential });
        Assert.Equal(new Uri(expected), client.Endpoint);
    }

    [Fact]
    public void An_explicit_endpoint_wins_over_the_region_and_keeps_its_port()
    {
        using var client = new DataphinClient(new DataphinClientOptions { RegionId = "cn-hangzhou", Endpoint = new Uri("https://dataphin-api.corp.example:8443"), Credential = Credential });
        Assert.Equal(new Uri("https://dataphin-api.corp.example:8443/"), client.Endpoint);
    }

    [Theory]
    [InlineData("http://127.0.0.1:5000")]
    [InlineData("http://localhost:5000")]
    [InlineData("http://[::1]:5000")]
    [InlineData("http://127.0.0.2:5000")]
    [InlineData("http://localhost.:5000")]
    [InlineData("http://LocalHost:5000")]
    [InlineData("http://foo.localhost:5000")]
    [InlineData("http://emulator.ci.localhost.:5000")]
    public void Plain_http_is_allowed_to_loopback(string endpoint)
    {
        using var client = new DataphinClient(new Uri(endpoint), Credential);
        Assert.Equal("http", client.Endpoint.Scheme);
    }

    [Theory]
    [InlineData("http://localhost.example.com")]
    [InlineData("http://localhost.evil")]
    [InlineData("http://notlocalhost")]
    [InlineData("http://foolocalhost.")]
    [InlineData("http://127.example")]
    public void Names_that_only_look_like_localhost_still_need_the_opt_in(string endpoint)
    {
        var ex = Assert.Throws<ArgumentException>(() => new DataphinClient(new Uri(endpoint), Credential));
        Assert.Contains("non-loopback", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Plain_http_to_another_host_needs_an_explicit_opt_in()
    {
        var ex = Assert.Throws<ArgumentException>(() => new DataphinClient(new Uri("http://dataphin.corp.example"), Credential));
        Assert.Contains("AllowInsecureHttp", ex.Message, StringComparison.Ordinal);
        using var client = new DataphinClient(new Uri("http://dataphin.corp.example"), Credential, new DataphinClientOptions { AllowInsecureHttp = true });
        Assert.Equal("http", client.Endpoint.Scheme);
    }

    [Theory]
    [InlineData(null, null, "No endpoint")]
    [InlineData(null, "CN_Hangzhou", "RegionId")]
    [InlineData("ftp://x.example", null, "https")]
    [InlineData("https://x.example/api?x=1", null, "remove")]
    public void A_bad_endpoint_is_a_clear_error_at_construction(string? endpoint, string? region, string expected)
    {
        var options = new DataphinClientOptions { Endpoint = endpoint is null ? null : new Uri(endpoint), RegionId = region, Credential = Credential };
        var ex = Assert.Throws<ArgumentException>(() => new DataphinClient(options));
        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_credential_is_a_clear_error_at_construction()
    {
        var ex = Assert.Throws<ArgumentException>(() => new DataphinClient(new DataphinClientOptions { RegionId = "cn-hangzhou" }));
        Assert.Contains("No credential", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("", "secret", null, "accessKeyId")]
    [InlineData("id", " ", null, "accessKeySecret")]
    [InlineData("id", "secret", "", "securityToken")]
    public void Empty_credential_parts_are_rejected(string id, string secret, string? token, string param)
    {
        var ex = Assert.Throws<ArgumentException>(() => new DataphinCredential(id, secret, token));
        Assert.Equal(param, ex.ParamName);
    }

    [Fact]
    public void Credential_text_never_shows_the_secret_or_the_token()
    {
        var credential = new DataphinCredential(TestClients.AccessKeyId, TestClients.AccessKeySecret, TestClients.SecurityToken);
        var text = credential.ToString() + DataphinCredentialProvider.FromCredential(credential);
        Assert.DoesNotContain(TestClients.AccessKeySecret, text, StringComparison.Ordinal);
        Assert.DoesNotContain(TestClients.SecurityToken, text, StringComparison.Ordinal);
        Assert.Contains("LTAI****eyId", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Credentials_from_the_environment_name_the_missing_variables()
    {
        // The variable names are process-wide; this test restores them and is the only one that sets them.
        var saved = new[] { DataphinCredential.AccessKeyIdVariable, DataphinCredential.AccessKeySecretVariable, DataphinCredential.SecurityTokenVariable }
            .ToDictionary(n => n, Environment.GetEnvironmentVariable);
        try
        {
            Environment.SetEnvironmentVariable(DataphinCredential.AccessKeyIdVariable, "LTAIfromEnvironment");
            Environment.SetEnvironmentVariable(DataphinCredential.AccessKeySecretVariable, null);
            Environment.SetEnvironmentVariable(DataphinCredential.SecurityTokenVariable, null);
            var ex = Assert.Throws<InvalidOperationException>(DataphinCredential.FromEnvironment);
            Assert.Contains(DataphinCredential.AccessKeySecretVariable, ex.Message, StringComparison.Ordinal);
            Assert.DoesNotContain(DataphinCredential.AccessKeyIdVariable, ex.Message, StringComparison.Ordinal);

            Environment.SetEnvironmentVariable(DataphinCredential.AccessKeySecretVariable, "s3cr3t");
            Environment.SetEnvironmentVariable(DataphinCredential.SecurityTokenVariable, "tok");
            var credential = DataphinCredential.FromEnvironment();
            Assert.Equal("LTAIfromEnvironment", credential.AccessKeyId);
            Assert.True(credential.HasSecurityToken);
        }
        finally
        {
            foreach (var pair in saved)
            {
                Environment.SetEnvironmentVariable(pair.Key, pair.Value);
            }
        }
    }
}
