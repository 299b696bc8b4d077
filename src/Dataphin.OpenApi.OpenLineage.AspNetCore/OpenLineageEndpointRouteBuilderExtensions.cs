using Dataphin.OpenApi.Internal;
using Dataphin.OpenApi.OpenLineage.AspNetCore;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

#pragma warning disable IDE0130 // Namespace does not match folder structure: extension methods live where users look for them.
namespace Microsoft.AspNetCore.Builder;
#pragma warning restore IDE0130

/// <summary>Maps the OpenLineage endpoint.</summary>
public static class OpenLineageEndpointRouteBuilderExtensions
{
    /// <summary>
    /// Maps the OpenLineage endpoint at <paramref name="pattern"/> (what the OpenLineage HTTP transport posts to: its
    /// URL plus endpoint, by default <c>/api/v1/lineage</c>): <c>POST</c> takes one event or an array of events (JSON,
    /// optionally <c>Content-Encoding: gzip</c>) and answers 200 once they are queued on disk, 400 naming the field of an
    /// invalid event, 401 without a valid API key, 413 for a body over the limits, 503 with <c>Retry-After</c> when the
    /// queue is full. Also maps <c>GET {pattern}/unmapped</c> (the datasets no rule maps) and <c>GET {pattern}/status</c>
    /// (queue depth, lag, counts), both behind the same API keys. Register the services with
    /// <see cref="OpenLineageServiceCollectionExtensions.AddDataphinOpenLineage"/>; map health with
    /// <c>app.MapHealthChecks("/health")</c> (the check <c>dataphin-openlineage</c>).
    /// </summary>
    /// <param name="endpoints">The application's routes.</param>
    /// <param name="pattern">The route of the endpoint; default <c>/api/v1/lineage</c>.</param>
    /// <returns>A builder for the three routes, e.g. to add CORS or rate-limiting policies.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="InvalidOperationException"><see cref="OpenLineageServiceCollectionExtensions.AddDataphinOpenLineage"/> was not called.</exception>
    public static IEndpointConventionBuilder MapDataphinOpenLineage(this IEndpointRouteBuilder endpoints, string pattern = "/api/v1/lineage")
    {
        Guard.NotNull(endpoints, nameof(endpoints));
        Guard.NotNullOrWhiteSpace(pattern, nameof(pattern));
        var endpoint = endpoints.ServiceProvider.GetService<OpenLineageEndpoint>()
            ?? throw new InvalidOperationException("Call services.AddDataphinOpenLineage(...) before app.MapDataphinOpenLineage(...).");
        var group = endpoints.MapGroup(pattern);
        group.MapPost(string.Empty, (RequestDelegate)endpoint.PostAsync);
        group.MapGet("/unmapped", (RequestDelegate)endpoint.UnmappedAsync);
        group.MapGet("/status", (RequestDelegate)endpoint.StatusAsync);
        return group;
    }
}
