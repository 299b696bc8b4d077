using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Dataphin.OpenApi.Internal;

namespace Dataphin.OpenApi;

/// <summary>
/// Registers lineage between one pair of tables, and optionally between up to 100 pairs of their fields
/// (operation <c>AddRegisterLineage</c>, throttling Level 2, minimum edition Agile, Dataphin v5.4.0+).
/// </summary>
/// <example>
/// <code>
/// var command = new AddRegisterLineageCommand(
///     AssetReference.ByProperty("ods_orders", schema: "ods", catalog: "dataphin", env: DataphinEnvironment.Prod),
///     AssetReference.ByGuid("odps.300001234.dw.dwd_orders"))
/// {
///     DetailedLineages =
///     {
///         new FieldLineage(AssetReference.FieldByProperty("amount", schema: "ods", catalog: "dataphin"),
///                          AssetReference.FieldByGuid("odps.300001234.dw.dwd_orders.amount")),
///     },
/// };
/// </code>
/// </example>
public sealed class AddRegisterLineageCommand : LineageCommand
{
    /// <summary>Creates an empty command; set <see cref="LineageCommand.Source"/> and <see cref="LineageCommand.Target"/>.</summary>
    public AddRegisterLineageCommand()
    {
    }

    /// <summary>Creates a command registering lineage from <paramref name="source"/> to <paramref name="target"/>.</summary>
    /// <param name="source">The upstream table.</param>
    /// <param name="target">The downstream table.</param>
    /// <exception cref="ArgumentNullException"><paramref name="source"/> or <paramref name="target"/> is null.</exception>
    public AddRegisterLineageCommand(AssetReference source, AssetReference target)
    {
        Source = Guard.NotNull(source, nameof(source));
        Target = Guard.NotNull(target, nameof(target));
    }

    /// <summary>Whether the service checks that both assets exist. Omitted when <see langword="null"/> (the service then does not check).</summary>
    [JsonPropertyName("CheckAssetExist")]
    [JsonPropertyOrder(1)]
    public bool? CheckAssetExist { get; set; }

    /// <summary>Free-form properties of the lineage relation (for example the job that produced it), sent in the order given. Omitted when empty.</summary>
    [JsonPropertyName("RelationProperties")]
    [JsonPropertyOrder(3)]
    public IDictionary<string, JsonNode?> RelationProperties { get; set; } = new Dictionary<string, JsonNode?>(StringComparer.Ordinal);

    /// <inheritdoc />
    [JsonIgnore]
    public override string OperationName => DataphinOperationNames.AddRegisterLineage;

    [JsonIgnore]
    internal override string FormFieldName => "AddRegisterLineageCommand";

    /// <summary>
    /// Splits this command into commands of at most <paramref name="maxFieldLineagesPerCommand"/> field lineages each,
    /// every one for the same table pair and with the same other settings, in the original order. A command
    /// without field lineages yields one copy of itself. This command is not changed.
    /// </summary>
    /// <param name="maxFieldLineagesPerCommand">The most field lineages per command, 1 to 100.</param>
    /// <returns>The commands, each a deep copy, to be sent one after the other.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxFieldLineagesPerCommand"/> is not between 1 and 100.</exception>
    public IReadOnlyList<AddRegisterLineageCommand> SplitByFieldLineageLimit(int maxFieldLineagesPerCommand = LineageLimits.MaxFieldLineagesPerCall)
        => Split(this, maxFieldLineagesPerCommand, () => new AddRegisterLineageCommand
        {
            CheckAssetExist = CheckAssetExist,
            RelationProperties = JsonNodes.CloneMap(RelationProperties ?? new Dictionary<string, JsonNode?>()),
            Source = Source?.Clone(),
            Target = Target?.Clone(),
            TenantId = TenantId,
            UserId = UserId,
        });
}
