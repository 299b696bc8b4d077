namespace Dataphin.OpenApi.Testing.Recording;

/// <summary>A bounded, thread-safe list of the requests received.</summary>
internal sealed class RequestLog(int capacity)
{
    private readonly object _gate = new();
    private readonly Queue<EmulatorRequest> _requests = new();
    private long _sequence;

    public long NextSequence() => Interlocked.Increment(ref _sequence);

    public void Add(EmulatorRequest request)
    {
        lock (_gate)
        {
            if (capacity == 0)
            {
                return;
            }

            _requests.Enqueue(request);
            while (_requests.Count > capacity)
            {
                _requests.Dequeue();
            }
        }
    }

    public IReadOnlyList<EmulatorRequest> Snapshot()
    {
        lock (_gate)
        {
            return _requests.OrderBy(r => r.Sequence).ToList();
        }
    }

    public void Clear()
    {
        lock (_gate)
        {
            _requests.Clear();
        }
    }
}
