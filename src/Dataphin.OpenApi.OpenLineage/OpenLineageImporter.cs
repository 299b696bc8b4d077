using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using Dataphin.OpenApi.Bulk;
using Dataphin.OpenApi.Internal;

namespace Dataphin.OpenApi.OpenLineage;

/// <summary>
/// Turns OpenLineage events (as Spark, Airflow, dbt and Flink emit them) into Dataphin register commands: every
/// input of an event to every output as table-level lineage, and the outputs' <c>columnLineage</c> facets as field
/// lineage. Datasets are mapped by <see cref="OpenLineageMappingRules"/>; a dataset no rule maps is reported in
/// <see cref="OpenLineageImportResult.UnmappedDatasets"/>, never guessed.
/// </summary>
/// <example>
/// <code>
/// var importer = new OpenLineageImporter(OpenLineageMappingRules.Parse(File.ReadAllText("rules.json")));
/// await using var events = File.OpenRead("events.jsonl");
/// var imported = await importer.ImportJsonLinesAsync(events);
/// var summary = await new DataphinBulkLineage(client, tenantId).RunToSummaryAsync(imported.Items);
/// </code>
/// </example>
public sealed class OpenLineageImporter
{
    private readonly OpenLineageDatasetMapper _mapper;
    private readonly OpenLineageImportOptions _options;

    /// <summary>Creates an importer; checks the rules first.</summary>
    /// <param name="rules">The mapping rules.</param>
    /// <param name="options">Settings; defaults when <see langword="null"/>.</param>
    /// <exception cref="ArgumentNullException"><paramref name="rules"/> is null.</exception>
    /// <exception cref="ArgumentException">The rules are not usable (no rules, a rule without a namespace, a template using an unknown placeholder...); every problem is listed.</exception>
    public OpenLineageImporter(OpenLineageMappingRules rules, OpenLineageImportOptions? options = null)
    {
        _mapper = new OpenLineageDatasetMapper(Guard.NotNull(rules, nameof(rules)));
        _options = options ?? new OpenLineageImportOptions();
    }

    /// <summary>Reads one event from its JSON.</summary>
    /// <param name="json">The event JSON.</param>
    /// <returns>The event.</returns>
    /// <exception cref="JsonException">The text is not a JSON object of the event's shape.</exception>
    public static OpenLineageRunEvent ParseEvent(string json)
        => JsonSerializer.Deserialize(json, OpenLineageEventJsonContext.Default.OpenLineageRunEvent) ?? throw new JsonException("The event is null.");

    /// <summary>Imports events given as objects; positions (1-based) stand in for line numbers.</summary>
    /// <param name="events">The events.</param>
    /// <returns>The commands, the unmapped datasets and counts.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="events"/> is null.</exception>
    public OpenLineageImportResult Import(IEnumerable<OpenLineageRunEvent> events)
    {
        Guard.NotNull(events, nameof(events));
        var state = new ImportState(_mapper, _options);
        var position = 0;
        foreach (var e in events)
        {
            state.Add(e, ++position);
        }

        return state.Build();
    }

    /// <summary>Imports events from JSON Lines (one event per line; blank lines skipped). A line that is not an event is reported in <see cref="OpenLineageImportResult.UnreadableEvents"/>.</summary>
    /// <param name="events">The stream (UTF-8). Not disposed.</param>
    /// <param name="cancellationToken">Stops reading.</param>
    /// <returns>The commands, the unmapped datasets and counts.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="events"/> is null.</exception>
    public async Task<OpenLineageImportResult> ImportJsonLinesAsync(Stream events, CancellationToken cancellationToken = default)
    {
        Guard.NotNull(events, nameof(events));
        var state = new ImportState(_mapper, _options);
        await foreach (var (line, text) in ReadLinesAsync(events, cancellationToken).ConfigureAwait(false))
        {
            OpenLineageRunEvent? e;
            try
            {
                e = ParseEvent(text);
            }
            catch (JsonException error)
            {
                state.AddUnreadable(line, error.Message);
                continue;
            }

            state.Add(e, line);
        }

        return state.Build();
    }

    private static async IAsyncEnumerable<(int Line, string Text)> ReadLinesAsync(Stream stream, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using var reader = new StreamReader(stream, new UTF8Encoding(false), true, 16 * 1024, leaveOpen: true);
        var line = 0;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
#if NET8_0_OR_GREATER
            var text = await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false);
#else
            var text = await reader.ReadLineAsync().ConfigureAwait(false);
#endif
            if (text is null)
            {
                yield break;
            }

            line++;
            if (!string.IsNullOrWhiteSpace(text))
            {
                yield return (line, text);
            }
        }
    }

    private sealed class ImportState
    {
        private readonly OpenLineageDatasetMapper _mapper;
        private readonly OpenLineageImportOptions _options;
        private readonly Dictionary<string, PairBuilder> _pairs = new(StringComparer.Ordinal);
        private readonly List<PairBuilder> _order = new();
        private readonly Dictionary<string, OpenLineageUnmappedDataset> _unmapped = new(StringComparer.Ordinal);
        private readonly List<OpenLineageUnmappedDataset> _unmappedOrder = new();
        private readonly List<OpenLineageEventError> _errors = new();
        private readonly HashSet<string> _selfPairs = new(StringComparer.Ordinal);
        private int _read;
        private int _ignored;

        public ImportState(OpenLineageDatasetMapper mapper, OpenLineageImportOptions options)
        {
            _mapper = mapper;
            _options = options;
        }

        public void AddUnreadable(int line, string message) => _errors.Add(new OpenLineageEventError(line, message));

        public void Add(OpenLineageRunEvent? e, int line)
        {
            if (e is null)
            {
                AddUnreadable(line, "The event is null.");
                return;
            }

            _read++;
            if (e.EventType is { } type && _options.IgnoredEventTypes.Contains(type))
            {
                _ignored++;
                return;
            }

            var inputs = new Dictionary<string, MappedDataset?>(StringComparer.Ordinal);
            var inputOrder = new List<MappedDataset>();
            foreach (var input in e.Inputs ?? Array.Empty<OpenLineageDataset>())
            {
                var mapped = Resolve(input, line);
                inputs[Key(input?.Namespace, input?.Name)] = mapped;
                if (mapped is not null)
                {
                    inputOrder.Add(mapped);
                }
            }

            foreach (var output in e.Outputs ?? Array.Empty<OpenLineageDataset>())
            {
                var target = Resolve(output, line);
                if (target is null)
                {
                    continue;
                }

                if (_options.IncludeTableLevelLineage)
                {
                    foreach (var source in inputOrder)
                    {
                        Pair(source, target);
                    }
                }

                if (output.Facets?.ColumnLineage?.Fields is not { } fields)
                {
                    continue;
                }

                foreach (var field in fields)
                {
                    foreach (var inputField in field.Value?.InputFields ?? Array.Empty<OpenLineageInputField>())
                    {
                        if (inputField is null || string.IsNullOrEmpty(inputField.Field))
                        {
                            continue;
                        }

                        var key = Key(inputField.Namespace, inputField.Name);
                        if (!inputs.TryGetValue(key, out var source))
                        {
                            source = MapOrReport(inputField.Namespace, inputField.Name, line);
                            inputs[key] = source;
                        }

                        if (source is null)
                        {
                            continue;
                        }

                        var lineage = new FieldLineage { Source = source.Field(inputField.Field!), Target = target.Field(field.Key), IsDirect = IsDirect(inputField, field.Value!) };
                        Pair(source, target).Add(lineage, source.Field(inputField.Field!).Guid ?? inputField.Field!, field.Key);
                    }
                }
            }
        }

        public OpenLineageImportResult Build()
        {
            var items = new List<LineageItem>(_order.Count);
            var selfSkipped = 0;
            foreach (var pair in _order)
            {
                if (pair.IsSelf && pair.Command.DetailedLineages.Count == 0)
                {
                    selfSkipped++;
                    continue;
                }

                items.Add(new LineageItem($"{pair.Command.Source} -> {pair.Command.Target}", pair.Command));
            }

            return new OpenLineageImportResult(items, _unmappedOrder, _errors, _read, _ignored, selfSkipped);
        }

        private static string Key(string? ns, string? name) => ns + "\u001f" + name;

        private static bool? IsDirect(OpenLineageInputField input, OpenLineageColumnLineageField field)
        {
            if (input.Transformations is { Count: > 0 } transformations)
            {
                foreach (var t in transformations)
                {
                    if (!string.Equals(t?.Type, "INDIRECT", StringComparison.OrdinalIgnoreCase))
                    {
                        return true;
                    }
                }

                return false;
            }

            return field.TransformationType is null ? null : true;
        }

        private MappedDataset? Resolve(OpenLineageDataset? dataset, int line)
        {
            if (dataset is null)
            {
                return null;
            }

            if (_options.UseSymlinks && dataset.Facets?.Symlinks?.Identifiers is { Count: > 0 } identifiers)
            {
                foreach (var identifier in identifiers)
                {
                    if (identifier is not null && _mapper.Map(identifier.Namespace, identifier.Name, out _) is { } bySymlink)
                    {
                        return bySymlink;
                    }
                }
            }

            return MapOrReport(dataset.Namespace, dataset.Name, line);
        }

        private MappedDataset? MapOrReport(string? ns, string? name, int line)
        {
            var mapped = _mapper.Map(ns, name, out var reason);
            if (mapped is null)
            {
                var key = Key(ns, name);
                if (_unmapped.TryGetValue(key, out var known))
                {
                    known.Occurrences++;
                }
                else
                {
                    var entry = new OpenLineageUnmappedDataset(ns, name, reason, line);
                    _unmapped.Add(key, entry);
                    _unmappedOrder.Add(entry);
                }
            }

            return mapped;
        }

        private PairBuilder Pair(MappedDataset source, MappedDataset target)
        {
            var key = source.Key + "\u001e" + target.Key;
            if (!_pairs.TryGetValue(key, out var pair))
            {
                var command = new AddRegisterLineageCommand(source.Table.Clone(), target.Table.Clone()) { CheckAssetExist = _options.CheckAssetExist };
                pair = new PairBuilder(command, source.Key == target.Key);
                _pairs.Add(key, pair);
                _order.Add(pair);
            }

            return pair;
        }
    }

    private sealed class PairBuilder
    {
        private readonly Dictionary<string, FieldLineage> _fields = new(StringComparer.Ordinal);

        public PairBuilder(AddRegisterLineageCommand command, bool isSelf)
        {
            Command = command;
            IsSelf = isSelf;
        }

        public AddRegisterLineageCommand Command { get; }

        public bool IsSelf { get; }

        public void Add(FieldLineage lineage, string sourceField, string targetField)
        {
            var key = sourceField + "\u001f" + targetField;
            if (_fields.TryGetValue(key, out var known))
            {
                // The same field pair seen again (e.g. in START and COMPLETE): direct wins over indirect.
                if (lineage.IsDirect == true || (known.IsDirect is null && lineage.IsDirect is not null))
                {
                    known.IsDirect = lineage.IsDirect;
                }

                return;
            }

            _fields.Add(key, lineage);
            Command.DetailedLineages.Add(lineage);
        }
    }
}
