using System.Text;

namespace Dataphin.OpenApi.Manifests;

/// <summary>Writes commands as CSV manifest rows, when the CSV form can express them exactly.</summary>
internal static class CsvManifestWriter
{
    private static readonly string[] Columns =
    [
        CsvManifestReader.Id,
        CsvManifestReader.SourceCatalog, CsvManifestReader.SourceSchema, CsvManifestReader.SourceTable, CsvManifestReader.SourceField,
        CsvManifestReader.SourceEnv, CsvManifestReader.SourceSubType, CsvManifestReader.SourceGuid,
        CsvManifestReader.TargetCatalog, CsvManifestReader.TargetSchema, CsvManifestReader.TargetTable, CsvManifestReader.TargetField,
        CsvManifestReader.TargetEnv, CsvManifestReader.TargetSubType, CsvManifestReader.TargetGuid,
        CsvManifestReader.IsDirect,
    ];

    public static string Header { get; } = string.Join(",", Columns) + "\n";

    public static byte[] Rows(string id, LineageCommand command)
    {
        var problems = new List<string>();
        if (command.TenantId is not null || command.UserId is not null
            || (command is AddRegisterLineageCommand add && (add.CheckAssetExist is not null || add.RelationProperties.Count > 0))
            || (command is DeleteRegisterLineageCommand delete && delete.CascadeDeleteLineage is not null))
        {
            problems.Add("it has command settings (TenantId, UserId, CheckAssetExist, RelationProperties or CascadeDeleteLineage)");
        }

        var source = TableCells(command.Source, "Source", problems);
        var target = TableCells(command.Target, "Target", problems);
        var text = new StringBuilder();
        if (command.DetailedLineages.Count == 0)
        {
            AppendRow(text, id, source, string.Empty, target, string.Empty, null);
        }

        for (var i = 0; i < command.DetailedLineages.Count; i++)
        {
            var lineage = command.DetailedLineages[i];
            var sourceField = FieldName(lineage?.Source, command.Source, $"DetailedLineages[{i}].Source", problems);
            var targetField = FieldName(lineage?.Target, command.Target, $"DetailedLineages[{i}].Target", problems);
            AppendRow(text, id, source, sourceField, target, targetField, lineage?.IsDirect);
        }

        if (problems.Count > 0)
        {
            throw new ArgumentException($"Item '{id}' cannot be written as CSV: {string.Join("; ", problems)}. Write it as JSON Lines (.jsonl) instead.", nameof(command));
        }

        return Encoding.UTF8.GetBytes(text.ToString());
    }

    private static string[] TableCells(AssetReference? table, string path, List<string> problems)
    {
        if (table is null || table.MetadataType != MetadataType.Table || table.ExtProperties is { Count: > 0 } || table.ParentGuid is not null)
        {
            problems.Add($"{path} is not a plain table reference");
            return new string[6];
        }

        return table.ReferenceType == ReferenceType.ByGuid
            ? [string.Empty, string.Empty, string.Empty, string.Empty, string.Empty, table.Guid ?? string.Empty]
            : [table.Catalog ?? string.Empty, table.Schema ?? string.Empty, table.Name ?? string.Empty, table.Env?.ToString() ?? string.Empty, table.MetadataSubType?.ToString() ?? string.Empty, string.Empty];
    }

    private static string FieldName(AssetReference? field, AssetReference? table, string path, List<string> problems)
    {
        if (field is null || table is null || field.MetadataType != MetadataType.Column || field.ExtProperties is { Count: > 0 } || field.MetadataSubType is not null)
        {
            problems.Add($"{path} is not a plain field reference");
            return string.Empty;
        }

        if (table.ReferenceType == ReferenceType.ByGuid)
        {
            var prefix = table.Guid + ".";
            if (field.ReferenceType == ReferenceType.ByGuid && field.Guid is { } guid && guid.StartsWith(prefix, StringComparison.Ordinal) && field.ParentGuid == table.Guid && field.Name is null)
            {
                return guid.Substring(prefix.Length);
            }
        }
        else if (field.ReferenceType == ReferenceType.ByProperty && field.Guid is null && field.ParentGuid is null
            && field.Schema == table.Schema && field.Catalog == table.Catalog && field.Env == table.Env && field.Name is not null)
        {
            return field.Name;
        }

        problems.Add($"{path} does not follow its table reference the way CSV rows do");
        return string.Empty;
    }

    private static void AppendRow(StringBuilder text, string id, string[] source, string sourceField, string[] target, string targetField, bool? isDirect)
    {
        string[] cells =
        [
            id,
            source[0], source[1], source[2], sourceField, source[3], source[4], source[5],
            target[0], target[1], target[2], targetField, target[3], target[4], target[5],
            isDirect is null ? string.Empty : isDirect.Value ? "true" : "false",
        ];
        for (var i = 0; i < cells.Length; i++)
        {
            if (i > 0)
            {
                text.Append(',');
            }

            var cell = cells[i];
            if (cell.IndexOfAny(['"', ',', '\n', '\r']) >= 0)
            {
                text.Append('"').Append(cell.Replace("\"", "\"\"")).Append('"');
            }
            else
            {
                text.Append(cell);
            }
        }

        text.Append('\n');
    }
}
