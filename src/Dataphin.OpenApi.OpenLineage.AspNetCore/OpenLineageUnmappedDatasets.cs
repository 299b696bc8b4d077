namespace Dataphin.OpenApi.OpenLineage.AspNetCore;

/// <summary>The datasets no rule mapped, each once with its reason and how often it was seen (at most a configured number listed; all counted).</summary>
internal sealed class OpenLineageUnmappedDatasets
{
    private readonly object _gate = new();
    private readonly Dictionary<string, OpenLineageUnmappedEntry> _entries = new(StringComparer.Ordinal);
    private readonly int _max;
    private long _distinct;

    public OpenLineageUnmappedDatasets(int max) => _max = max;

    /// <summary>Distinct datasets seen (also those beyond the list).</summary>
    public long Distinct
    {
        get
        {
            lock (_gate)
            {
                return _distinct;
            }
        }
    }

    /// <summary>Records a dataset; <see langword="true"/> the first time it is seen.</summary>
    public bool Add(OpenLineageUnmappedDataset dataset, DateTimeOffset now)
    {
        var key = dataset.Namespace + "\u001f" + dataset.Name;
        lock (_gate)
        {
            if (_entries.TryGetValue(key, out var entry))
            {
                entry.Occurrences += dataset.Occurrences;
                entry.LastSeen = now;
                return false;
            }

            _distinct++;
            if (_entries.Count < _max)
            {
                _entries.Add(key, new OpenLineageUnmappedEntry
                {
                    Namespace = dataset.Namespace,
                    Name = dataset.Name,
                    Reason = dataset.Reason,
                    Occurrences = dataset.Occurrences,
                    FirstSeen = now,
                    LastSeen = now,
                });
                return true;
            }

            // Beyond the list: counted in Distinct, logged once more would flood the log; say it only at the limit.
            return _distinct == _max + 1;
        }
    }

    public OpenLineageUnmappedListResponse Snapshot()
    {
        lock (_gate)
        {
            return new OpenLineageUnmappedListResponse
            {
                Total = _distinct,
                Datasets = _entries.Values
                    .OrderByDescending(e => e.Occurrences)
                    .ThenBy(e => e.Namespace, StringComparer.Ordinal)
                    .ThenBy(e => e.Name, StringComparer.Ordinal)
                    .Select(e => new OpenLineageUnmappedEntry { Namespace = e.Namespace, Name = e.Name, Reason = e.Reason, Occurrences = e.Occurrences, FirstSeen = e.FirstSeen, LastSeen = e.LastSeen })
                    .ToList(),
            };
        }
    }
}
