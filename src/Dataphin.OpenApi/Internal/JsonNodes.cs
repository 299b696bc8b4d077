using System.Text.Json.Nodes;

namespace Dataphin.OpenApi.Internal;

internal static class JsonNodes
{
    public static Dictionary<string, JsonNode?> CloneMap(IDictionary<string, JsonNode?> map)
    {
        var copy = new Dictionary<string, JsonNode?>(map.Count, StringComparer.Ordinal);
        foreach (var pair in map)
        {
            copy.Add(pair.Key, pair.Value?.DeepClone());
        }

        return copy;
    }
}
