using System.Net;
using Dataphin.OpenApi.Testing;

namespace Dataphin.OpenApi.IntegrationTests;

/// <summary>The pipeline as an <see cref="HttpMessageHandler"/> (made from options, over its own HTTP client) against the emulator, which checks every signature.</summary>
public sealed class PipelineHandlerTests
{
    private const string Command =
        "{\"Source\":{\"ReferenceType\":\"BY_GUID\",\"Guid\":\"odps.300001234.ods_project.ods_trade_order\",\"MetadataType\":\"TABLE\"},"
        + "\"Target\":{\"ReferenceType\":\"BY_GUID\",\"Guid\":\"odps.300001234.dw_project.dwd_trade_order_di\",\"MetadataType\":\"TABLE\"}}";

    [Fact]
    public async Task A_handler_made_from_options_registers_lineage_with_a_signature_the_emulator_accepts()
    {
        await using var emulator = await DataphinEmulator.StartAsync();
        using var handler = new DataphinPipelineHandler(new DataphinClientOptions
        {
            Endpoint = emulator.Endpoint,
            Credential = new DataphinCredential(emulator.AccessKeyId, emulator.AccessKeySecret),
        });
        using var http = new HttpClient(handler) { BaseAddress = handler.Endpoint, Timeout = Timeout.InfiniteTimeSpan };

        using var response = await http.SendAsync(AddRegisterLineage(emulator.DefaultTenantId));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("\"Success\":true", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Single(emulator.GetLineage(emulator.DefaultTenantId));
    }

    [Fact]
    public async Task A_rejected_signature_comes_back_as_the_typed_exception_without_the_secret()
    {
        await using var emulator = await DataphinEmulator.StartAsync();
        using var handler = new DataphinPipelineHandler(new DataphinClientOptions
        {
            Endpoint = emulator.Endpoint,
            Credential = new DataphinCredential(emulator.AccessKeyId, "notTheSecret"),
        });
        using var http = new HttpClient(handler) { BaseAddress = handler.Endpoint, Timeout = Timeout.InfiniteTimeSpan };

        var error = await Assert.ThrowsAsync<DataphinAuthenticationException>(() => http.SendAsync(AddRegisterLineage(emulator.DefaultTenantId)));

        Assert.Equal("SignatureDoesNotMatch", error.ErrorCode);
        Assert.DoesNotContain("notTheSecret", error.Message, StringComparison.Ordinal);
        Assert.Empty(emulator.GetLineage(emulator.DefaultTenantId));
    }

    private static HttpRequestMessage AddRegisterLineage(long tenant)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, $"?OpTenantId={tenant}")
        {
            Content = new DataphinFormContent([new("AddRegisterLineageCommand", Command)]),
        };
        request.Headers.Add(DataphinPipelineHandler.ActionHeader, "AddRegisterLineage");
        return request;
    }
}
