using Dataphin.OpenApi.Bulk;
namespace Dataphin.OpenApi.OpenLineage;

/// <summary>What <see cref="OpenLineageImporter"/> made of a set of events.</summary>
public sealed class OpenLineageImportResult
{
    internal OpenLineageImportResult(
        IReadOnlyList<LineageItem> items,
        IReadOnlyList<OpenLineageUnmappedDataset> unmappedDatasets,
        IReadOnlyList<OpenLineageEventError> unreadableEvents,
        int eventsRead,
        int eventsIgnored,
        int selfLineagesSkipped)
    {
        Items = items;
        UnmappedDatasets = unmappedDatasets;
        UnreadableEvents = unreadableEvents;
        EventsRead = eventsRead;
        EventsIgnored = eventsIgnored;
        SelfLineagesSkipped = selfLineagesSkipped;
    }

    /// <summary>One register command per distinct table pair (field lineages of all events merged and de-duplicated), ready for <see cref="DataphinBulkLineage"/>.</summary>
    public IReadOnlyList<LineageItem> Items { get; }

    /// <summary>Datasets no rule mapped, each once with its reason; lineage touching them was not imported.</summary>
    public IReadOnlyList<OpenLineageUnmappedDataset> UnmappedDatasets { get; }

    /// <summary>Event lines that could not be read.</summary>
    public IReadOnlyList<OpenLineageEventError> UnreadableEvents { get; }

    /// <summary>Events read (including ignored ones, not counting unreadable lines).</summary>
    public int EventsRead { get; }

    /// <summary>Events whose type is in <see cref="OpenLineageImportOptions.IgnoredEventTypes"/>.</summary>
    public int EventsIgnored { get; }

    /// <summary>Table pairs whose source and target are the same table (e.g. a MERGE reading its target) without column lineage, which are not imported.</summary>
    public int SelfLineagesSkipped { get; }

    /// <summary>The field lineages across all <see cref="Items"/>.</summary>
    public int FieldLineageCount
    {
        get
        {
            var count = 0;
            foreach (var item in Items)
            {
                count += item.Command?.DetailedLineages.Count ?? 0;
            }

            return count;
        }
    }
}
