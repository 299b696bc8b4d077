using System.Text;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Dataphin.OpenApi.Internal;

namespace Dataphin.OpenApi;

/// <summary>
/// A reference to a Dataphin asset: a table (the <c>Source</c> and <c>Target</c> of a lineage command) or a
/// field of a table (inside <see cref="FieldLineage"/>). An asset is referenced either by its GUID or by its
/// properties (Catalog, Schema, Env, Name); use the factories to build the kind you mean.
/// </summary>
/// <remarks>
/// Properties are declared in the service's (alphabetical) wire order, so the JSON this SDK sends is byte for
/// byte what the official Alibaba Cloud clients send. Unset properties are omitted from the JSON.
/// </remarks>
/// <example>
/// <code>
/// var source = AssetReference.ByProperty("ods_trade_order", schema: "ods_project", catalog: "dataphin",
///     env: DataphinEnvironment.Prod, subType: MetadataSubType.PhysicalTable);
/// var target = AssetReference.ByGuid("odps.300001234.dw_project.dwd_trade_order_di");
/// </code>
/// </example>
public sealed class AssetReference
{
    /// <summary>The catalog, used with <see cref="ReferenceType.ByProperty"/>; <c>dataphin</c> for compute-source and logical tables.</summary>
    [JsonPropertyName("Catalog")]
    public string? Catalog { get; set; }

    /// <summary>The environment (<c>DEV</c> or <c>PROD</c>), used with <see cref="ReferenceType.ByProperty"/>.</summary>
    [JsonPropertyName("Env")]
    public DataphinEnvironment? Env { get; set; }

    /// <summary>Extension properties of the asset, sent as given (key order kept).</summary>
    [JsonPropertyName("ExtProperties")]
    public IDictionary<string, JsonNode?>? ExtProperties { get; set; }

    /// <summary>The asset's GUID, required with <see cref="ReferenceType.ByGuid"/>, e.g. <c>odps.300000001.project1.table1</c>.</summary>
    [JsonPropertyName("Guid")]
    public string? Guid { get; set; }

    /// <summary>The table sub-class; only for table references by property (never with a GUID reference or a field).</summary>
    [JsonPropertyName("MetadataSubType")]
    public MetadataSubType? MetadataSubType { get; set; }

    /// <summary>The kind of asset, required: <c>TABLE</c> for tables, <c>COLUMN</c> for fields.</summary>
    [JsonPropertyName("MetadataType")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public MetadataType MetadataType { get; set; }

    /// <summary>The asset's name, required with <see cref="ReferenceType.ByProperty"/>, e.g. <c>table1</c> or <c>column1</c>.</summary>
    [JsonPropertyName("Name")]
    public string? Name { get; set; }

    /// <summary>For a field reference: the GUID of the table the field belongs to. Not allowed on table references.</summary>
    [JsonPropertyName("ParentGuid")]
    public string? ParentGuid { get; set; }

    /// <summary>How the asset is identified, required: <see cref="ReferenceType.ByGuid"/> or <see cref="ReferenceType.ByProperty"/>.</summary>
    [JsonPropertyName("ReferenceType")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public ReferenceType ReferenceType { get; set; }

    /// <summary>The schema, used with <see cref="ReferenceType.ByProperty"/>: typically a project or business unit.</summary>
    [JsonPropertyName("Schema")]
    public string? Schema { get; set; }

    /// <summary>References a table (or another asset type) by its GUID.</summary>
    /// <param name="guid">The asset GUID, e.g. <c>odps.300000001.project1.table1</c>.</param>
    /// <param name="metadataType">The asset type; <see cref="MetadataType.Table"/> when omitted.</param>
    /// <exception cref="ArgumentException"><paramref name="guid"/> is null, empty or white space.</exception>
    public static AssetReference ByGuid(string guid, MetadataType? metadataType = null) => new()
    {
        ReferenceType = ReferenceType.ByGuid,
        Guid = Guard.NotNullOrWhiteSpace(guid, nameof(guid)),
        MetadataType = metadataType ?? MetadataType.Table,
    };

    /// <summary>References a table (or another asset type) by its properties.</summary>
    /// <param name="name">The asset name, e.g. <c>table1</c>.</param>
    /// <param name="schema">The project or business unit, e.g. <c>project1</c>.</param>
    /// <param name="catalog">The catalog; <c>dataphin</c> for compute-source and logical tables.</param>
    /// <param name="env">The environment.</param>
    /// <param name="subType">The table sub-class, e.g. <see cref="MetadataSubType.PhysicalTable"/>.</param>
    /// <param name="metadataType">The asset type; <see cref="MetadataType.Table"/> when omitted.</param>
    /// <exception cref="ArgumentException"><paramref name="name"/> is null, empty or white space.</exception>
    public static AssetReference ByProperty(
        string name,
        string? schema = null,
        string? catalog = null,
        DataphinEnvironment? env = null,
        MetadataSubType? subType = null,
        MetadataType? metadataType = null) => new()
        {
            ReferenceType = ReferenceType.ByProperty,
            Name = Guard.NotNullOrWhiteSpace(name, nameof(name)),
            Schema = schema,
            Catalog = catalog,
            Env = env,
            MetadataSubType = subType,
            MetadataType = metadataType ?? MetadataType.Table,
        };

    /// <summary>References a field (column) by its GUID.</summary>
    /// <param name="guid">The field GUID, e.g. <c>odps.300000001.project1.table1.column1</c>.</param>
    /// <param name="parentGuid">The GUID of the table the field belongs to, if known.</param>
    /// <exception cref="ArgumentException"><paramref name="guid"/> is null, empty or white space.</exception>
    public static AssetReference FieldByGuid(string guid, string? parentGuid = null) => new()
    {
        ReferenceType = ReferenceType.ByGuid,
        Guid = Guard.NotNullOrWhiteSpace(guid, nameof(guid)),
        ParentGuid = parentGuid,
        MetadataType = MetadataType.Column,
    };

    /// <summary>References a field (column) by its properties.</summary>
    /// <param name="name">The field name, e.g. <c>column1</c>.</param>
    /// <param name="schema">The project or business unit of its table.</param>
    /// <param name="catalog">The catalog of its table.</param>
    /// <param name="env">The environment.</param>
    /// <param name="parentGuid">The GUID of the table the field belongs to, if known.</param>
    /// <exception cref="ArgumentException"><paramref name="name"/> is null, empty or white space.</exception>
    public static AssetReference FieldByProperty(
        string name,
        string? schema = null,
        string? catalog = null,
        DataphinEnvironment? env = null,
        string? parentGuid = null) => new()
        {
            ReferenceType = ReferenceType.ByProperty,
            Name = Guard.NotNullOrWhiteSpace(name, nameof(name)),
            Schema = schema,
            Catalog = catalog,
            Env = env,
            ParentGuid = parentGuid,
            MetadataType = MetadataType.Column,
        };

    /// <summary>Returns a deep copy of this reference.</summary>
    public AssetReference Clone() => new()
    {
        Catalog = Catalog,
        Env = Env,
        ExtProperties = ExtProperties is null ? null : JsonNodes.CloneMap(ExtProperties),
        Guid = Guid,
        MetadataSubType = MetadataSubType,
        MetadataType = MetadataType,
        Name = Name,
        ParentGuid = ParentGuid,
        ReferenceType = ReferenceType,
        Schema = Schema,
    };

    /// <summary>A short readable form: the GUID, or <c>catalog.schema.name@env</c>.</summary>
    public override string ToString()
    {
        if (ReferenceType == ReferenceType.ByGuid || (Guid is not null && Name is null))
        {
            return $"{MetadataType}:{Guid}";
        }

        var text = new StringBuilder();
        text.Append(MetadataType.ToString()).Append(':');
        foreach (var part in new[] { Catalog, Schema })
        {
            if (!string.IsNullOrEmpty(part))
            {
                text.Append(part).Append('.');
            }
        }

        text.Append(Name);
        if (Env is { } env)
        {
            text.Append('@').Append(env.ToString());
        }

        return text.ToString();
    }
}
