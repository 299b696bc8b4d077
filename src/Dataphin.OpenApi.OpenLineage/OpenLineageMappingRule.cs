using System.Text.Json.Serialization;

namespace Dataphin.OpenApi.OpenLineage;

/// <summary>
/// Maps OpenLineage datasets to Dataphin table references. A rule applies to a dataset whose namespace equals
/// <see cref="Namespace"/> (or starts with <see cref="NamespacePrefix"/>) and whose name matches <see cref="Name"/>,
/// a pattern whose <c>{placeholders}</c> each capture one or more characters other than <c>.</c> and <c>/</c>.
/// The reference is then built either by GUID (<see cref="Guid"/>) or by property (<see cref="Table"/>,
/// <see cref="Schema"/>, <see cref="Catalog"/>, <see cref="Env"/>, <see cref="MetadataSubType"/>), all templates
/// that may use the captured placeholders, <c>{namespace}</c>, <c>{name}</c> and the rule set's variables.
/// </summary>
/// <example>
/// <code>
/// { "namespacePrefix": "hive://", "name": "{schema}.{table}", "catalog": "dataphin", "schema": "{schema}", "table": "{table}", "env": "PROD" }
/// { "namespace": "postgres://pg.example.com:5432", "name": "{database}.{schema}.{table}", "guid": "pg.{tenant}.{schema}.{table}" }
/// </code>
/// </example>
public sealed class OpenLineageMappingRule
{
    /// <summary>The dataset namespace this rule applies to, exactly (e.g. <c>hive://metastore.example.com:9083</c>).</summary>
    [JsonPropertyName("namespace")]
    public string? Namespace { get; set; }

    /// <summary>The start of the dataset namespaces this rule applies to (e.g. <c>hive://</c>).</summary>
    [JsonPropertyName("namespacePrefix")]
    public string? NamespacePrefix { get; set; }

    /// <summary>The pattern the dataset name must match, e.g. <c>{schema}.{table}</c>; <c>{table}</c> when not set.</summary>
    [JsonPropertyName("name")]
    public string? Name { get; set; }

    /// <summary>A template of the table GUID (e.g. <c>odps.{tenant}.{schema}.{table}</c>); when set, the reference is BY_GUID.</summary>
    [JsonPropertyName("guid")]
    public string? Guid { get; set; }

    /// <summary>With <see cref="Guid"/>: the template of a field's GUID; <c>{guid}.{field}</c> when not set.</summary>
    [JsonPropertyName("fieldGuid")]
    public string? FieldGuid { get; set; }

    /// <summary>BY_PROPERTY: the template of the table name; <c>{table}</c> when not set.</summary>
    [JsonPropertyName("table")]
    public string? Table { get; set; }

    /// <summary>BY_PROPERTY: the template of the schema (project or business unit), e.g. <c>{schema}</c>.</summary>
    [JsonPropertyName("schema")]
    public string? Schema { get; set; }

    /// <summary>BY_PROPERTY: the template of the catalog, e.g. <c>dataphin</c>.</summary>
    [JsonPropertyName("catalog")]
    public string? Catalog { get; set; }

    /// <summary>BY_PROPERTY: the environment, <c>DEV</c> or <c>PROD</c> (a template).</summary>
    [JsonPropertyName("env")]
    public string? Env { get; set; }

    /// <summary>BY_PROPERTY: the table sub-type, e.g. <c>PHYSICAL_TABLE</c>.</summary>
    [JsonPropertyName("metadataSubType")]
    public string? MetadataSubType { get; set; }
}
