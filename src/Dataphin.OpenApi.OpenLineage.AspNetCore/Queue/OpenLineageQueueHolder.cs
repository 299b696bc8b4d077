using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Dataphin.OpenApi.OpenLineage.AspNetCore.Queue;

/// <summary>Opens the durable queue once (when the forwarder starts, or on the first request) and disposes it with the application.</summary>
internal sealed class OpenLineageQueueHolder : IDisposable
{
    private readonly Lazy<OpenLineageEventQueue> _queue;

    public OpenLineageQueueHolder(IOptions<DataphinOpenLineageOptions> options, ILogger<OpenLineageQueueHolder> logger)
    {
        _queue = new Lazy<OpenLineageEventQueue>(() =>
        {
            var o = options.Value;
            var queue = OpenLineageEventQueue.Open(o.StateFolder!, o.TimeProvider ?? TimeProvider.System, o.QueueCapacity, o.QueueCapacityBytes);
            OpenLineageServerLog.QueueOpened(logger, queue.Path, queue.Replayed);
            return queue;
        });
    }

    /// <summary>The queue, opened if it was not.</summary>
    /// <exception cref="InvalidOperationException">The queue is used by another server or damaged.</exception>
    public OpenLineageEventQueue Get() => _queue.Value;

    /// <summary>The queue if it is open.</summary>
    public OpenLineageEventQueue? TryGet() => _queue.IsValueCreated ? _queue.Value : null;

    public void Dispose()
    {
        if (_queue.IsValueCreated)
        {
            _queue.Value.Dispose();
        }
    }
}
