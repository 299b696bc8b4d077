using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using Dataphin.OpenApi.Bulk;

namespace Dataphin.OpenApi.Manifests;

/// <summary>
/// Reads a CSV manifest: a header row, then one row per field mapping. Consecutive rows of the same table pair
/// (and the same <c>id</c>, when that column exists) form one item; a row with both field columns empty stands for
/// table-level lineage only. Memory is bounded by the largest group of rows.
/// </summary>
internal static class CsvManifestReader
{
    public const string Id = "id";
    public const string SourceTable = "source_table";
    public const string SourceField = "source_field";
    public const string SourceSchema = "source_schema";
    public const string SourceCatalog = "source_catalog";
    public const string SourceEnv = "source_env";
    public const string SourceSubType = "source_subtype";
    public const string SourceGuid = "source_guid";
    public const string TargetTable = "target_table";
    public const string TargetField = "target_field";
    public const string TargetSchema = "target_schema";
    public const string TargetCatalog = "target_catalog";
    public const string TargetEnv = "target_env";
    public const string TargetSubType = "target_subtype";
    public const string TargetGuid = "target_guid";
    public const string IsDirect = "is_direct";

    public static readonly string[] KnownColumns =
    [
        Id, SourceCatalog, SourceSchema, SourceTable, SourceField, SourceEnv, SourceSubType, SourceGuid,
        TargetCatalog, TargetSchema, TargetTable, TargetField, TargetEnv, TargetSubType, TargetGuid, IsDirect,
    ];

    private static readonly string[] TableColumns =
    [
        Id, SourceCatalog, SourceSchema, SourceTable, SourceEnv, SourceSubType, SourceGuid,
        TargetCatalog, TargetSchema, TargetTable, TargetEnv, TargetSubType, TargetGuid,
    ];

    public static async IAsyncEnumerable<LineageItem> ReadAsync(Stream stream, LineageManifestOperation operation, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var checking = new Utf8CheckingStream(stream);
        using var text = new StreamReader(checking, new UTF8Encoding(false), detectEncodingFromByteOrderMarks: true, bufferSize: 16 * 1024, leaveOpen: true);
        var reader = new CsvRecordReader(text);
        Dictionary<string, int>? header = null;
        Group? group = null;
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false) is { } record)
        {
            var problem = checking.Take(record.FirstLine, record.LastLine);
            if (record.IsBlank)
            {
                continue;
            }

            if (header is null)
            {
                if (problem is not null)
                {
                    throw new LineageManifestException($"The CSV header cannot be read: {problem.Describe()} Save the manifest as UTF-8.", problem.Line);
                }

                header = ReadHeader(record);
                continue;
            }

            if (problem is not null)
            {
                // The row is not read (its text would carry U+FFFD); like any bad row it is an item of its own.
                yield return ManifestItemParser.Malformed(LineId(record.FirstLine, record.LastLine), record.FirstLine, "$", problem.ItemMessage);
                continue;
            }

            var row = ReadRow(record, header);
            if (row.Error is not null)
            {
                yield return ManifestItemParser.Malformed(LineId(record.FirstLine, record.LastLine), record.FirstLine, row.ErrorColumn ?? "$", row.Error);
                continue;
            }

            if (group is not null && group.Key == row.Key)
            {
                group.Add(row, record.LastLine);
                continue;
            }

            if (group is not null)
            {
                yield return group.ToItem();
            }

            group = new Group(row, operation, record.FirstLine, record.LastLine);
        }

        if (header is null)
        {
            throw new LineageManifestException($"The CSV manifest has no header: the first line must name the columns, at least {SourceTable},{SourceField},{TargetTable},{TargetField}.", lineNumber: null);
        }

        if (group is not null)
        {
            yield return group.ToItem();
        }
    }

    private static string LineId(int first, int last) => first == last
        ? "line " + first.ToString(CultureInfo.InvariantCulture)
        : "lines " + first.ToString(CultureInfo.InvariantCulture) + "-" + last.ToString(CultureInfo.InvariantCulture);

    private static Dictionary<string, int> ReadHeader(CsvRecord record)
    {
        var line = record.FirstLine;
        if (record.Error is not null)
        {
            throw new LineageManifestException($"The CSV header on line {line} cannot be read: {record.Error}.", line);
        }

        var header = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < record.Fields.Count; i++)
        {
            var name = record.Fields[i].Trim().ToLowerInvariant();
            if (name.Length > 0 && name[0] == '\uFEFF')
            {
                name = name.Substring(1);
            }

            if (Array.IndexOf(KnownColumns, name) < 0)
            {
                throw new LineageManifestException($"The CSV header on line {line} has an unknown column '{record.Fields[i]}'; the known columns are {string.Join(", ", KnownColumns)}.", line);
            }

            if (header.ContainsKey(name))
            {
                throw new LineageManifestException($"The CSV header on line {line} has the column '{name}' twice.", line);
            }

            header.Add(name, i);
        }

        var missing = new List<string>();
        if (!header.ContainsKey(SourceTable) && !header.ContainsKey(SourceGuid))
        {
            missing.Add($"{SourceTable} (or {SourceGuid})");
        }

        if (!header.ContainsKey(TargetTable) && !header.ContainsKey(TargetGuid))
        {
            missing.Add($"{TargetTable} (or {TargetGuid})");
        }

        if (!header.ContainsKey(SourceField))
        {
            missing.Add(SourceField);
        }

        if (!header.ContainsKey(TargetField))
        {
            missing.Add(TargetField);
        }

        if (missing.Count > 0)
        {
            throw new LineageManifestException($"The CSV header on line {line} lacks the required column(s) {string.Join(", ", missing)}; the header must be source_table,source_field,target_table,target_field plus optional columns.", line);
        }

        return header;
    }

    private static Row ReadRow(CsvRecord record, Dictionary<string, int> header)
    {
        var line = record.FirstLine;
        if (record.Error is not null)
        {
            return Row.Bad($"Line {line}: {record.Error}.", null);
        }

        if (record.Fields.Count != header.Count)
        {
            return Row.Bad($"Line {line} has {record.Fields.Count} values but the header has {header.Count} columns.", null);
        }

        string? Cell(string column) => header.TryGetValue(column, out var index) && record.Fields[index].Length > 0 ? record.Fields[index] : null;

        var problems = new List<(string Column, string Message)>();
        var source = Table("source", Cell(SourceTable), Cell(SourceGuid), Cell(SourceSchema), Cell(SourceCatalog), Cell(SourceEnv), Cell(SourceSubType), problems);
        var target = Table("target", Cell(TargetTable), Cell(TargetGuid), Cell(TargetSchema), Cell(TargetCatalog), Cell(TargetEnv), Cell(TargetSubType), problems);
        var sourceField = Cell(SourceField);
        var targetField = Cell(TargetField);
        bool? isDirect = null;
        if (Cell(IsDirect) is { } direct)
        {
            switch (direct.ToUpperInvariant())
            {
                case "TRUE": isDirect = true; break;
                case "FALSE": isDirect = false; break;
                default: problems.Add((IsDirect, $"is_direct must be true, false or empty; it was '{direct}'")); break;
            }
        }

        FieldLineage? field = null;
        if ((sourceField is null) != (targetField is null))
        {
            problems.Add((sourceField is null ? SourceField : TargetField, "source_field and target_field must both be given (a field mapping) or both be empty (table-level lineage only)"));
        }
        else if (sourceField is not null && source is not null && target is not null)
        {
            field = new FieldLineage { Source = Field(source, sourceField), Target = Field(target, targetField!), IsDirect = isDirect };
        }

        if (problems.Count > 0)
        {
            var text = new StringBuilder().Append("Line ").Append(line.ToString(CultureInfo.InvariantCulture)).Append(": ");
            for (var i = 0; i < problems.Count; i++)
            {
                text.Append(i == 0 ? string.Empty : "; ").Append(problems[i].Message);
            }

            return Row.Bad(text.Append('.').ToString(), problems[0].Column);
        }

        var key = new StringBuilder();
        foreach (var column in TableColumns)
        {
            key.Append(Cell(column)).Append('\u001f');
        }

        return new Row(key.ToString(), Cell(Id), source!, target!, field);
    }

    private static AssetReference? Table(string side, string? table, string? guid, string? schema, string? catalog, string? env, string? subType, List<(string Column, string Message)> problems)
    {
        if (guid is not null)
        {
            if (table is not null)
            {
                problems.Add(($"{side}_table", $"give {side}_table or {side}_guid, not both"));
            }

            foreach (var (name, value) in new[] { ("schema", schema), ("catalog", catalog), ("env", env), ("subtype", subType) })
            {
                if (value is not null)
                {
                    problems.Add(($"{side}_{name}", $"{side}_{name} applies to a table named by property ({side}_table), not to {side}_guid"));
                }
            }

            return new AssetReference { ReferenceType = ReferenceType.ByGuid, MetadataType = MetadataType.Table, Guid = guid };
        }

        if (table is null)
        {
            problems.Add(($"{side}_table", $"{side}_table (or {side}_guid) is required"));
            return null;
        }

        return new AssetReference
        {
            ReferenceType = ReferenceType.ByProperty,
            MetadataType = MetadataType.Table,
            Name = table,
            Schema = schema,
            Catalog = catalog,
            Env = env is null ? (DataphinEnvironment?)null : new DataphinEnvironment(env),
            MetadataSubType = subType is null ? (MetadataSubType?)null : new MetadataSubType(subType),
        };
    }

    private static AssetReference Field(AssetReference table, string field) => table.ReferenceType == ReferenceType.ByGuid
        ? new AssetReference { ReferenceType = ReferenceType.ByGuid, MetadataType = MetadataType.Column, Guid = table.Guid + "." + field, ParentGuid = table.Guid }
        : new AssetReference { ReferenceType = ReferenceType.ByProperty, MetadataType = MetadataType.Column, Name = field, Schema = table.Schema, Catalog = table.Catalog, Env = table.Env };

    private sealed class Row
    {
        public Row(string key, string? id, AssetReference source, AssetReference target, FieldLineage? field)
        {
            Key = key;
            Id = id;
            Source = source;
            Target = target;
            Field = field;
        }

        private Row(string error, string? errorColumn)
        {
            Key = string.Empty;
            Source = Target = null!;
            Error = error;
            ErrorColumn = errorColumn;
        }

        public string Key { get; }

        public string? Id { get; }

        public AssetReference Source { get; }

        public AssetReference Target { get; }

        public FieldLineage? Field { get; }

        public string? Error { get; }

        public string? ErrorColumn { get; }

        public static Row Bad(string error, string? column) => new(error, column);
    }

    private sealed class Group
    {
        private readonly LineageCommand _command;
        private readonly string? _id;
        private readonly int _firstLine;
        private int _lastLine;

        public Group(Row row, LineageManifestOperation operation, int firstLine, int lastLine)
        {
            Key = row.Key;
            _id = row.Id;
            _firstLine = firstLine;
            _lastLine = lastLine;
            _command = operation == LineageManifestOperation.Add
                ? new AddRegisterLineageCommand(row.Source, row.Target)
                : new DeleteRegisterLineageCommand(row.Source, row.Target);
            if (row.Field is not null)
            {
                _command.DetailedLineages.Add(row.Field);
            }
        }

        public string Key { get; }

        public void Add(Row row, int lastLine)
        {
            _lastLine = lastLine;
            if (row.Field is not null)
            {
                _command.DetailedLineages.Add(row.Field);
            }
        }

        public LineageItem ToItem() => new(_id ?? LineId(_firstLine, _lastLine), _command, _firstLine);
    }
}
