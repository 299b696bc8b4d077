using Dataphin.OpenApi;
using Dataphin.OpenApi.DependencyInjection;
using Dataphin.OpenApi.Transport;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers <see cref="DataphinClient"/>s in a service collection.</summary>
public static class DataphinServiceCollectionExtensions
{
    /// <summary>
    /// Registers the default <see cref="DataphinClient"/> (a singleton) configured from <paramref name="configuration"/>,
    /// for example <c>builder.Configuration.GetSection("Dataphin")</c>. Credentials not in the section come from the
    /// standard environment variables. The settings are validated when the host starts.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configuration">The section holding Endpoint or RegionId, AccessKeyId, AccessKeySecret, Edition, RateLimit, Retry, Timeouts and CircuitBreaker.</param>
    /// <returns>A builder to add handlers, replace the pipeline or change options.</returns>
    public static DataphinClientBuilder AddDataphinClient(this IServiceCollection services, IConfiguration configuration)
        => AddDataphinClient(services, Options.Options.DefaultName, configuration);

    /// <summary>Registers the default <see cref="DataphinClient"/> (a singleton) configured in code.</summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configure">Sets the options.</param>
    /// <returns>A builder to add handlers, replace the pipeline or change options.</returns>
    public static DataphinClientBuilder AddDataphinClient(this IServiceCollection services, Action<DataphinClientOptions> configure)
        => AddDataphinClient(services, Options.Options.DefaultName, configure);

    /// <summary>Registers a named client (several tenants or AccessKeys side by side), configured from <paramref name="configuration"/>; get it from <see cref="IDataphinClientFactory"/>.</summary>
    /// <param name="services">The service collection.</param>
    /// <param name="name">The client's name.</param>
    /// <param name="configuration">The client's configuration section.</param>
    /// <returns>A builder to add handlers, replace the pipeline or change options.</returns>
    public static DataphinClientBuilder AddDataphinClient(this IServiceCollection services, string name, IConfiguration configuration)
    {
        if (configuration is null)
        {
            throw new ArgumentNullException(nameof(configuration));
        }

        var path = (configuration as IConfigurationSection)?.Path;
        return Register(services, name, path, o => DataphinConfigurationBinder.Bind(configuration, o, o.ConfigurationErrors));
    }

    /// <summary>Registers a named client configured in code; get it from <see cref="IDataphinClientFactory"/>.</summary>
    /// <param name="services">The service collection.</param>
    /// <param name="name">The client's name.</param>
    /// <param name="configure">Sets the options.</param>
    /// <returns>A builder to add handlers, replace the pipeline or change options.</returns>
    public static DataphinClientBuilder AddDataphinClient(this IServiceCollection services, string name, Action<DataphinClientOptions> configure)
        => Register(services, name, null, configure ?? throw new ArgumentNullException(nameof(configure)));

    private static DataphinClientBuilder Register(IServiceCollection services, string name, string? sectionPath, Action<DataphinClientOptions> configure)
    {
        if (services is null)
        {
            throw new ArgumentNullException(nameof(services));
        }

        if (name is null)
        {
            throw new ArgumentNullException(nameof(name));
        }

        if (services.Any(d => d.ServiceType == typeof(DataphinClientRegistration) && d.ImplementationInstance is DataphinClientRegistration r && r.Name == name))
        {
            throw new InvalidOperationException($"A Dataphin client named '{name}' is already registered.");
        }

        services.AddSingleton(new DataphinClientRegistration(name));
        services.AddOptions<DataphinClientOptions>(name).Configure(configure)
            .PostConfigure<IServiceProvider>(DataphinProfileOptionsSetup.Apply).ValidateOnStart();
        services.AddSingleton<IValidateOptions<DataphinClientOptions>>(sp =>
            new DataphinClientOptionsValidator(name, sectionPath, () => sp.GetService<DataphinCredentialProvider>() is not null, () => DataphinClientFactory.CreateDefaultChain(sp)));
        services.TryAddSingleton<IDataphinClientFactory, DataphinClientFactory>();
        if (name.Length == 0)
        {
            services.TryAddSingleton(sp => sp.GetRequiredService<IDataphinClientFactory>().CreateClient(Options.Options.DefaultName));
        }

        var http = services.AddHttpClient(DataphinClientBuilder.HttpClientName(name))
            .ConfigureHttpClient(client => client.Timeout = Timeout.InfiniteTimeSpan)
            .ConfigurePrimaryHttpMessageHandler(HttpTransport.CreatePrimaryHandler)

            // IHttpClientFactory's own loggers redact header values only in the formatted message: their structured
            // state carries every header raw (Authorization, x-acs-security-token), which a structured sink would
            // record. The client logs its attempts itself, with an allow-list of headers.
            .RemoveAllLoggers();
        return new DataphinClientBuilder(name, services, http);
    }
}
