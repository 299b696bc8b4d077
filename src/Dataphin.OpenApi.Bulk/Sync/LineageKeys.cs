using System.Globalization;
using System.Text;

namespace Dataphin.OpenApi.Bulk;

/// <summary>
/// The identities the planner compares lineage by: a reference by GUID is its type and GUID, a reference by
/// properties its type, catalog, schema, environment, name and parent GUID (all case-insensitive); a pair is its two
/// table references, a field lineage its two field references.
/// </summary>
internal static class LineageKeys
{
    public static string Reference(AssetReference? reference)
    {
        if (reference is null)
        {
            return string.Empty;
        }

        var text = new StringBuilder();
        var byGuid = reference.ReferenceType == ReferenceType.ByGuid || (reference.ReferenceType.IsDefault && reference.Guid is not null && reference.Name is null);
        text.Append(byGuid ? "guid" : "prop").Append('|').Append(Lower(reference.MetadataType.ToString()));
        if (byGuid)
        {
            text.Append('|').Append(Lower(reference.Guid));
        }
        else
        {
            foreach (var part in new[] { reference.Catalog, reference.Schema, reference.Env?.ToString(), reference.Name, reference.ParentGuid })
            {
                // Length-prefixed, so no two different references share a key whatever characters their parts hold.
                var value = Lower(part);
                text.Append('|').Append(value.Length.ToString(CultureInfo.InvariantCulture)).Append(':').Append(value);
            }
        }

        return text.ToString();
    }

    public static string Pair(LineageCommand command) => Reference(command.Source) + " => " + Reference(command.Target);

    public static string Field(FieldLineage field) => Reference(field.Source) + " => " + Reference(field.Target);

    /// <summary>The GUID a reference names directly (a reference by GUID), or <see langword="null"/>.</summary>
    public static string? DirectGuid(AssetReference? reference)
        => reference is null ? null
            : reference.ReferenceType == ReferenceType.ByGuid || (reference.ReferenceType.IsDefault && reference.Guid is not null && reference.Name is null) ? reference.Guid : null;

    public static string GuidPair(string sourceGuid, string targetGuid) => Lower(sourceGuid) + " => " + Lower(targetGuid);

    private static string Lower(string? value) => (value ?? string.Empty).ToLowerInvariant();
}
