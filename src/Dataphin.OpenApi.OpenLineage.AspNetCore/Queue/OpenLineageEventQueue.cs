using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.Win32.SafeHandles;

namespace Dataphin.OpenApi.OpenLineage.AspNetCore.Queue;

/// <summary>
/// The durable queue of accepted events: a journal file (JSON Lines, append-only, like the bulk run journal) with a
/// header, one line per accepted event and one line per batch of events forwarded. An event is appended and synced to
/// disk (fsync) before <see cref="TryAppendAsync"/> returns, so the endpoint answers 2xx only for what survives a crash;
/// appends that arrive together share one write and one sync (group commit). Opening the queue replays the events
/// without a <c>done</c> line. The file is compacted: cut back to its header when nothing is queued, and rewritten
/// with only the queued events when it grows large.
/// </summary>
internal sealed class OpenLineageEventQueue : IDisposable
{
    public const string FileName = "openlineage-queue.jsonl";
    private const string JournalName = "dataphin-openlineage-queue";
    private static readonly JsonWriterOptions WriterOptions = new() { Indented = false, SkipValidation = true };

    private readonly object _gate = new();
    private readonly SortedDictionary<long, QueuedEvent> _live = new();
    private readonly HashSet<string> _sentPairs = new(StringComparer.Ordinal);
    private readonly TimeProvider _time;
    private readonly int _capacity;
    private readonly long _capacityBytes;
    private readonly FileStream _lock;
    private FileStream _stream;
    private SafeFileHandle _handle;
    private long _length;
    private long _nextSequence;
    private int _reserved;
    private long _reservedBytes;
    private long _queuedBytes;
    private List<Pending> _pending = new();
    private bool _writing;
    private bool _disposed;
    private TaskCompletionSource _changed = NewSignal();
    private TaskCompletionSource _empty = NewSignal();

    private OpenLineageEventQueue(string path, FileStream lockFile, FileStream stream, TimeProvider time, int capacity, long capacityBytes)
    {
        Path = path;
        _lock = lockFile;
        _stream = stream;
        _handle = stream.SafeFileHandle;
        _time = time;
        _capacity = capacity;
        _capacityBytes = capacityBytes;
    }

    /// <summary>The journal file.</summary>
    public string Path { get; }

    /// <summary>Events replayed from the journal when it was opened (accepted by an earlier process, not forwarded).</summary>
    public int Replayed { get; private set; }

    /// <summary>The last error writing the journal, or <see langword="null"/> while writes succeed.</summary>
    public Exception? WriteError { get; private set; }

    /// <summary>How many times the journal was compacted.</summary>
    public int Compactions { get; private set; }

    /// <summary>The size of the journal file now.</summary>
    public long FileLength
    {
        get
        {
            lock (_gate)
            {
                return _length;
            }
        }
    }

    /// <summary>The file length above which a journal with queued events is rewritten (the queued events' size counts too).</summary>
    public long CompactAbove { get; set; } = 16L * 1024 * 1024;

    /// <summary>Events accepted and not forwarded (including those being written).</summary>
    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _live.Count + _reserved;
            }
        }
    }

    /// <summary>The queue's capacity in events.</summary>
    public int Capacity => _capacity;

    /// <summary>Whether the queue is at its capacity (events or bytes).</summary>
    public bool IsFull
    {
        get
        {
            lock (_gate)
            {
                return _live.Count + _reserved >= _capacity || _queuedBytes + _reservedBytes >= _capacityBytes;
            }
        }
    }

    /// <summary>When the oldest queued event was accepted, or <see langword="null"/> when none is queued.</summary>
    public DateTimeOffset? OldestAccepted
    {
        get
        {
            lock (_gate)
            {
                foreach (var e in _live.Values)
                {
                    return e.Accepted;
                }

                return null;
            }
        }
    }

    /// <summary>Opens (or creates) the queue in <paramref name="folder"/> and replays what it holds.</summary>
    /// <exception cref="InvalidOperationException">Another process uses the folder, or the journal is damaged before its last line.</exception>
    public static OpenLineageEventQueue Open(string folder, TimeProvider time, int capacity, long capacityBytes)
    {
        Directory.CreateDirectory(folder);
        var path = System.IO.Path.GetFullPath(System.IO.Path.Combine(folder, FileName));
        var lockPath = path + ".lock";
        FileStream lockFile;
        try
        {
            lockFile = new FileStream(lockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.DeleteOnClose);
        }
        catch (IOException error) when (File.Exists(lockPath))
        {
            throw new InvalidOperationException($"The OpenLineage queue '{path}' is in use by another server (its lock file '{lockPath}' is held). Give each server its own state folder.", error);
        }

        FileStream? stream = null;
        try
        {
            stream = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.Read, 1, FileOptions.None);
            var queue = new OpenLineageEventQueue(path, lockFile, stream, time, capacity, capacityBytes);
            queue.Load();
            return queue;
        }
        catch
        {
            stream?.Dispose();
            lockFile.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Appends events and returns once they are on disk; <see langword="false"/> (nothing written) when they do not fit
    /// in the queue. All or none of <paramref name="events"/> are queued.
    /// </summary>
    /// <exception cref="IOException">The journal could not be written; nothing was queued.</exception>
    public async Task<bool> TryAppendAsync(IReadOnlyList<(byte[] Json, string? RunKey, bool EndsRun)> events)
    {
        if (events.Count == 0)
        {
            return true;
        }

        var bytes = 0L;
        foreach (var e in events)
        {
            bytes += e.Json.Length;
        }

        Pending pending;
        bool start;
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_live.Count + _reserved + events.Count > _capacity || _queuedBytes + _reservedBytes + bytes > _capacityBytes)
            {
                return false;
            }

            var now = _time.GetUtcNow();
            var queued = new List<QueuedEvent>(events.Count);
            var text = new MemoryStream();
            using (var json = new Utf8JsonWriter(text, WriterOptions))
            {
                foreach (var e in events)
                {
                    var item = new QueuedEvent(++_nextSequence, e.Json, e.RunKey, e.EndsRun, now);
                    queued.Add(item);
                    json.Reset(text);
                    json.WriteStartObject();
                    json.WriteNumber("seq", item.Sequence);
                    json.WriteString("accepted", now.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture));
                    json.WritePropertyName("event");
                    json.WriteRawValue(e.Json, skipInputValidation: true);
                    json.WriteEndObject();
                    json.Flush();
                    text.WriteByte((byte)'\n');
                }
            }

            _reserved += events.Count;
            _reservedBytes += bytes;
            pending = new Pending(text.ToArray(), queued, bytes);
            _pending.Add(pending);
            start = !_writing;
            _writing |= start;
        }

        if (start)
        {
            _ = Task.Run(WriteLoop);
        }

        await pending.Written.Task.ConfigureAwait(false);
        return true;
    }

    /// <summary>
    /// Marks events as forwarded: they leave the queue now, and a <c>done</c> line (with the digest of the pair sent,
    /// if any, so a restart does not send it again) is written and synced before this returns.
    /// </summary>
    public Task MarkDoneAsync(IReadOnlyCollection<QueuedEvent> events, string? pairDigest)
    {
        if (events.Count == 0 && pairDigest is null)
        {
            return Task.CompletedTask;
        }

        Pending pending;
        bool start;
        lock (_gate)
        {
            if (_disposed)
            {
                return Task.CompletedTask; // Not recorded: replayed after the restart, which is safe.
            }

            var text = new MemoryStream();
            using (var json = new Utf8JsonWriter(text, WriterOptions))
            {
                json.WriteStartObject();
                json.WriteStartArray("done");
                foreach (var e in events)
                {
                    json.WriteNumberValue(e.Sequence);
                    if (_live.Remove(e.Sequence))
                    {
                        _queuedBytes -= e.Json.Length;
                    }
                }

                json.WriteEndArray();
                if (pairDigest is not null)
                {
                    json.WriteString("pair", pairDigest);
                    _sentPairs.Add(pairDigest);
                }

                json.WriteEndObject();
            }

            text.WriteByte((byte)'\n');
            pending = new Pending(text.ToArray(), null, 0);
            _pending.Add(pending);
            start = !_writing;
            _writing |= start;
            if (_live.Count + _reserved == 0)
            {
                _empty.TrySetResult();
            }
        }

        if (start)
        {
            _ = Task.Run(WriteLoop);
        }

        return pending.Written.Task;
    }

    /// <summary>Whether a pair with this digest was recorded as sent since the journal was last compacted (it survives a restart).</summary>
    public bool WasSent(string pairDigest)
    {
        lock (_gate)
        {
            return _sentPairs.Contains(pairDigest);
        }
    }

    /// <summary>
    /// Takes the events ready to forward, oldest first, and marks them in flight: those of runs that ended, that have
    /// waited <paramref name="runWait"/>, or that have no run; every event when <paramref name="all"/>. At most
    /// <paramref name="max"/>. Also returns when the next held run becomes ready, if any.
    /// </summary>
    public (List<QueuedEvent> Ready, DateTimeOffset? NextReady) TakeReady(int max, TimeSpan runWait, bool all)
    {
        lock (_gate)
        {
            if (_changed.Task.IsCompleted)
            {
                _changed = NewSignal();
            }

            var now = _time.GetUtcNow();
            var runs = new Dictionary<string, (bool Ended, DateTimeOffset First)>(StringComparer.Ordinal);
            foreach (var e in _live.Values)
            {
                if (e.RunKey is null)
                {
                    continue;
                }

                runs[e.RunKey] = runs.TryGetValue(e.RunKey, out var known)
                    ? (known.Ended || e.EndsRun, known.First)
                    : (e.EndsRun, e.Accepted);
            }

            var ready = new List<QueuedEvent>();
            DateTimeOffset? next = null;
            foreach (var e in _live.Values)
            {
                if (e.InFlight)
                {
                    continue;
                }

                var isReady = all || e.RunKey is null;
                if (!isReady)
                {
                    var run = runs[e.RunKey!];
                    var due = run.First + runWait;
                    isReady = run.Ended || due <= now;
                    if (!isReady && (next is null || due < next))
                    {
                        next = due;
                    }
                }

                if (isReady)
                {
                    if (ready.Count >= max)
                    {
                        next = now;
                        break;
                    }

                    e.InFlight = true;
                    ready.Add(e);
                }
            }

            return (ready, next);
        }
    }

    /// <summary>Returns events the forwarder did not finish to the queue (they are taken again).</summary>
    public void Release(IEnumerable<QueuedEvent> events)
    {
        lock (_gate)
        {
            foreach (var e in events)
            {
                e.InFlight = false;
            }
        }
    }

    /// <summary>Completes when events are appended after the last <see cref="TakeReady"/>.</summary>
    public Task WhenChangedAsync(CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return _changed.Task.WaitAsync(cancellationToken);
        }
    }

    /// <summary>Completes when nothing is queued (every accepted event forwarded).</summary>
    public Task WhenEmptyAsync(CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (_live.Count + _reserved == 0)
            {
                return Task.CompletedTask;
            }

            if (_empty.Task.IsCompleted)
            {
                _empty = NewSignal();
            }

            return _empty.Task.WaitAsync(cancellationToken);
        }
    }

    /// <summary>Writes what is pending, syncs the journal and closes it.</summary>
    public void Dispose()
    {
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
        }

        // Let a write in progress finish (its callers are waiting for it).
        while (true)
        {
            lock (_gate)
            {
                if (!_writing)
                {
                    break;
                }
            }

            Thread.Yield();
        }

        lock (_gate)
        {
            try
            {
                _stream.Flush(flushToDisk: true);
            }
            catch (IOException)
            {
                // Every line was synced when it was written.
            }

            _stream.Dispose();
            _lock.Dispose();
            _changed.TrySetCanceled();
        }
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    private void Load()
    {
        var bytes = new byte[_stream.Length];
        _stream.Position = 0;
        _stream.ReadExactly(bytes);
        var position = 0;
        var lineNumber = 0;
        var sawHeader = false;
        long validLength = 0;
        while (position < bytes.Length)
        {
            var end = Array.IndexOf(bytes, (byte)'\n', position);
            if (end < 0)
            {
                break; // A torn last line: the process died while writing it; it was never acknowledged.
            }

            lineNumber++;
            var line = bytes.AsMemory(position, end - position);
            position = end + 1;
            if (line.Length == 0)
            {
                validLength = position;
                continue;
            }

            if (!sawHeader)
            {
                if (!IsHeader(line.Span, out var next))
                {
                    throw new InvalidOperationException($"'{Path}' is not an OpenLineage queue journal (its first line is not the header of one). Move it away or give another state folder.");
                }

                sawHeader = true;
                _nextSequence = next;
                validLength = position;
                continue;
            }

            try
            {
                using var document = JsonDocument.Parse(line);
                var root = document.RootElement;
                if (root.TryGetProperty("seq", out var seq))
                {
                    var sequence = seq.GetInt64();
                    var accepted = root.GetProperty("accepted").GetDateTimeOffset();
                    var json = Encoding.UTF8.GetBytes(root.GetProperty("event").GetRawText());
                    var e = OpenLineageServerJsonContext.Deserialize(json);
                    _live[sequence] = new QueuedEvent(sequence, json, QueuedEvent.RunKeyOf(e), QueuedEvent.IsEnd(e.EventType), accepted);
                    _queuedBytes += json.Length;
                    _nextSequence = Math.Max(_nextSequence, sequence);
                }
                else if (root.TryGetProperty("done", out var done))
                {
                    foreach (var s in done.EnumerateArray())
                    {
                        if (_live.Remove(s.GetInt64(), out var removed))
                        {
                            _queuedBytes -= removed.Json.Length;
                        }
                    }

                    if (root.TryGetProperty("pair", out var pair) && pair.GetString() is { } digest)
                    {
                        _sentPairs.Add(digest);
                    }
                }
            }
            catch (Exception error) when (error is JsonException or InvalidOperationException or FormatException or KeyNotFoundException)
            {
                throw new InvalidOperationException($"The OpenLineage queue '{Path}' is damaged at line {lineNumber} ({error.Message}); a crash only ever tears the last line. Move the file away to start with an empty queue (the events it holds are then not forwarded).", error);
            }

            validLength = position;
        }

        Replayed = _live.Count;
        if (!sawHeader)
        {
            _stream.SetLength(0);
            var header = Header();
            _stream.Write(header);
            _stream.Flush(flushToDisk: true);
            _length = header.Length;
            return;
        }

        // Drop a torn last line, so that the next line starts on a line of its own.
        _stream.SetLength(validLength);
        _stream.Flush(flushToDisk: true);
        _length = validLength;
    }

    private static bool IsHeader(ReadOnlySpan<byte> line, out long next)
    {
        next = 0;
        try
        {
            var reader = new Utf8JsonReader(line);
            using var document = JsonDocument.ParseValue(ref reader);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("journal", out var name) || name.GetString() != JournalName)
            {
                return false;
            }

            if (root.TryGetProperty("next", out var value) && value.TryGetInt64(out var n))
            {
                next = n;
            }

            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private byte[] Header()
    {
        var text = new MemoryStream();
        using (var json = new Utf8JsonWriter(text, WriterOptions))
        {
            json.WriteStartObject();
            json.WriteString("journal", JournalName);
            json.WriteNumber("version", 1);
            json.WriteString("created", _time.GetUtcNow().UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture));
            json.WriteNumber("next", _nextSequence);
            json.WriteEndObject();
        }

        text.WriteByte((byte)'\n');
        return text.ToArray();
    }

    /// <summary>One writer at a time: takes every pending line, writes them with one write, syncs once, then tells their callers.</summary>
    private void WriteLoop()
    {
        while (true)
        {
            List<Pending> batch;
            lock (_gate)
            {
                if (_pending.Count == 0)
                {
                    _writing = false;
                    return;
                }

                batch = _pending;
                _pending = new List<Pending>();
            }

            try
            {
                var total = 0;
                foreach (var p in batch)
                {
                    total += p.Bytes.Length;
                }

                var buffer = new byte[total];
                var offset = 0;
                foreach (var p in batch)
                {
                    p.Bytes.CopyTo(buffer, offset);
                    offset += p.Bytes.Length;
                }

                RandomAccess.Write(_handle, buffer, _length);
                RandomAccess.FlushToDisk(_handle);
                lock (_gate)
                {
                    _length += total;
                    WriteError = null;
                    foreach (var p in batch)
                    {
                        if (p.Events is { } events)
                        {
                            foreach (var e in events)
                            {
                                _live.Add(e.Sequence, e);
                            }

                            _reserved -= events.Count;
                            _reservedBytes -= p.EventBytes;
                            _queuedBytes += p.EventBytes;
                        }
                    }

                    _changed.TrySetResult();
                }

                foreach (var p in batch)
                {
                    p.Written.TrySetResult();
                }

                Compact();
            }
            catch (Exception error) when (error is IOException or UnauthorizedAccessException or ObjectDisposedException)
            {
                lock (_gate)
                {
                    WriteError = error;
                    foreach (var p in batch)
                    {
                        if (p.Events is { } events)
                        {
                            _reserved -= events.Count;
                            _reservedBytes -= p.EventBytes;
                        }
                    }
                }

                foreach (var p in batch)
                {
                    p.Written.TrySetException(new IOException($"The OpenLineage queue '{Path}' could not be written: {error.Message}", error));
                }
            }
        }
    }

    /// <summary>Runs on the writer only. Cuts the journal back to its header when nothing is queued; rewrites it with the queued events when it is large.</summary>
    private void Compact()
    {
        List<QueuedEvent> live;
        lock (_gate)
        {
            if (_pending.Count > 0 || _reserved > 0)
            {
                return;
            }

            if (_live.Count == 0 && _length > Math.Min(CompactAbove, 1024 * 1024))
            {
                // Nothing queued: the header is all that needs to stay (it keeps the next sequence number).
                _sentPairs.Clear();
                var header = Header();
                RandomAccess.Write(_handle, header, 0);
                _stream.SetLength(header.Length);
                RandomAccess.FlushToDisk(_handle);
                _length = header.Length;
                Compactions++;
                return;
            }

            if (_length <= CompactAbove + (4 * _queuedBytes))
            {
                return;
            }

            live = new List<QueuedEvent>(_live.Values);
        }

        // Rewrite: a new file with the header and the queued events, synced, then renamed over the journal.
        var temporary = Path + ".compact";
        using (var file = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None, 64 * 1024))
        {
            file.Write(Header());
            using (var json = new Utf8JsonWriter(file, WriterOptions))
            {
                foreach (var e in live)
                {
                    json.Reset(file);
                    json.WriteStartObject();
                    json.WriteNumber("seq", e.Sequence);
                    json.WriteString("accepted", e.Accepted.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture));
                    json.WritePropertyName("event");
                    json.WriteRawValue(e.Json, skipInputValidation: true);
                    json.WriteEndObject();
                    json.Flush();
                    file.WriteByte((byte)'\n');
                }
            }

            file.Flush(flushToDisk: true);
        }

        lock (_gate)
        {
            // Acknowledgements that came in while the copy was written are still pending: the writer writes them next, to the new file.
            File.Move(temporary, Path, overwrite: true);
            _stream.Dispose();
            _stream = new FileStream(Path, FileMode.Open, FileAccess.ReadWrite, FileShare.Read, 1, FileOptions.None);
            _handle = _stream.SafeFileHandle;
            _length = _stream.Length;
            _sentPairs.Clear();
            Compactions++;
        }
    }

    private sealed class Pending
    {
        public Pending(byte[] bytes, List<QueuedEvent>? events, long eventBytes)
        {
            Bytes = bytes;
            Events = events;
            EventBytes = eventBytes;
        }

        public byte[] Bytes { get; }

        public List<QueuedEvent>? Events { get; }

        public long EventBytes { get; }

        public TaskCompletionSource Written { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
