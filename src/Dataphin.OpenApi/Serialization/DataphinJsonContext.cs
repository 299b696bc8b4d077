using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Dataphin.OpenApi.Serialization;

/// <summary>The source-generated JSON metadata of every model this package sends or reads (no reflection; trimming and Native AOT safe).</summary>
[JsonSourceGenerationOptions(
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    PropertyNameCaseInsensitive = false)]
[JsonSerializable(typeof(AddRegisterLineageCommand))]
[JsonSerializable(typeof(DeleteRegisterLineageCommand))]
[JsonSerializable(typeof(JsonElement))]
[JsonSerializable(typeof(JsonNode))]
internal sealed partial class DataphinJsonContext : JsonSerializerContext
{
}
