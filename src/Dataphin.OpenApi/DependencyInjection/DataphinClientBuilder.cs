using Microsoft.Extensions.DependencyInjection;
using Polly;

namespace Dataphin.OpenApi;

/// <summary>
/// Returned by <c>AddDataphinClient</c>: customises one registered client — its HTTP handlers, its primary handler,
/// its options, its resilience pipeline, or where its credentials come from.
/// </summary>
public sealed class DataphinClientBuilder
{
    internal DataphinClientBuilder(string name, IServiceCollection services, IHttpClientBuilder httpClient)
    {
        Name = name;
        Services = services;
        HttpClient = httpClient;
    }

    /// <summary>The client's name; <see cref="string.Empty"/> for the default client.</summary>
    public string Name { get; }

    /// <summary>The service collection the client is registered in.</summary>
    public IServiceCollection Services { get; }

    /// <summary>The <see cref="IHttpClientFactory"/> registration the client sends through, for anything not wrapped here.</summary>
    public IHttpClientBuilder HttpClient { get; }

    /// <summary>Adds a delegating handler (resolved from the container) to the client's HTTP pipeline; it sees every signed attempt.</summary>
    /// <typeparam name="THandler">The handler type; register it in the container (transient).</typeparam>
    /// <returns>This builder.</returns>
    public DataphinClientBuilder AddHttpMessageHandler<THandler>()
        where THandler : DelegatingHandler
    {
        HttpClient.AddHttpMessageHandler<THandler>();
        return this;
    }

    /// <summary>Adds a delegating handler to the client's HTTP pipeline; it sees every signed attempt.</summary>
    /// <param name="factory">Creates the handler.</param>
    /// <returns>This builder.</returns>
    public DataphinClientBuilder AddHttpMessageHandler(Func<IServiceProvider, DelegatingHandler> factory)
    {
        HttpClient.AddHttpMessageHandler(factory);
        return this;
    }

    /// <summary>Replaces the primary handler (by default a <c>SocketsHttpHandler</c> that does not follow redirects), e.g. for a proxy.</summary>
    /// <param name="factory">Creates the handler.</param>
    /// <returns>This builder.</returns>
    public DataphinClientBuilder ConfigurePrimaryHttpMessageHandler(Func<IServiceProvider, HttpMessageHandler> factory)
    {
        HttpClient.ConfigurePrimaryHttpMessageHandler(factory);
        return this;
    }

    /// <summary>Changes the client's settings after configuration was bound.</summary>
    /// <param name="configure">Changes the settings.</param>
    /// <returns>This builder.</returns>
    public DataphinClientBuilder ConfigureOptions(Action<DataphinClientOptions> configure)
    {
        Services.Configure(Name, configure);
        return this;
    }

    /// <summary>Replaces the resilience pipeline (built once per throttling level); the context can still build or wrap the default.</summary>
    /// <param name="factory">Builds the pipeline of one level.</param>
    /// <returns>This builder.</returns>
    public DataphinClientBuilder UsePipeline(Func<DataphinPipelineContext, ResiliencePipeline> factory)
        => ConfigureOptions(o => o.PipelineFactory = factory);

    /// <summary>Takes credentials from a provider built from the container (asked on every attempt: rotated AccessKeys, STS tokens).</summary>
    /// <param name="factory">Creates the provider.</param>
    /// <returns>This builder.</returns>
    public DataphinClientBuilder UseCredentialProvider(Func<IServiceProvider, DataphinCredentialProvider> factory)
    {
        Services.AddOptions<DataphinClientOptions>(Name).Configure<IServiceProvider>((o, services) => o.CredentialProvider = factory(services));
        return this;
    }

    /// <summary>
    /// Fills the settings not given in configuration or code from a Dataphin profile (<c>DATAPHIN_CONFIG</c>, else
    /// <c>~/.dataphin/config.json</c>): the endpoint or region, the edition, and the credential (the profile's own
    /// AccessKey, else its <c>credentialProfile</c> section of the credentials file, else the default chain). The same
    /// as the configuration key <c>Profile</c>. A missing file or profile, or a malformed file, fails the host's start
    /// with a message naming it. The tenant id is not a client setting: read it with <see cref="DataphinProfile.Load"/>.
    /// </summary>
    /// <param name="profileName">The profile; <see langword="null"/> for <c>DATAPHIN_PROFILE</c>, else the file's current profile.</param>
    /// <returns>This builder.</returns>
    /// <remarks>The variables and home folder are read from a registered <see cref="DataphinProcessEnvironment"/>, else from the process.</remarks>
    public DataphinClientBuilder UseProfile(string? profileName = null)
        => ConfigureOptions(o => (o.ProfileRequested, o.ProfileName) = (true, profileName ?? o.ProfileName));

    internal static string HttpClientName(string name) => "Dataphin.OpenApi:" + name;
}
