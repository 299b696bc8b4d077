namespace Dataphin.OpenApi.Testing.Protocol;

/// <summary>
/// Remembers the signature nonces of accepted requests per AccessKey for the date window; thread-safe. Each nonce is
/// queued in the order remembered and forgotten once its time is past, so each call does O(1) amortized work
/// however many nonces are remembered.
/// </summary>
internal sealed class NonceMemory(TimeSpan window)
{
    private readonly object _gate = new();
    private readonly Dictionary<(string AccessKeyId, string Nonce), DateTimeOffset> _seen = [];
    private readonly Queue<((string AccessKeyId, string Nonce) Key, DateTimeOffset Expiry)> _byExpiry = new();
    private long _examined;

    /// <summary>How many nonces are remembered (including any not yet forgotten after a clock moved backwards).</summary>
    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _seen.Count;
            }
        }
    }

    /// <summary>How many remembered entries the forgetting has looked at so far: at most one per call plus one per entry queued.</summary>
    public long EntriesExamined
    {
        get
        {
            lock (_gate)
            {
                return _examined;
            }
        }
    }

    /// <summary>Whether the nonce was already used within the window; records nothing.</summary>
    public bool IsUsed(string accessKeyId, string nonce, DateTimeOffset now)
    {
        lock (_gate)
        {
            Forget(now);
            return _seen.TryGetValue((accessKeyId, nonce), out var expiry) && expiry > now;
        }
    }

    /// <summary>Records the nonce; returns false when it was already used within the window.</summary>
    public bool TryUse(string accessKeyId, string nonce, DateTimeOffset now)
    {
        lock (_gate)
        {
            Forget(now);
            var key = (accessKeyId, nonce);
            if (_seen.TryGetValue(key, out var expiry) && expiry > now)
            {
                return false;
            }

            // A date may be up to one window ahead of the clock, so keep the nonce for two windows.
            var until = now + window + window;
            _seen[key] = until;
            _byExpiry.Enqueue((key, until));
            return true;
        }
    }

    /// <summary>
    /// Forgets the nonces whose time is past, from the front of the queue. Expiry times only grow while the clock
    /// does; if it moves backwards, a later entry may wait behind an earlier one a little longer, which costs memory
    /// but never correctness (lookups compare the expiry).
    /// </summary>
    private void Forget(DateTimeOffset now)
    {
        while (_byExpiry.TryPeek(out var head))
        {
            _examined++;
            if (head.Expiry > now)
            {
                return;
            }

            _byExpiry.Dequeue();
            if (_seen.TryGetValue(head.Key, out var expiry) && expiry == head.Expiry)
            {
                _seen.Remove(head.Key);
            }
        }
    }
}
