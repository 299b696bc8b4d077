using System.Text.Json;

namespace Dataphin.OpenApi.Testing;

/// <summary>An asset reference (table or field) as a client sent it in a lineage command.</summary>
public sealed class RegisteredReference
{
    private RegisteredReference(JsonElement json)
    {
        Json = json.GetRawText();
        ReferenceType = Text(json, "ReferenceType");
        Guid = Text(json, "Guid");
        Name = Text(json, "Name");
        Schema = Text(json, "Schema");
        Catalog = Text(json, "Catalog");
        Env = Text(json, "Env");
        MetadataType = Text(json, "MetadataType");
        MetadataSubType = Text(json, "MetadataSubType");
        ParentGuid = Text(json, "ParentGuid");
        Key = IsByGuid
            ? new ReferenceKey(true, Lower(MetadataType), Lower(Guid), string.Empty, string.Empty, string.Empty, string.Empty, string.Empty)
            : new ReferenceKey(false, Lower(MetadataType), string.Empty, Lower(Catalog), Lower(Schema), Lower(Env), Lower(Name), Lower(ParentGuid));
    }

    /// <summary>The JSON of the reference exactly as the client sent it.</summary>
    public string Json { get; }

    /// <summary><c>BY_GUID</c> or <c>BY_PROPERTY</c>.</summary>
    public string? ReferenceType { get; }

    /// <summary>The GUID, if sent.</summary>
    public string? Guid { get; }

    /// <summary>The name, if sent.</summary>
    public string? Name { get; }

    /// <summary>The schema (project or business unit), if sent.</summary>
    public string? Schema { get; }

    /// <summary>The catalog, if sent.</summary>
    public string? Catalog { get; }

    /// <summary>The environment (<c>DEV</c> or <c>PROD</c>), if sent.</summary>
    public string? Env { get; }

    /// <summary>The metadata type, e.g. <c>TABLE</c> or <c>COLUMN</c>.</summary>
    public string? MetadataType { get; }

    /// <summary>The table sub-type, if sent.</summary>
    public string? MetadataSubType { get; }

    /// <summary>The GUID of a field's table, if sent.</summary>
    public string? ParentGuid { get; }

    /// <summary>
    /// The GUID the emulator knows this asset by in <c>GetTableLineages</c>: <see cref="Guid"/> for a reference by
    /// GUID, otherwise <c>Catalog.Schema.Name</c> (absent parts left out).
    /// </summary>
    public string EmulatorGuid => IsByGuid || (Guid is not null && Name is null)
        ? Guid ?? string.Empty
        : string.Join('.', new[] { Catalog, Schema, Name }.Where(p => !string.IsNullOrEmpty(p)));

    /// <summary>The identity the emulator compares references by (case-insensitive): the GUID, or type, catalog, schema, env, name and parent GUID.</summary>
    internal ReferenceKey Key { get; }

    private bool IsByGuid => string.Equals(ReferenceType, "BY_GUID", StringComparison.OrdinalIgnoreCase);

    /// <summary>A short readable form: the GUID, or <c>catalog.schema.name@env</c>.</summary>
    public override string ToString()
        => IsByGuid ? $"{Guid}" : EmulatorGuid + (Env is null ? string.Empty : "@" + Env);

    /// <summary>Reads a reference; every value is copied out, so the element's document may be disposed afterwards.</summary>
    internal static RegisteredReference From(JsonElement json) => new(json);

    private static string? Text(JsonElement json, string name)
        => json.TryGetProperty(name, out var value) ? value.ValueKind switch
        {
            JsonValueKind.String => value.GetString(),
            JsonValueKind.Null or JsonValueKind.Undefined => null,
            _ => value.GetRawText(),
        } : null;

    private static string Lower(string? value) => (value ?? string.Empty).ToLowerInvariant();
}

/// <summary>
/// The identity of a reference, part by part (lower case; an absent part is empty), so that no two different
/// references share a key whatever characters their parts hold.
/// </summary>
internal readonly record struct ReferenceKey(bool ByGuid, string MetadataType, string Guid, string Catalog, string Schema, string Env, string Name, string ParentGuid);
