using Dataphin.OpenApi.OpenLineage.AspNetCore.Queue;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Dataphin.OpenApi.OpenLineage.AspNetCore;

/// <summary>Healthy when the queue is open and writable and has room; degraded when it is full; unhealthy when it cannot be opened or written.</summary>
internal sealed class OpenLineageQueueHealthCheck(OpenLineageQueueHolder holder) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        OpenLineageEventQueue queue;
        try
        {
            queue = holder.Get();
        }
        catch (Exception error) when (error is InvalidOperationException or IOException or UnauthorizedAccessException)
        {
            return Task.FromResult(HealthCheckResult.Unhealthy("The OpenLineage queue cannot be opened.", error));
        }

        var data = new Dictionary<string, object> { ["queued"] = queue.Count, ["capacity"] = queue.Capacity };
        if (queue.WriteError is { } writeError)
        {
            return Task.FromResult(HealthCheckResult.Unhealthy("The OpenLineage queue cannot be written.", writeError, data));
        }

        return Task.FromResult(queue.IsFull
            ? HealthCheckResult.Degraded("The OpenLineage queue is full: new events are refused with 503 until it drains.", data: data)
            : HealthCheckResult.Healthy("The OpenLineage queue is writable.", data));
    }
}
