using Dataphin.OpenApi.Internal;

namespace Dataphin.OpenApi.Bulk;

/// <summary>Lineage reads on <see cref="DataphinClient"/> that take more than one call.</summary>
public static class DataphinClientLineageExtensions
{
    /// <summary>Walks the lineage Dataphin holds from a table (see <see cref="LineageTraversal.TraverseAsync"/>).</summary>
    /// <param name="client">The client the reads go through (its rate limiter paces them).</param>
    /// <param name="opTenantId">The tenant.</param>
    /// <param name="tableGuid">The GUID of the table to start from.</param>
    /// <param name="options">The direction, depth, fields and bound; <see langword="null"/> for the defaults.</param>
    /// <param name="cancellationToken">Stops the walk.</param>
    /// <returns>The graph, the number of tables read, and whether the walk stopped at its bound.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="client"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="tableGuid"/> is empty, or an option breaks its rule; nothing was sent.</exception>
    /// <exception cref="DataphinException">A read failed.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public static Task<LineageTraversalResult> TraverseLineageAsync(this DataphinClient client, long opTenantId, string tableGuid, LineageTraversalOptions? options = null, CancellationToken cancellationToken = default)
        => new LineageTraversal(Guard.NotNull(client, nameof(client)), opTenantId).TraverseAsync(tableGuid, options, cancellationToken);
}
