using System.Net;
using System.Text;
using System.Text.Json;
using Dataphin.OpenApi.IntegrationTests.Support;
using Dataphin.OpenApi.Testing;

namespace Dataphin.OpenApi.IntegrationTests;

/// <summary>Replays the DeleteRegisterLineage request the official Node.js client signed (Goldens/v3-delete-register-lineage.json).</summary>
public sealed class OfficialClientGoldenTests
{
    private static readonly GoldenRequest Golden = GoldenRequest.Load("v3-delete-register-lineage.json");

    private static Task<DataphinEmulator> StartPinnedAsync(ManualTimeProvider clock) => DataphinEmulator.StartAsync(new DataphinEmulatorOptions
    {
        TimeProvider = clock,
        AccessKeyId = Golden.AccessKeyId,
        AccessKeySecret = Golden.AccessKeySecret,
        DefaultTenantId = Golden.TenantId,
    });

    [Fact]
    public async Task The_official_clients_request_is_accepted_and_deletes_the_lineage_it_names()
    {
        var clock = new ManualTimeProvider(Golden.Date);
        await using var emulator = await StartPinnedAsync(clock);
        using (var client = Lineages.Client(emulator, time: clock))
        {
            await client.AddRegisterLineageAsync(Golden.TenantId, Lineages.Add(("pay_amount", "pay_amount_cny"), ("order_id", "order_id")));
        }

        using var http = new HttpClient();
        using var response = await http.SendAsync(Golden.ToMessage(emulator.Endpoint));
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(body.GetProperty("Success").GetBoolean());
        Assert.Equal("OK", body.GetProperty("Code").GetString());
        var edge = Assert.Single(emulator.GetLineage(Golden.TenantId));
        Assert.Equal("order_id", Assert.Single(edge.FieldLineages).Source.Name);
        var recorded = emulator.Requests[^1];
        Assert.Equal("DeleteRegisterLineage", recorded.Action);
        Assert.True(recorded.Applied);
    }

    [Fact]
    public async Task Replaying_the_official_clients_request_is_rejected_as_nonce_reuse()
    {
        await using var emulator = await StartPinnedAsync(new ManualTimeProvider(Golden.Date));
        using var http = new HttpClient();

        using var first = await http.SendAsync(Golden.ToMessage(emulator.Endpoint));
        using var replay = await http.SendAsync(Golden.ToMessage(emulator.Endpoint));
        var body = JsonDocument.Parse(await replay.Content.ReadAsStringAsync()).RootElement;

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, replay.StatusCode);
        Assert.Equal("SignatureNonceUsed", body.GetProperty("Code").GetString());
        Assert.All(new[] { "RequestId", "HostId", "Message", "Recommend" }, name => Assert.True(body.TryGetProperty(name, out _), name));
        Assert.Equal("dataphin-public.cn-hangzhou.aliyuncs.com", body.GetProperty("HostId").GetString());
    }

    [Fact]
    public async Task The_official_clients_request_sent_chunked_is_accepted()
    {
        await using var emulator = await StartPinnedAsync(new ManualTimeProvider(Golden.Date));
        using var http = new HttpClient();

        using var response = await http.SendAsync(Golden.ToMessage(emulator.Endpoint, chunked: true));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var recorded = Assert.Single(emulator.Requests);
        Assert.Equal("chunked", recorded.Headers["transfer-encoding"]);
        Assert.Equal(Golden.Body.Length, recorded.BodyLength);
    }

    [Fact]
    public async Task A_body_changed_after_signing_is_rejected()
    {
        await using var emulator = await StartPinnedAsync(new ManualTimeProvider(Golden.Date));
        using var http = new HttpClient();
        var tampered = Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(Golden.Body).Replace("pay_amount", "pay_amounX", StringComparison.Ordinal));

        using var response = await http.SendAsync(Golden.ToMessage(emulator.Endpoint, tampered));
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("SignatureDoesNotMatch", body.GetProperty("Code").GetString());
    }

    [Fact]
    public async Task The_official_clients_request_is_rejected_16_minutes_later()
    {
        await using var emulator = await StartPinnedAsync(new ManualTimeProvider(Golden.Date.AddMinutes(16)));
        using var http = new HttpClient();

        using var response = await http.SendAsync(Golden.ToMessage(emulator.Endpoint));
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("InvalidTimeStamp.Expired", body.GetProperty("Code").GetString());
    }

    [Fact]
    public async Task Removing_a_mandatory_header_from_the_signed_list_is_IncompleteSignature()
    {
        await using var emulator = await StartPinnedAsync(new ManualTimeProvider(Golden.Date));
        using var http = new HttpClient();
        using var message = Golden.ToMessage(emulator.Endpoint);
        var authorization = message.Headers.GetValues("Authorization").Single().Replace("x-acs-signature-nonce;", string.Empty, StringComparison.Ordinal);
        message.Headers.Remove("Authorization");
        message.Headers.TryAddWithoutValidation("Authorization", authorization);

        using var response = await http.SendAsync(message);
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("IncompleteSignature", body.GetProperty("Code").GetString());
        Assert.Contains("x-acs-signature-nonce", body.GetProperty("Message").GetString(), StringComparison.Ordinal);
    }
}
