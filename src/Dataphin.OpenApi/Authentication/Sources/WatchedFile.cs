namespace Dataphin.OpenApi.Authentication.Sources;

/// <summary>
/// A file read and parsed once, then checked again (last-write time and length) only when the refresh interval has
/// passed on the <see cref="TimeProvider"/>; a change gets it read again. No file-system watcher, nothing to dispose.
/// Parse failures are kept like values, so a broken file is not read again until it changes.
/// </summary>
internal sealed class WatchedFile<T>(TimeProvider time, TimeSpan interval, Func<string, string, T> parse)
    where T : class
{
    /// <summary>Files larger than this are not credential files and are not read.</summary>
    public const long MaxLength = 1024 * 1024;

    private readonly object _gate = new();
    private Snapshot? _last;

    /// <summary>
    /// The first of <paramref name="candidates"/> that exists, parsed (or the first candidate, not existing, when none
    /// does). Throws the parse failure of the file as it is now.
    /// </summary>
    public Snapshot Read(IReadOnlyList<string> candidates)
    {
        lock (_gate)
        {
            var now = time.GetTimestamp();
            if (_last is { } last && SameCandidates(last.Candidates, candidates) && time.GetElapsedTime(last.CheckedAt, now) < interval)
            {
                return last.ThrowIfFailed();
            }

            FileInfo? found = null;
            foreach (var candidate in candidates)
            {
                var info = new FileInfo(candidate);
                if (info.Exists)
                {
                    found = info;
                    break;
                }
            }

            var path = found?.FullName ?? candidates[0];
            var lastWrite = found?.LastWriteTimeUtc ?? default;
            var length = found?.Length ?? -1;
            if (_last is { } previous && SameCandidates(previous.Candidates, candidates) && previous.Path == path
                && previous.Exists == (found is not null) && previous.LastWriteUtc == lastWrite && previous.Length == length)
            {
                _last = previous.CheckedAgain(now);
                return _last.ThrowIfFailed();
            }

            T? value = null;
            Exception? error = null;
            if (found is not null)
            {
                try
                {
                    value = length > MaxLength
                        ? throw new FormatException($"the file is larger than {MaxLength / 1024} KiB, which no credentials or profile file is")
                        : parse(path, File.ReadAllText(path));
                }
                catch (Exception failure) when (failure is FormatException or IOException or UnauthorizedAccessException)
                {
                    error = failure;
                }
            }

            _last = new Snapshot([.. candidates], path, found is not null, lastWrite, length, now, value, error);
            return _last.ThrowIfFailed();
        }
    }

    private static bool SameCandidates(string[] a, IReadOnlyList<string> b)
    {
        if (a.Length != b.Count)
        {
            return false;
        }

        for (var i = 0; i < a.Length; i++)
        {
            if (!string.Equals(a[i], b[i], StringComparison.Ordinal))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The file as last read: where, whether it exists, its stamp, and what it parsed to.</summary>
    internal sealed class Snapshot(string[] candidates, string path, bool exists, DateTime lastWriteUtc, long length, long checkedAt, T? value, Exception? error)
    {
        public string[] Candidates { get; } = candidates;

        public string Path { get; } = path;

        public bool Exists { get; } = exists;

        public DateTime LastWriteUtc { get; } = lastWriteUtc;

        public long Length { get; } = length;

        public long CheckedAt { get; } = checkedAt;

        public T? Value { get; } = value;

        public Exception? Error { get; } = error;

        /// <summary>The same contents, checked again at <paramref name="now"/> (the value keeps its identity, so what was built from it is reused).</summary>
        public Snapshot CheckedAgain(long now) => new(Candidates, Path, Exists, LastWriteUtc, Length, now, Value, Error);

        public Snapshot ThrowIfFailed()
        {
            if (Error is not null)
            {
                throw new WatchedFileException(Path, Error);
            }

            return this;
        }
    }
}

/// <summary>A watched file could not be read or parsed; <see cref="Exception.InnerException"/> says why (a <see cref="FormatException"/> message is written for people).</summary>
internal sealed class WatchedFileException(string path, Exception inner) : Exception(inner.Message, inner)
{
    public string Path { get; } = path;

    /// <summary>The reason for a person: a parse message as written, an I/O failure prefixed.</summary>
    public string Reason => InnerException is FormatException ? Message : "the file cannot be read: " + Message;
}
