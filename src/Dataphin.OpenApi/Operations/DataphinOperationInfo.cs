namespace Dataphin.OpenApi;

/// <summary>
/// What the SDK knows about one Dataphin OpenAPI operation: its throttling level, minimum edition, whether it only
/// reads, and whether the client may resend it after a failure whose effect is unknown. See <see cref="DataphinOperationCatalog"/>.
/// </summary>
public sealed class DataphinOperationInfo
{
    internal DataphinOperationInfo(
        string name,
        ThrottlingLevel level,
        bool isLevelDocumented,
        DataphinEdition? minimumEdition,
        bool isReadOnly,
        bool isRetrySafe,
        string? deprecatedSince,
        string? replacedBy)
    {
        Name = name;
        Level = level;
        IsLevelDocumented = isLevelDocumented;
        MinimumEdition = minimumEdition;
        IsReadOnly = isReadOnly;
        IsRetrySafe = isRetrySafe;
        DeprecatedSince = deprecatedSince;
        ReplacedBy = replacedBy;
    }

    /// <summary>The operation name (the <c>Action</c>), e.g. <c>AddRegisterLineage</c>.</summary>
    public string Name { get; }

    /// <summary>
    /// The throttling level the client paces this operation by. Operations missing from Dataphin's throttling table
    /// (<see cref="IsLevelDocumented"/> is <see langword="false"/>) are treated as <see cref="ThrottlingLevel.Level3"/>, the strictest.
    /// </summary>
    public ThrottlingLevel Level { get; }

    /// <summary>Whether Dataphin's throttling table documents the level; <see langword="false"/> when <see cref="Level"/> is the Level 3 default.</summary>
    public bool IsLevelDocumented { get; }

    /// <summary>The lowest edition that offers the operation, or <see langword="null"/> when the throttling table does not say (no gating).</summary>
    public DataphinEdition? MinimumEdition { get; }

    /// <summary>Whether the operation only reads (judged from its name and documentation, e.g. <c>Get*</c>, <c>List*</c>, <c>Check*</c>).</summary>
    public bool IsReadOnly { get; }

    /// <summary>
    /// Whether the client may resend the operation after a server error, a timeout or a broken connection, when it
    /// cannot know whether the service applied it: reads, and writes that are idempotent by nature. Throttling
    /// answers are retried for every operation, because a throttled request was not executed.
    /// </summary>
    public bool IsRetrySafe { get; }

    /// <summary>Whether the operation is deprecated.</summary>
    public bool IsDeprecated => DeprecatedSince is not null;

    /// <summary>The Dataphin version since which the operation is deprecated, e.g. <c>v5.3.1</c>; otherwise <see langword="null"/>.</summary>
    public string? DeprecatedSince { get; }

    /// <summary>The operation that replaces a deprecated one, e.g. <c>CreatePipeline</c>; otherwise <see langword="null"/>.</summary>
    public string? ReplacedBy { get; }

    /// <summary>Returns the name and level, e.g. <c>AddRegisterLineage (Level2)</c>.</summary>
    /// <returns>A short description.</returns>
    public override string ToString() => $"{Name} ({Level})";
}
