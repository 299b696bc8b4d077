using System.Text.Json;
using System.Text.Json.Serialization;
using Dataphin.OpenApi.Internal;

namespace Dataphin.OpenApi.OpenLineage;

/// <summary>
/// The rules that map OpenLineage datasets to Dataphin tables, tried in order (the first rule whose namespace
/// matches decides), plus variables the templates may use (for example <c>tenant</c>). Read them from JSON with
/// <see cref="Parse"/>; unknown properties are errors, so a typo is not silently ignored.
/// </summary>
/// <example>
/// <code>
/// {
///   "variables": { "tenant": "300001234" },
///   "rules": [
///     { "namespacePrefix": "hive://", "name": "{schema}.{table}", "guid": "odps.{tenant}.{schema}.{table}" }
///   ]
/// }
/// </code>
/// </example>
public sealed class OpenLineageMappingRules
{
    /// <summary>Values the templates may use by name, e.g. <c>{tenant}</c>.</summary>
    [JsonPropertyName("variables")]
    public IDictionary<string, string> Variables { get; set; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>The rules, tried in order.</summary>
    [JsonPropertyName("rules")]
    public IList<OpenLineageMappingRule> Rules { get; set; } = new List<OpenLineageMappingRule>();

    /// <summary>Reads rules from their JSON.</summary>
    /// <param name="json">The JSON text.</param>
    /// <returns>The rules (not yet checked; <see cref="OpenLineageImporter"/> checks them).</returns>
    /// <exception cref="ArgumentException">The JSON is malformed or has an unknown property; the message names where.</exception>
    public static OpenLineageMappingRules Parse(string json)
    {
        Guard.NotNull(json, nameof(json));
        try
        {
            return JsonSerializer.Deserialize(json, OpenLineageRulesJsonContext.Default.OpenLineageMappingRules)
                ?? throw new ArgumentException("The mapping rules JSON is null.", nameof(json));
        }
        catch (JsonException error)
        {
            throw new ArgumentException($"The mapping rules are not valid: {error.Message}", nameof(json), error);
        }
    }
}
