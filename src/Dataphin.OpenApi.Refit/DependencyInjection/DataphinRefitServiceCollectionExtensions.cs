using Dataphin.OpenApi;
using Dataphin.OpenApi.Refit;
using Refit;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers <see cref="IDataphinApi"/> in a service collection.</summary>
public static class DataphinRefitServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="IDataphinApi"/> as a Refit client made by Refit's source generator
    /// (<c>AddRefitGeneratedClient</c>), sending through the pipeline of a <see cref="DataphinClient"/> registered with
    /// <c>AddDataphinClient</c>: the default one, or the one named <paramref name="dataphinClientName"/>. The Refit client
    /// and the <see cref="DataphinClient"/> share one rate limiter, retry policy, credential and logging.
    /// </summary>
    /// <param name="services">The service collection; register the <see cref="DataphinClient"/> with <c>AddDataphinClient</c> as well.</param>
    /// <param name="dataphinClientName">The name given to <c>AddDataphinClient(name, ...)</c>, or <see langword="null"/> for the default client.</param>
    /// <returns>The HTTP client builder of the Refit client (add handlers in front of the pipeline there).</returns>
    /// <exception cref="ArgumentNullException"><paramref name="services"/> is null.</exception>
    public static IHttpClientBuilder AddDataphinRefitClient(this IServiceCollection services, string? dataphinClientName = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        return services
            .AddRefitGeneratedClient<IDataphinApi>(static _ => DataphinRefit.CreateSettings())
            .ConfigurePrimaryHttpMessageHandler(sp => new DataphinPipelineHandler(Client(sp, dataphinClientName)))
            .ConfigureHttpClient((sp, http) =>
            {
                http.BaseAddress = Client(sp, dataphinClientName).Endpoint;
                http.Timeout = Timeout.InfiniteTimeSpan;
            });
    }

    private static DataphinClient Client(IServiceProvider services, string? name)
        => name is null
            ? services.GetRequiredService<DataphinClient>()
            : services.GetRequiredService<IDataphinClientFactory>().CreateClient(name);
}
