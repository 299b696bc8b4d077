using System.Text.Json.Serialization;

namespace Dataphin.OpenApi;

/// <summary>
/// What <see cref="AddRegisterLineageCommand"/> and <see cref="DeleteRegisterLineageCommand"/> share: one pair
/// of tables (<see cref="Source"/> and <see cref="Target"/>) and up to
/// <see cref="LineageLimits.MaxFieldLineagesPerCall"/> field lineages between their fields.
/// </summary>
public abstract class LineageCommand
{
    private protected LineageCommand()
    {
    }

    /// <summary>Field-level lineage between fields of <see cref="Source"/> and <see cref="Target"/>; at most 100 per call. Omitted from the request when empty.</summary>
    [JsonPropertyName("DetailedLineages")]
    [JsonPropertyOrder(2)]
    public IList<FieldLineage> DetailedLineages { get; set; } = new List<FieldLineage>();

    /// <summary>The upstream table, required.</summary>
    [JsonPropertyName("Source")]
    [JsonPropertyOrder(4)]
    public AssetReference? Source { get; set; }

    /// <summary>The downstream table, required.</summary>
    [JsonPropertyName("Target")]
    [JsonPropertyOrder(5)]
    public AssetReference? Target { get; set; }

    /// <summary>The tenant id inside the command (optional; the call's <c>OpTenantId</c> is what routes the request).</summary>
    [JsonPropertyName("TenantId")]
    [JsonPropertyOrder(6)]
    public long? TenantId { get; set; }

    /// <summary>The id of the user on whose behalf the lineage is registered (optional).</summary>
    [JsonPropertyName("UserId")]
    [JsonPropertyOrder(7)]
    public string? UserId { get; set; }

    /// <summary>The operation this command is sent with: <c>AddRegisterLineage</c> or <c>DeleteRegisterLineage</c>.</summary>
    [JsonIgnore]
    public abstract string OperationName { get; }

    /// <summary>The name of the form field that carries this command's JSON.</summary>
    [JsonIgnore]
    internal abstract string FormFieldName { get; }

    /// <summary>A short readable form: <c>source -> target (n field lineages)</c>.</summary>
    public override string ToString() => $"{OperationName} {Source} -> {Target} ({DetailedLineages?.Count ?? 0} field lineages)";

    private protected static List<TCommand> Split<TCommand>(TCommand command, int maxFieldLineagesPerCommand, Func<TCommand> cloneWithoutFieldLineages)
        where TCommand : LineageCommand
    {
        if (maxFieldLineagesPerCommand < 1 || maxFieldLineagesPerCommand > LineageLimits.MaxFieldLineagesPerCall)
        {
            throw new ArgumentOutOfRangeException(
                nameof(maxFieldLineagesPerCommand),
                maxFieldLineagesPerCommand,
                $"Must be between 1 and {LineageLimits.MaxFieldLineagesPerCall}.");
        }

        var all = command.DetailedLineages ?? Array.Empty<FieldLineage>();
        var parts = new List<TCommand>(Math.Max(1, (all.Count + maxFieldLineagesPerCommand - 1) / maxFieldLineagesPerCommand));
        if (all.Count == 0)
        {
            parts.Add(cloneWithoutFieldLineages());
            return parts;
        }

        for (var start = 0; start < all.Count; start += maxFieldLineagesPerCommand)
        {
            var part = cloneWithoutFieldLineages();
            var end = Math.Min(all.Count, start + maxFieldLineagesPerCommand);
            var chunk = new List<FieldLineage>(end - start);
            for (var i = start; i < end; i++)
            {
                chunk.Add(all[i]?.Clone()!);
            }

            part.DetailedLineages = chunk;
            parts.Add(part);
        }

        return parts;
    }
}
