using System.Text.Json;
using Dataphin.OpenApi.Resilience;
using Dataphin.OpenApi.Transport;

namespace Dataphin.OpenApi;

/// <summary>
/// The client of the Dataphin OpenAPI. Thread-safe: create one per endpoint and credential and share it (a
/// singleton in dependency injection). Every call validates its input first and sends nothing when it is invalid,
/// signs each attempt with ACS3-HMAC-SHA256, and maps every answer to a typed result or a typed exception.
/// <see cref="DataphinPipelineHandler"/> offers the same request path to any <see cref="HttpClient"/>-based caller.
/// </summary>
/// <example>
/// <code>
/// using var client = new DataphinClient(new Uri("https://dataphin-public.cn-hangzhou.aliyuncs.com"), DataphinCredential.FromEnvironment());
/// var response = await client.AddRegisterLineageAsync(300001234, command);
/// Console.WriteLine(response.RequestId);
/// </code>
/// </example>
public partial class DataphinClient : IDisposable
{
    private readonly HttpClient? _ownedHttpClient;
    private readonly CallInvoker? _calls;

    /// <summary>Creates a client for <paramref name="endpoint"/> signing with <paramref name="credential"/>.</summary>
    /// <param name="endpoint">The service endpoint, e.g. <c>https://dataphin-public.cn-hangzhou.aliyuncs.com</c>.</param>
    /// <param name="credential">The AccessKey credential.</param>
    /// <exception cref="ArgumentNullException"><paramref name="endpoint"/> or <paramref name="credential"/> is null.</exception>
    /// <exception cref="ArgumentException">The endpoint is not usable (see <see cref="DataphinClientOptions.Endpoint"/>).</exception>
    public DataphinClient(Uri endpoint, DataphinCredential credential)
        : this(endpoint, credential, new DataphinClientOptions())
    {
    }

    /// <summary>Creates a client for <paramref name="endpoint"/> signing with <paramref name="credential"/>, with further settings.</summary>
    /// <param name="endpoint">The service endpoint.</param>
    /// <param name="credential">The AccessKey credential.</param>
    /// <param name="options">Further settings; its Endpoint and Credential are replaced by the arguments.</param>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException">The endpoint or the options are not usable; the message names the setting.</exception>
    public DataphinClient(Uri endpoint, DataphinCredential credential, DataphinClientOptions options)
        : this((HttpClient?)null, WithEndpointAndCredential(options, endpoint, credential), ownsHttpClient: true)
    {
    }

    /// <summary>Creates a client from <paramref name="options"/>, which must name an endpoint (or region) and a credential.</summary>
    /// <param name="options">The settings.</param>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is null.</exception>
    /// <exception cref="ArgumentException">The options are not usable; the message names the setting.</exception>
    public DataphinClient(DataphinClientOptions options)
        : this((HttpClient?)null, options, ownsHttpClient: true)
    {
    }

    /// <summary>
    /// Creates a client that sends through <paramref name="httpClient"/> (for example one from <c>IHttpClientFactory</c>).
    /// The client does not dispose it, and sets its own timeouts, so leave <see cref="HttpClient.Timeout"/> infinite or long.
    /// </summary>
    /// <param name="httpClient">The HTTP client to send with; its <see cref="HttpClient.BaseAddress"/> is ignored.</param>
    /// <param name="options">The settings.</param>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException">The options are not usable; the message names the setting.</exception>
    public DataphinClient(HttpClient httpClient, DataphinClientOptions options)
        : this(httpClient ?? throw new ArgumentNullException(nameof(httpClient)), options, ownsHttpClient: false)
    {
    }

    /// <summary>For mocking: creates a client that is not connected to anything.</summary>
    protected DataphinClient()
    {
        Options = new DataphinClientOptions();
    }

    private DataphinClient(HttpClient? httpClient, DataphinClientOptions options, bool ownsHttpClient)
        : this(httpClient is null && ownsHttpClient ? null : () => httpClient!, options, ownsHttpClient && httpClient is null)
    {
    }

    /// <summary>Creates a client that asks <paramref name="httpClients"/> for an HTTP client on every attempt (dependency injection: IHttpClientFactory).</summary>
    internal DataphinClient(Func<HttpClient> httpClients, DataphinClientOptions options)
        : this(httpClients ?? throw new ArgumentNullException(nameof(httpClients)), options, createOwnHttpClient: false)
    {
    }

    private DataphinClient(Func<HttpClient>? httpClients, DataphinClientOptions options, bool createOwnHttpClient)
    {
        if (options is null)
        {
            throw new ArgumentNullException(nameof(options));
        }

        Options = options.Clone();
        var endpoint = EndpointResolver.Resolve(Options);
        var credentials = Options.CredentialProvider
            ?? (Options.Credential is { } credential
                ? DataphinCredentialProvider.FromCredential(credential)
                : throw new ArgumentException(
                    "No credential: set DataphinClientOptions.Credential (for example DataphinCredential.FromEnvironment()) or DataphinClientOptions.CredentialProvider.",
                    nameof(options)));
        if (Options.TimeProvider is null)
        {
            throw new ArgumentException("DataphinClientOptions.TimeProvider must not be null.", nameof(options));
        }

        ResilienceOptionsValidator.Validate(Options);
        if (createOwnHttpClient)
        {
            var owned = _ownedHttpClient = HttpTransport.CreateHttpClient();
            httpClients = () => owned;
        }

        _calls = new CallInvoker(httpClients!, endpoint, credentials, Options);
    }

    /// <summary>The endpoint this client sends to.</summary>
    public virtual Uri Endpoint => CallInvoker.Endpoint;

    /// <summary>A copy of the settings this client was created with.</summary>
    protected DataphinClientOptions Options { get; }

    /// <summary>The request path below this facade: catalog, edition check, the level's pipeline and its attempts.</summary>
    internal CallInvoker CallInvoker => _calls ?? throw new InvalidOperationException("This DataphinClient was created for mocking and is not connected to a service.");

    /// <summary>Registers lineage between one pair of tables and, optionally, up to 100 of their field pairs (<c>AddRegisterLineage</c>).</summary>
    /// <param name="opTenantId">The tenant id (the <c>tenantId</c> in the Dataphin URL).</param>
    /// <param name="command">What to register.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The service's answer.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="command"/> is null.</exception>
    /// <exception cref="DataphinValidationException">The command breaks a documented rule; nothing was sent.</exception>
    /// <exception cref="DataphinThrottledException">The call was throttled.</exception>
    /// <exception cref="DataphinAuthenticationException">The credential was not accepted.</exception>
    /// <exception cref="DataphinForbiddenException">The caller may not make this call in this tenant.</exception>
    /// <exception cref="DataphinRequestException">The service answered with another error.</exception>
    /// <exception cref="DataphinEditionException">The operation needs a higher edition than <see cref="DataphinClientOptions.Edition"/>; nothing was sent.</exception>
    /// <exception cref="DataphinTimeoutException">An attempt or the whole call ran out of time.</exception>
    /// <exception cref="DataphinCircuitOpenException">Recent calls of this throttling level failed with server errors; nothing was sent.</exception>
    /// <exception cref="DataphinTransportException">The last attempt got no complete answer: the connection was refused or broke, or the answer was cut off.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public virtual Task<DataphinResponse> AddRegisterLineageAsync(long opTenantId, AddRegisterLineageCommand command, CancellationToken cancellationToken = default)
        => SendLineageAsync(opTenantId, command, null, cancellationToken);

    /// <summary>Registers lineage on behalf of <paramref name="opUserId"/> (<c>AddRegisterLineage</c> with <c>OpUserId</c>).</summary>
    /// <param name="opTenantId">The tenant id.</param>
    /// <param name="command">What to register.</param>
    /// <param name="opUserId">The Dataphin user id sent as the <c>OpUserId</c> query parameter, or <see langword="null"/>.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The service's answer.</returns>
    /// <exception cref="DataphinValidationException">The command breaks a documented rule; nothing was sent.</exception>
    /// <exception cref="DataphinRequestException">The service answered with an error (see the other overload for the subclasses).</exception>
    public virtual Task<DataphinResponse> AddRegisterLineageAsync(long opTenantId, AddRegisterLineageCommand command, string? opUserId, CancellationToken cancellationToken = default)
        => SendLineageAsync(opTenantId, command, opUserId, cancellationToken);

    /// <summary>Deletes lineage registered through the OpenAPI between one pair of tables, or some of their field lineages (<c>DeleteRegisterLineage</c>).</summary>
    /// <param name="opTenantId">The tenant id.</param>
    /// <param name="command">What to delete.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The service's answer.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="command"/> is null.</exception>
    /// <exception cref="DataphinValidationException">The command breaks a documented rule; nothing was sent.</exception>
    /// <exception cref="DataphinRequestException">The service answered with an error (throttling, authentication and permission errors are subclasses).</exception>
    /// <exception cref="DataphinEditionException">The operation needs a higher edition than <see cref="DataphinClientOptions.Edition"/>; nothing was sent.</exception>
    /// <exception cref="DataphinTimeoutException">An attempt or the whole call ran out of time.</exception>
    /// <exception cref="DataphinCircuitOpenException">Recent calls of this throttling level failed with server errors; nothing was sent.</exception>
    /// <exception cref="DataphinTransportException">The last attempt got no complete answer: the connection was refused or broke, or the answer was cut off.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public virtual Task<DataphinResponse> DeleteRegisterLineageAsync(long opTenantId, DeleteRegisterLineageCommand command, CancellationToken cancellationToken = default)
        => SendLineageAsync(opTenantId, command, null, cancellationToken);

    /// <summary>Deletes lineage on behalf of <paramref name="opUserId"/> (<c>DeleteRegisterLineage</c> with <c>OpUserId</c>).</summary>
    /// <param name="opTenantId">The tenant id.</param>
    /// <param name="command">What to delete.</param>
    /// <param name="opUserId">The Dataphin user id sent as the <c>OpUserId</c> query parameter, or <see langword="null"/>.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The service's answer.</returns>
    /// <exception cref="DataphinValidationException">The command breaks a documented rule; nothing was sent.</exception>
    /// <exception cref="DataphinRequestException">The service answered with an error.</exception>
    public virtual Task<DataphinResponse> DeleteRegisterLineageAsync(long opTenantId, DeleteRegisterLineageCommand command, string? opUserId, CancellationToken cancellationToken = default)
        => SendLineageAsync(opTenantId, command, opUserId, cancellationToken);

    /// <summary>
    /// Calls any operation by name with raw parameters, for operations without typed models. The call is paced and
    /// retried by the operation's throttling level and retry safety from <see cref="DataphinOperationCatalog"/> (a name
    /// not in the catalog: Level 3, not retry-safe), signed, and its answer mapped to
    /// <see cref="DataphinOperationResponse"/> or a typed exception, like the typed calls.
    /// </summary>
    /// <param name="request">The operation, tenant, query and form fields.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The answer with its whole JSON body.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="request"/> is null.</exception>
    /// <exception cref="DataphinValidationException">The request is malformed (tenant id, names); nothing was sent.</exception>
    /// <exception cref="DataphinRequestException">The service answered with an error.</exception>
    /// <exception cref="DataphinEditionException">The operation needs a higher edition than <see cref="DataphinClientOptions.Edition"/>; nothing was sent.</exception>
    /// <exception cref="DataphinTimeoutException">An attempt or the whole call ran out of time.</exception>
    /// <exception cref="DataphinCircuitOpenException">Recent calls of this throttling level failed with server errors; nothing was sent.</exception>
    /// <exception cref="DataphinTransportException">The last attempt got no complete answer: the connection was refused or broke, or the answer was cut off.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public virtual async Task<DataphinOperationResponse> SendAsync(DataphinOperationRequest request, CancellationToken cancellationToken = default)
    {
        var rpc = RpcRequestBuilder.ForOperation(request);
        var result = await CallInvoker.InvokeAsync(rpc, cancellationToken).ConfigureAwait(false);
        using var document = JsonDocument.Parse(result.Body);
        var a = result.Answer;
        return new DataphinOperationResponse(result.Status, a.RequestId, a.Code, a.Message, a.HttpStatusCode, document.RootElement.Clone());
    }

    /// <summary>Disposes the HTTP client this client created (never one that was passed in).</summary>
    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    /// <summary>Disposes the HTTP client this client created.</summary>
    /// <param name="disposing">Whether this is called from <see cref="Dispose()"/>.</param>
    protected virtual void Dispose(bool disposing)
    {
        if (disposing)
        {
            _ownedHttpClient?.Dispose();
        }
    }

    private async Task<DataphinResponse> SendLineageAsync(long opTenantId, LineageCommand command, string? opUserId, CancellationToken cancellationToken)
    {
        var rpc = RpcRequestBuilder.ForLineage(opTenantId, command, opUserId);
        var result = await CallInvoker.InvokeAsync(rpc, cancellationToken).ConfigureAwait(false);
        return result.ToResponse();
    }

    private static DataphinClientOptions WithEndpointAndCredential(DataphinClientOptions options, Uri endpoint, DataphinCredential credential)
    {
        var copy = (options ?? throw new ArgumentNullException(nameof(options))).Clone();
        copy.Endpoint = endpoint ?? throw new ArgumentNullException(nameof(endpoint));
        copy.Credential = credential ?? throw new ArgumentNullException(nameof(credential));
        copy.CredentialProvider = null;
        return copy;
    }
}
