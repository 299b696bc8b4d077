using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Dataphin.OpenApi.DependencyInjection;

/// <summary>Builds each named client once, over its <see cref="IHttpClientFactory"/> client, with the container's logging and clock.</summary>
internal sealed class DataphinClientFactory(
    IServiceProvider services,
    IOptionsMonitor<DataphinClientOptions> options,
    IHttpClientFactory httpClients,
    IEnumerable<DataphinClientRegistration> registrations) : IDataphinClientFactory
{
    private readonly HashSet<string> _names = new(registrations.Select(r => r.Name), StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Lazy<DataphinClient>> _clients = new(StringComparer.Ordinal);

    public DataphinClient CreateClient(string name)
    {
        if (name is null)
        {
            throw new ArgumentNullException(nameof(name));
        }

        if (!_names.Contains(name))
        {
            throw new InvalidOperationException(
                $"No Dataphin client named '{name}' is registered; call services.AddDataphinClient(\"{name}\", ...). Registered: {string.Join(", ", _names.Select(n => n.Length == 0 ? "(default)" : n))}.");
        }

        return _clients.GetOrAdd(name, n => new Lazy<DataphinClient>(() => Build(n))).Value;
    }

    private DataphinClient Build(string name)
    {
        var settings = options.Get(name).Clone();
        settings.LoggerFactory ??= services.GetService<ILoggerFactory>();
        if (settings.Credential is null && settings.CredentialProvider is null)
        {
            settings.CredentialProvider = services.GetService<DataphinCredentialProvider>() ?? CreateDefaultChain(services);
        }

        if (ReferenceEquals(settings.TimeProvider, TimeProvider.System) && services.GetService<TimeProvider>() is { } clock)
        {
            settings.TimeProvider = clock;
        }

        var httpClientName = DataphinClientBuilder.HttpClientName(name);
        return new DataphinClient(() => httpClients.CreateClient(httpClientName), settings);
    }

    /// <summary>The default credential chain over the container's <see cref="DataphinProcessEnvironment"/> and clock (or the process's).</summary>
    internal static DataphinDefaultCredentialProvider CreateDefaultChain(IServiceProvider services)
        => new(DataphinProfileOptionsSetup.SourceOptions(services));
}

/// <summary>Marks a client name as registered.</summary>
internal sealed class DataphinClientRegistration(string name)
{
    public string Name { get; } = name;
}
