using Dataphin.OpenApi.Internal;
using Dataphin.OpenApi.OpenLineage;
using Dataphin.OpenApi.OpenLineage.AspNetCore;
using Dataphin.OpenApi.OpenLineage.AspNetCore.Queue;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

#pragma warning disable IDE0130 // Namespace does not match folder structure: extension methods live where users look for them.
namespace Microsoft.Extensions.DependencyInjection;
#pragma warning restore IDE0130

/// <summary>Registers the OpenLineage endpoint's services.</summary>
public static class OpenLineageServiceCollectionExtensions
{
    /// <summary>
    /// Registers what <see cref="Microsoft.AspNetCore.Builder.OpenLineageEndpointRouteBuilderExtensions.MapDataphinOpenLineage"/> needs: the durable
    /// queue, the worker that forwards to Dataphin (a hosted service), the metrics (meter
    /// <c>Dataphin.OpenApi.OpenLineage.AspNetCore</c>) and a health check named <c>dataphin-openlineage</c>. The
    /// <see cref="Dataphin.OpenApi.DataphinClient"/> it forwards through comes from the container (<c>AddDataphinClient</c>). The settings
    /// are checked when the application starts; every problem is named.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="configure">Sets the options (tenant, API keys, mapping rules, state folder, ...).</param>
    /// <returns>The services.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    public static IServiceCollection AddDataphinOpenLineage(this IServiceCollection services, Action<DataphinOpenLineageOptions> configure)
    {
        Guard.NotNull(services, nameof(services));
        Guard.NotNull(configure, nameof(configure));
        services.AddOptions<DataphinOpenLineageOptions>()
            .Configure(configure)
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<DataphinOpenLineageOptions>, OptionsValidator>());
        services.AddMetrics();
        services.TryAddSingleton<OpenLineageQueueHolder>();
        services.TryAddSingleton<OpenLineageServerMetrics>(sp => new OpenLineageServerMetrics(
            sp.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>(),
            sp.GetRequiredService<OpenLineageQueueHolder>(),
            sp.GetRequiredService<IOptions<DataphinOpenLineageOptions>>().Value.TimeProvider ?? TimeProvider.System));
        services.TryAddSingleton(sp => new OpenLineageUnmappedDatasets(sp.GetRequiredService<IOptions<DataphinOpenLineageOptions>>().Value.MaxUnmappedDatasetsListed));
        services.TryAddSingleton<OpenLineageEndpoint>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<Microsoft.Extensions.Hosting.IHostedService, OpenLineageForwarder>());
        services.AddHealthChecks().AddCheck<OpenLineageQueueHealthCheck>("dataphin-openlineage");
        return services;
    }

    private static string? RulesProblem(DataphinOpenLineageOptions options)
    {
        if (options.MappingRules is null)
        {
            return null;
        }

        try
        {
            _ = new OpenLineageImporter(options.MappingRules, options.ImportOptions);
            return null;
        }
        catch (ArgumentException error)
        {
            return $"MappingRules are not usable: {error.Message}";
        }
    }

    /// <summary>Names every problem of the options.</summary>
    private sealed class OptionsValidator : IValidateOptions<DataphinOpenLineageOptions>
    {
        public ValidateOptionsResult Validate(string? name, DataphinOpenLineageOptions options)
        {
            var problems = options.Problems();
            if (RulesProblem(options) is { } rules)
            {
                problems.Add(rules);
            }

            return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems.Select(p => "DataphinOpenLineageOptions: " + p));
        }
    }
}
