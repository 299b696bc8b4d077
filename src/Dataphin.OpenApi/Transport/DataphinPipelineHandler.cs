using System.Net;
using System.Net.Http.Headers;
using Dataphin.OpenApi.Resilience;
using Dataphin.OpenApi.Transport;

namespace Dataphin.OpenApi;

/// <summary>
/// The whole request path of a <see cref="DataphinClient"/> as an <see cref="HttpMessageHandler"/>, so that any
/// <see cref="HttpClient"/>-based caller (a Refit interface, for example) reuses it: the same validation, operation
/// catalog, edition check, resilience pipeline of the operation's throttling level (rate limiter, retry, circuit
/// breaker, timeouts), signing of every attempt and mapping of the answer as <see cref="DataphinClient.SendAsync"/>.
/// </summary>
/// <remarks>
/// <para>
/// The request is a <c>POST</c> to the client's endpoint (path <c>/</c>; set <see cref="HttpClient.BaseAddress"/> to
/// <see cref="Endpoint"/>) whose <c>x-acs-action</c> header (<see cref="ActionHeader"/>) names the operation, whose query
/// holds the parameters, <c>OpTenantId</c> among them, and whose body is empty or a form
/// (<c>application/x-www-form-urlencoded</c>). The query is sent RFC 3986-encoded, as the SDK sends every query. The body is
/// sent byte for byte as given and signed as it is. Build it with <see cref="DataphinFormContent"/>: that is the encoding
/// the official Alibaba Cloud clients and this SDK use (<see cref="FormUrlEncodedContent"/> writes spaces as <c>+</c>).
/// Or pass a typed request of this SDK in the <see cref="RequestOptionKey"/> option instead of the parameters: the
/// handler then writes them as the operation's generated method does. Read a successful answer into the operation's
/// typed response with <see cref="DataphinOperationJson.ReadResponseAsync{TResponse}(HttpContent, CancellationToken)"/>.
/// </para>
/// <para>
/// The pipeline sets and signs its own headers on every attempt. A request carrying <c>Authorization</c> or an
/// <c>x-acs-*</c> header other than <c>x-acs-action</c> (and <c>x-acs-version</c> naming
/// <see cref="DataphinClientOptions.ApiVersion"/>) is refused; other headers, such as <c>Accept</c> or <c>User-Agent</c>,
/// are not sent on.
/// </para>
/// <para>
/// The answer to a successful call is an <see cref="HttpResponseMessage"/> with the service's status and its JSON body.
/// Every failure throws, as the client's methods do: <see cref="DataphinValidationException"/> for a malformed request
/// (nothing was sent), <see cref="DataphinEditionException"/>, <see cref="DataphinThrottledException"/>,
/// <see cref="DataphinAuthenticationException"/>, <see cref="DataphinForbiddenException"/>,
/// <see cref="DataphinRequestException"/>, <see cref="DataphinTimeoutException"/>, <see cref="DataphinCircuitOpenException"/>,
/// <see cref="DataphinTransportException"/> (the connection failed; never a raw <see cref="HttpRequestException"/>),
/// or <see cref="OperationCanceledException"/> when the caller cancels. The pipeline has its own timeouts, so give the
/// <see cref="HttpClient"/> an infinite <see cref="HttpClient.Timeout"/>.
/// </para>
/// </remarks>
/// <example>
/// <code>
/// using var client = new DataphinClient(options);
/// using var http = new HttpClient(new DataphinPipelineHandler(client)) { BaseAddress = client.Endpoint, Timeout = Timeout.InfiniteTimeSpan };
/// using var request = new HttpRequestMessage(HttpMethod.Post, "?OpTenantId=300001234&amp;Env=PROD")
/// {
///     Content = new DataphinFormContent([new("GetBatchTaskInfoQuery", "{\"FileId\":123}")]),
/// };
/// request.Headers.Add(DataphinPipelineHandler.ActionHeader, "GetBatchTaskInfo");
/// using var response = await http.SendAsync(request);
/// var json = await response.Content.ReadAsStringAsync();
/// </code>
/// </example>
public sealed class DataphinPipelineHandler : HttpMessageHandler
{
    /// <summary>The header that names the operation: <c>x-acs-action</c>.</summary>
    public const string ActionHeader = "x-acs-action";

    /// <summary>
    /// The request option (<c>HttpRequestMessage.Options</c>; <c>Properties</c> on .NET Standard) that carries a typed
    /// request of this SDK: a generated request such as <c>ListCatalogAssetsRequest</c>, or a lineage command. When it is
    /// set, the handler checks the request and writes its parameters (scalars in the query, objects and arrays as JSON form
    /// fields in the SDK's form encoding) exactly as the operation's generated method does; the message's query then holds
    /// only <c>OpTenantId</c> and its body is empty. A <see langword="null"/> value sends no parameters besides the tenant.
    /// Refit's <c>[Property(DataphinPipelineHandler.RequestOptionKey)]</c> sets it (the <c>Dataphin.OpenApi.Refit</c> package does).
    /// </summary>
    public const string RequestOptionKey = "Dataphin.OpenApi.Request";

    private readonly CallInvoker _calls;
    private readonly DataphinClient? _ownedClient;

    /// <summary>Creates a handler that sends through <paramref name="client"/>'s request path (its HTTP client, credential, settings and rate limiter). The handler does not dispose the client.</summary>
    /// <param name="client">The client.</param>
    /// <exception cref="ArgumentNullException"><paramref name="client"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="client"/> was created for mocking and sends nowhere.</exception>
    public DataphinPipelineHandler(DataphinClient client)
    {
        if (client is null)
        {
            throw new ArgumentNullException(nameof(client));
        }

        try
        {
            _calls = client.CallInvoker;
        }
        catch (InvalidOperationException notConnected)
        {
            throw new ArgumentException(notConnected.Message, nameof(client), notConnected);
        }
    }

    /// <summary>Creates a handler over a client of its own, made from <paramref name="options"/>; disposing the handler disposes that client.</summary>
    /// <param name="options">The settings, as for <see cref="DataphinClient(DataphinClientOptions)"/>.</param>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is null.</exception>
    /// <exception cref="ArgumentException">The options are not usable; the message names the setting.</exception>
    public DataphinPipelineHandler(DataphinClientOptions options)
    {
        _ownedClient = new DataphinClient(options);
        _calls = _ownedClient.CallInvoker;
    }

    /// <summary>The endpoint the handler sends to; requests must be addressed to it.</summary>
    public Uri Endpoint => _calls.Endpoint;

    /// <summary>Runs the request through the pipeline and returns the successful answer, or throws the typed exception.</summary>
    /// <param name="request">The request (see the remarks of <see cref="DataphinPipelineHandler"/>).</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The service's status and JSON body.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="request"/> is null.</exception>
    /// <exception cref="DataphinValidationException">The request is malformed (for example no <c>x-acs-action</c> header); nothing was sent.</exception>
    /// <exception cref="DataphinRequestException">The service answered with an error (throttling, authentication and permission errors are subclasses).</exception>
    /// <exception cref="DataphinEditionException">The operation needs a higher edition than <see cref="DataphinClientOptions.Edition"/>; nothing was sent.</exception>
    /// <exception cref="DataphinTimeoutException">An attempt or the whole call ran out of time.</exception>
    /// <exception cref="DataphinCircuitOpenException">Recent calls of this throttling level failed with server errors; nothing was sent.</exception>
    /// <exception cref="DataphinTransportException">The last attempt got no complete answer: the connection was refused or broke, or the answer was cut off.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (request is null)
        {
            throw new ArgumentNullException(nameof(request));
        }

        var rpc = await RpcRequestBuilder.FromHttpRequestAsync(request, _calls.Endpoint, cancellationToken).ConfigureAwait(false);
        var result = await _calls.InvokeAsync(rpc, cancellationToken).ConfigureAwait(false);
        var content = new PipelineResponseContent(rpc.Action, result);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        return new HttpResponseMessage((HttpStatusCode)result.Status) { RequestMessage = request, Content = content };
    }

    /// <summary>Disposes the client the handler made from options (never one passed in).</summary>
    /// <param name="disposing">Whether this is called from <see cref="IDisposable.Dispose"/>.</param>
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _ownedClient?.Dispose();
        }

        base.Dispose(disposing);
    }
}
