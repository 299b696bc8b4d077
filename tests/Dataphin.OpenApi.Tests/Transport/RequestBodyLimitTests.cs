using Dataphin.OpenApi.Testing;
using Dataphin.OpenApi.Tests.Support;

namespace Dataphin.OpenApi.Tests.Transport;

/// <summary>
/// A body over <see cref="DataphinClientOptions.MaxRequestBodyBytes"/> is refused before the first attempt, with a
/// typed error naming its size and the limit: nothing reaches the transport, so nothing is resent by the retries.
/// </summary>
public sealed class RequestBodyLimitTests
{
    private const long Tenant = 300001234;

    [Fact]
    public void The_clients_limit_is_the_emulators_cap()
    {
        Assert.Equal(10 * 1024 * 1024, DataphinClientOptions.MaxRequestBodyBytes);
        Assert.Equal(DataphinEmulatorOptions.DefaultMaxRequestBodyBytes, DataphinClientOptions.MaxRequestBodyBytes);
    }

    [Fact]
    public async Task A_lineage_command_over_the_limit_is_refused_before_any_request_even_with_retries_on()
    {
        var fake = new FakeDataphinTransport();
        using var client = TestClients.Create(fake, configure: o => o.Retry.MaxAttempts = 4);
        var command = TestClients.ValidAddCommand();
        command.RelationProperties["sql"] = new string('x', 12 * 1024 * 1024);

        var error = await Assert.ThrowsAsync<DataphinValidationException>(() => client.AddRegisterLineageAsync(Tenant, command));

        Assert.Equal(0, fake.RequestCount);
        Assert.Empty(fake.Requests);
        var problem = Assert.Single(error.Errors);
        Assert.Equal("Body", problem.Path);
        Assert.Equal(DataphinValidationRules.TooLarge, problem.Rule);
        Assert.Matches(@"The request body is 12,\d{3},\d{3} bytes once form-encoded, over the limit of 10,485,760 bytes \(10 MiB\)", problem.Message);
        Assert.Contains("10,485,760 bytes", error.Message, StringComparison.Ordinal);
        Assert.Contains("nothing was sent", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_body_of_exactly_the_limit_is_sent_and_one_byte_more_is_not()
    {
        var fake = new FakeDataphinTransport();
        using var client = TestClients.Create(fake);

        // "Payload=" and a value of unreserved characters, sent as they are: 8 bytes plus the value.
        var atLimit = new DataphinOperationRequest("ListFiles", Tenant).AddForm("Payload", new string('a', DataphinClientOptions.MaxRequestBodyBytes - 8));
        await client.SendAsync(atLimit);
        Assert.Equal(DataphinClientOptions.MaxRequestBodyBytes, Assert.Single(fake.Requests).Body.Length);

        var over = new DataphinOperationRequest("ListFiles", Tenant).AddForm("Payload", new string('a', DataphinClientOptions.MaxRequestBodyBytes - 7));
        var error = await Assert.ThrowsAsync<DataphinValidationException>(() => client.SendAsync(over));

        Assert.Equal(1, fake.RequestCount);
        Assert.Contains("10,485,761 bytes", Assert.Single(error.Errors).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_limit_counts_the_encoded_form_not_the_characters()
    {
        var fake = new FakeDataphinTransport();
        using var client = TestClients.Create(fake);

        // 4 MiB of characters, each percent-encoded as %XX: 12 MiB on the wire.
        var request = new DataphinOperationRequest("ListFiles", Tenant).AddForm("Payload", new string('/', 4 * 1024 * 1024));
        var error = await Assert.ThrowsAsync<DataphinValidationException>(() => client.SendAsync(request));

        Assert.Equal(0, fake.RequestCount);
        Assert.Contains("12,582,920 bytes", Assert.Single(error.Errors).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_pipeline_handler_refuses_an_oversized_body_before_sending_too()
    {
        var fake = new FakeDataphinTransport();
        using var client = TestClients.Create(fake);
        using var http = new HttpClient(new DataphinPipelineHandler(client)) { BaseAddress = TestClients.Endpoint };
        using var message = new HttpRequestMessage(HttpMethod.Post, $"/?OpTenantId={Tenant}")
        {
            Content = new DataphinFormContent([new("Payload", new string('a', DataphinClientOptions.MaxRequestBodyBytes))]),
        };
        message.Headers.Add("x-acs-action", "ListFiles");

        var error = await Assert.ThrowsAsync<DataphinValidationException>(() => http.SendAsync(message));

        Assert.Equal(0, fake.RequestCount);
        Assert.Equal(DataphinValidationRules.TooLarge, Assert.Single(error.Errors).Rule);
    }
}
