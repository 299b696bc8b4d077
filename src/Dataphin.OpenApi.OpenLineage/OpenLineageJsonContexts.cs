using System.Text.Json.Serialization;

namespace Dataphin.OpenApi.OpenLineage;

/// <summary>Source-generated metadata of OpenLineage events; unknown properties (other facets) are ignored, as the spec intends.</summary>
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(OpenLineageRunEvent))]
internal sealed partial class OpenLineageEventJsonContext : JsonSerializerContext
{
}

/// <summary>Source-generated metadata of the mapping rules; unknown properties are errors.</summary>
[JsonSourceGenerationOptions(
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    ReadCommentHandling = System.Text.Json.JsonCommentHandling.Skip,
    AllowTrailingCommas = true)]
[JsonSerializable(typeof(OpenLineageMappingRules))]
internal sealed partial class OpenLineageRulesJsonContext : JsonSerializerContext
{
}
