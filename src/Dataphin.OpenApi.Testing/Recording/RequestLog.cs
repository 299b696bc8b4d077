namespace Dataphin.OpenApi.Testing.Recording;

/// <summary>
/// A thread-safe list of the requests received, bounded by count and by estimated bytes; the oldest are dropped
/// first, but the newest is always kept.
/// </summary>
internal sealed class RequestLog(int capacity, long maxBytes)
{
    /// <summary>What a recorded request costs besides its text: the object, its lists and dictionary.</summary>
    internal const long RequestOverheadBytes = 512;

    /// <summary>What each query pair, form pair or header costs besides its text.</summary>
    internal const long EntryOverheadBytes = 64;

    private readonly object _gate = new();
    private readonly Queue<(EmulatorRequest Request, long Bytes)> _requests = new();
    private long _sequence;
    private long _bytes;

    public long NextSequence() => Interlocked.Increment(ref _sequence);

    /// <summary>How many sequence numbers were handed out: the requests received since start.</summary>
    public long Received => Interlocked.Read(ref _sequence);

    /// <summary>The estimated bytes of the requests kept.</summary>
    public long Bytes
    {
        get
        {
            lock (_gate)
            {
                return _bytes;
            }
        }
    }

    /// <summary>Estimates the memory a recorded request holds: its strings as UTF-16 plus fixed overheads.</summary>
    public static long SizeOf(EmulatorRequest request)
    {
        long size = RequestOverheadBytes + Text(request.RequestId) + Text(request.Method) + Text(request.Action) + Text(request.AccessKeyId);
        foreach (var pair in request.Query)
        {
            size += EntryOverheadBytes + Text(pair.Key) + Text(pair.Value);
        }

        foreach (var pair in request.Form)
        {
            size += EntryOverheadBytes + Text(pair.Key) + Text(pair.Value);
        }

        foreach (var pair in request.Headers)
        {
            size += EntryOverheadBytes + Text(pair.Key) + Text(pair.Value);
        }

        return size;
    }

    public void Add(EmulatorRequest request)
    {
        var size = SizeOf(request);
        lock (_gate)
        {
            if (capacity == 0)
            {
                return;
            }

            _requests.Enqueue((request, size));
            _bytes += size;
            while (_requests.Count > capacity || (_bytes > maxBytes && _requests.Count > 1))
            {
                _bytes -= _requests.Dequeue().Bytes;
            }
        }
    }

    public IReadOnlyList<EmulatorRequest> Snapshot()
    {
        lock (_gate)
        {
            return _requests.Select(r => r.Request).OrderBy(r => r.Sequence).ToList();
        }
    }

    public void Clear()
    {
        lock (_gate)
        {
            _requests.Clear();
            _bytes = 0;
        }
    }

    private static long Text(string? text) => 2L * (text?.Length ?? 0);
}
