using Dataphin.OpenApi;
using Dataphin.OpenApi.Redis;
using Microsoft.Extensions.Logging;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Shares a registered client's quotas with the rest of the fleet through Redis.</summary>
public static class DataphinRedisClientBuilderExtensions
{
    /// <summary>
    /// Makes the client draw its rate-limit permits from budgets kept in Redis, shared by every process using the same
    /// endpoint, tenant, AccessKey id and throttling level (see <see cref="DataphinRedisRateLimiterProvider"/>). The
    /// provider is a singleton of the container (disposed with it), logging through its <see cref="ILoggerFactory"/>.
    /// </summary>
    /// <param name="builder">The client's builder, from <c>AddDataphinClient</c>.</param>
    /// <param name="configuration">The StackExchange.Redis connection string, e.g. <c>localhost:6379</c>.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> or <paramref name="configuration"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="configuration"/> is empty.</exception>
    public static DataphinClientBuilder UseRedisRateLimiting(this DataphinClientBuilder builder, string configuration)
        => UseRedisRateLimiting(builder, configuration, static _ => { });

    /// <summary>
    /// Makes the client draw its rate-limit permits from budgets kept in Redis, with settings (fleet size, fallback
    /// share, timeouts, key prefix); see <see cref="UseRedisRateLimiting(DataphinClientBuilder, string)"/>.
    /// </summary>
    /// <param name="builder">The client's builder, from <c>AddDataphinClient</c>.</param>
    /// <param name="configuration">The StackExchange.Redis connection string, e.g. <c>localhost:6379</c>.</param>
    /// <param name="configure">Changes the settings.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="configuration"/> is empty.</exception>
    public static DataphinClientBuilder UseRedisRateLimiting(this DataphinClientBuilder builder, string configuration, Action<DataphinRedisRateLimitOptions> configure)
    {
        if (builder is null)
        {
            throw new ArgumentNullException(nameof(builder));
        }

        if (configuration is null)
        {
            throw new ArgumentNullException(nameof(configuration));
        }

        if (configure is null)
        {
            throw new ArgumentNullException(nameof(configure));
        }

        if (string.IsNullOrWhiteSpace(configuration))
        {
            throw new ArgumentException("The Redis connection string must not be empty; give host:port, e.g. localhost:6379.", nameof(configuration));
        }

        var options = new DataphinRedisRateLimitOptions();
        configure(options);
        options.Validate();
        var serviceKey = "Dataphin.OpenApi.Redis/" + builder.Name;
        builder.Services.AddKeyedSingleton(serviceKey, (services, _) =>
            new DataphinRedisRateLimiterProvider(configuration, options, services.GetService<ILoggerFactory>()));
        return builder.UseRateLimiterProvider(services => services.GetRequiredKeyedService<DataphinRedisRateLimiterProvider>(serviceKey));
    }
}
