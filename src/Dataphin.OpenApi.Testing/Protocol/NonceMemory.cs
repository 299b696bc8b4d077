namespace Dataphin.OpenApi.Testing.Protocol;

/// <summary>Remembers the signature nonces of accepted requests per AccessKey for the date window; thread-safe.</summary>
internal sealed class NonceMemory(TimeSpan window)
{
    private readonly object _gate = new();
    private readonly Dictionary<(string AccessKeyId, string Nonce), DateTimeOffset> _seen = [];
    private DateTimeOffset _lastPrune = DateTimeOffset.MinValue;

    /// <summary>Records the nonce; returns false when it was already used within the window.</summary>
    public bool TryUse(string accessKeyId, string nonce, DateTimeOffset now)
    {
        lock (_gate)
        {
            if (now - _lastPrune > TimeSpan.FromMinutes(1) || _seen.Count > 100_000)
            {
                foreach (var entry in _seen.Where(e => e.Value <= now).ToList())
                {
                    _seen.Remove(entry.Key);
                }

                _lastPrune = now;
            }

            var key = (accessKeyId, nonce);
            if (_seen.TryGetValue(key, out var expiry) && expiry > now)
            {
                return false;
            }

            // A date may be up to one window ahead of the clock, so keep the nonce for two windows.
            _seen[key] = now + window + window;
            return true;
        }
    }
}
