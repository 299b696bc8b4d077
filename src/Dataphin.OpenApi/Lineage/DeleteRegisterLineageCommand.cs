using System.Text.Json.Serialization;
using Dataphin.OpenApi.Internal;

namespace Dataphin.OpenApi;

/// <summary>
/// Deletes lineage registered through the OpenAPI between one pair of tables, or some of their field lineages
/// (operation <c>DeleteRegisterLineage</c>, throttling Level 2, minimum edition Agile). Only lineage registered
/// through the OpenAPI can be deleted, and deletion cannot be undone.
/// </summary>
public sealed class DeleteRegisterLineageCommand : LineageCommand
{
    /// <summary>Creates an empty command; set <see cref="LineageCommand.Source"/> and <see cref="LineageCommand.Target"/>.</summary>
    public DeleteRegisterLineageCommand()
    {
    }

    /// <summary>Creates a command deleting lineage from <paramref name="source"/> to <paramref name="target"/>.</summary>
    /// <param name="source">The upstream table.</param>
    /// <param name="target">The downstream table.</param>
    /// <exception cref="ArgumentNullException"><paramref name="source"/> or <paramref name="target"/> is null.</exception>
    public DeleteRegisterLineageCommand(AssetReference source, AssetReference target)
    {
        Source = Guard.NotNull(source, nameof(source));
        Target = Guard.NotNull(target, nameof(target));
    }

    /// <summary>
    /// Whether the table-level lineage is deleted once all its field lineages are gone. Omitted when
    /// <see langword="null"/>; the service's default is <see langword="true"/>.
    /// </summary>
    [JsonPropertyName("CascadeDeleteLineage")]
    [JsonPropertyOrder(1)]
    public bool? CascadeDeleteLineage { get; set; }

    /// <inheritdoc />
    [JsonIgnore]
    public override string OperationName => DataphinOperationNames.DeleteRegisterLineage;

    [JsonIgnore]
    internal override string FormFieldName => "DeleteRegisterLineageCommand";

    /// <summary>
    /// Splits this command into commands of at most <paramref name="maxFieldLineagesPerCommand"/> field lineages each,
    /// for the same table pair and settings, in the original order. This command is not changed.
    /// </summary>
    /// <param name="maxFieldLineagesPerCommand">The most field lineages per command, 1 to 100.</param>
    /// <returns>The commands, each a deep copy, to be sent one after the other.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxFieldLineagesPerCommand"/> is not between 1 and 100.</exception>
    public IReadOnlyList<DeleteRegisterLineageCommand> SplitByFieldLineageLimit(int maxFieldLineagesPerCommand = LineageLimits.MaxFieldLineagesPerCall)
        => Split(this, maxFieldLineagesPerCommand, () => new DeleteRegisterLineageCommand
        {
            CascadeDeleteLineage = CascadeDeleteLineage,
            Source = Source?.Clone(),
            Target = Target?.Clone(),
            TenantId = TenantId,
            UserId = UserId,
        });
}
