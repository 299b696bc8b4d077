using System.Globalization;
using System.Text.Json;
using Dataphin.OpenApi.Internal;

namespace Dataphin.OpenApi.Bulk;

/// <summary>
/// A run store kept as a journal file (JSON Lines; docs/run-journal.md): a header naming the run, then one line per
/// item outcome, appended as it happens. Opening an existing journal continues it: the items it records as succeeded
/// are skipped by the run, everything else is sent again. A journal written for another run is refused.
/// </summary>
/// <remarks>
/// Every record is written to the operating system before the run goes on (one write per item), so killing the
/// process loses nothing recorded. The file is also synced to disk every <see cref="SyncInterval"/>, in the background
/// (no worker waits for the disk), and when the store is disposed, so a host crash loses about a second of records,
/// which a later run sends again. A sidecar <c>.lock</c> file keeps two runs from
/// writing the same journal at once; it is deleted when the store is disposed.
/// </remarks>
/// <example>
/// <code>
/// using var store = FileBulkRunStore.Open("run.journal.jsonl", identity);
/// var summary = await bulk.RunToSummaryAsync(items, new BulkOptions { RunStore = store });
/// </code>
/// </example>
public sealed class FileBulkRunStore : IBulkRunStore, IDisposable
{
    private readonly object _gate = new();
    private readonly FileStream _stream;
#if NET8_0_OR_GREATER
    private readonly Microsoft.Win32.SafeHandles.SafeFileHandle _handle;
#endif
    private readonly FileStream _lock;
    private readonly Dictionary<long, ulong> _succeeded;
    private readonly MemoryStream _buffer = new();
    private readonly Utf8JsonWriter _json;
    private readonly TimeProvider _time;
    private long _lastSync;
    private bool _unsynced;
    private bool _syncing;
    private Task _sync = Task.CompletedTask;
    private bool _disposed;

    private FileBulkRunStore(string path, FileStream stream, FileStream lockFile, BulkRunIdentity identity, Dictionary<long, ulong> succeeded, bool resumed, TimeProvider time)
    {
        _time = time;
        Path = path;
        _stream = stream;
        _lock = lockFile;
        Identity = identity;
        _succeeded = succeeded;
        Resumed = resumed;
        _json = new Utf8JsonWriter(_buffer, BulkRunJournal.WriterOptions);
        _lastSync = _time.GetTimestamp();
#if NET8_0_OR_GREATER
        _handle = stream.SafeFileHandle;
#endif
    }

    /// <summary>The journal file (full path).</summary>
    public string Path { get; }

    /// <summary>The run the journal is for.</summary>
    public BulkRunIdentity Identity { get; }

    /// <summary>Whether an earlier journal was continued (rather than a new one started).</summary>
    public bool Resumed { get; }

    /// <summary>How many items earlier runs recorded as succeeded (they will not be sent again).</summary>
    public long SucceededEarlier => _succeeded.Count;

    /// <summary>
    /// How often the journal is synced to disk, in the background, so that a host crash loses little (default 1 s;
    /// <see cref="Timeout.InfiniteTimeSpan"/>: only when the store is disposed). Records reach the operating system at
    /// once either way, which is all a killed process needs.
    /// </summary>
    public TimeSpan SyncInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Opens the journal at <paramref name="path"/> for a run with <paramref name="identity"/>: continues it if it exists
    /// (and was written for the same run), or starts a new one. The folder is created if missing.
    /// </summary>
    /// <param name="path">The journal file.</param>
    /// <param name="identity">The run.</param>
    /// <param name="fresh">Start a new journal even if one exists (the earlier one is overwritten).</param>
    /// <param name="timeProvider">The clock for the timestamps in the journal and for <see cref="SyncInterval"/>; <see cref="TimeProvider.System"/> when <see langword="null"/>.</param>
    /// <returns>The store; dispose it when the run ends.</returns>
    /// <exception cref="BulkRunJournalException">The journal was written for another run, is damaged, or is being written by another run.</exception>
    /// <exception cref="IOException">The file cannot be created or read.</exception>
    /// <exception cref="UnauthorizedAccessException">The file or its folder may not be written.</exception>
    public static FileBulkRunStore Open(string path, BulkRunIdentity identity, bool fresh = false, TimeProvider? timeProvider = null)
    {
        Guard.NotNullOrWhiteSpace(path, nameof(path));
        Guard.NotNull(identity, nameof(identity));
        var time = timeProvider ?? TimeProvider.System;
        var full = System.IO.Path.GetFullPath(path);
        var folder = System.IO.Path.GetDirectoryName(full);
        if (!string.IsNullOrEmpty(folder))
        {
            Directory.CreateDirectory(folder);
        }

        var lockPath = full + ".lock";
        FileStream lockFile;
        try
        {
            lockFile = new FileStream(lockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.DeleteOnClose);
        }
        catch (IOException error) when (File.Exists(lockPath))
        {
            throw new BulkRunJournalException(full, BulkRunJournalProblem.InUse, $"The run journal '{full}' is being written by another run (its lock file '{lockPath}' is held).", innerException: error);
        }

        FileStream? stream = null;
        try
        {
            stream = new FileStream(full, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.Read, 1, FileOptions.None);
            var succeeded = new Dictionary<long, ulong>();
            var resumed = false;
            if (!fresh && stream.Length > 0)
            {
                var bytes = BulkRunJournal.ReadAll(stream);
                var scan = BulkRunJournal.Scan(full, bytes, entry =>
                {
                    if (entry.Status == BulkItemStatus.Succeeded)
                    {
                        succeeded[entry.Index] = IdHash(entry.Id);
                    }
                });
                var differences = identity.DifferencesFrom(scan.Identity);
                if (differences.Count > 0)
                {
                    throw new BulkRunJournalException(
                        full,
                        BulkRunJournalProblem.DifferentRun,
                        $"The run journal '{full}' was written for another run: {string.Join("; ", differences)}.",
                        differences);
                }

                // Drop a torn last line, so that the next record starts on a line of its own.
                stream.SetLength(scan.ValidLength);
                stream.Seek(0, SeekOrigin.End);
                resumed = true;
            }
            else
            {
                stream.SetLength(0);
            }

            var store = new FileBulkRunStore(full, stream, lockFile, identity, succeeded, resumed, time);
            if (resumed)
            {
                store.WriteLine(json => BulkRunJournal.WriteResumed(json, time.GetUtcNow(), succeeded.Count));
            }
            else
            {
                store.WriteLine(json => BulkRunJournal.WriteHeader(json, identity, time.GetUtcNow()));
            }

            store.Sync();
            return store;
        }
        catch
        {
            stream?.Dispose();
            lockFile.Dispose();
            throw;
        }
    }

    /// <inheritdoc />
    public bool IsSucceeded(long index, string id)
    {
        lock (_gate)
        {
            return _succeeded.TryGetValue(index, out var hash) && hash == IdHash(id);
        }
    }

    /// <inheritdoc />
    /// <exception cref="ObjectDisposedException">The store was disposed.</exception>
    /// <exception cref="IOException">The record could not be written.</exception>
    public ValueTask RecordAsync(BulkItemResult result, CancellationToken cancellationToken)
    {
        Guard.NotNull(result, nameof(result));
        WriteLine(json => BulkRunJournal.WriteEntry(json, result));
        return default;
    }

    /// <summary>Syncs the journal to disk and closes it.</summary>
    public void Dispose()
    {
        Task sync;
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            sync = _sync;
        }

        try
        {
            sync.GetAwaiter().GetResult();
        }
        catch (Exception error) when (error is IOException or ObjectDisposedException)
        {
            // The final sync below tries again.
        }

        lock (_gate)
        {
            try
            {
                if (_unsynced)
                {
                    _stream.Flush(flushToDisk: true);
                }
            }
            finally
            {
                _stream.Dispose();
                _json.Dispose();
                _lock.Dispose();
            }
        }
    }

    /// <summary>A stable 64-bit FNV-1a hash of an item id (string.GetHashCode differs between processes).</summary>
    internal static ulong IdHash(string id)
    {
        var hash = 14695981039346656037UL;
        foreach (var c in id)
        {
            hash = (hash ^ c) * 1099511628211UL;
        }

        return hash;
    }

    private void WriteLine(Action<Utf8JsonWriter> write)
    {
        lock (_gate)
        {
            if (_disposed)
            {
                throw new ObjectDisposedException(nameof(FileBulkRunStore), string.Format(CultureInfo.InvariantCulture, "The run journal '{0}' is closed.", Path));
            }

            _buffer.SetLength(0);
            _json.Reset(_buffer);
            write(_json);
            _json.Flush();
            _buffer.WriteByte((byte)'\n');

            // One write per line, straight to the operating system (the stream has no buffer of its own).
            _stream.Write(_buffer.GetBuffer(), 0, (int)_buffer.Length);
            _unsynced = true;
            if (!_syncing && SyncInterval != Timeout.InfiniteTimeSpan && _time.GetElapsedTime(_lastSync) >= SyncInterval)
            {
                _syncing = true;
                _unsynced = false;
                _sync = Task.Run(SyncInBackground);
            }
        }
    }

    /// <summary>Syncs to disk off the writers' path: a disk flush can take long on a busy machine, and no worker should wait for it.</summary>
    private void SyncInBackground()
    {
        try
        {
#if NET8_0_OR_GREATER
            RandomAccess.FlushToDisk(_handle);
#else
            lock (_gate)
            {
                if (!_disposed)
                {
                    _stream.Flush(flushToDisk: true);
                }
            }
#endif
        }
        catch (Exception error) when (error is IOException or ObjectDisposedException)
        {
            // A failed sync is tried again with the next one, and at the end; the records are with the operating system.
            lock (_gate)
            {
                _unsynced = true;
            }
        }
        finally
        {
            lock (_gate)
            {
                _syncing = false;
                _lastSync = _time.GetTimestamp();
            }
        }
    }

    private void Sync()
    {
        _stream.Flush(flushToDisk: true);
        _unsynced = false;
        _lastSync = _time.GetTimestamp();
    }
}
