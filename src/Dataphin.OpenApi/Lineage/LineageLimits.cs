namespace Dataphin.OpenApi;

/// <summary>The documented limits of the lineage registration operations.</summary>
public static class LineageLimits
{
    /// <summary>
    /// The most field lineages (<c>DetailedLineages</c>) one AddRegisterLineage or DeleteRegisterLineage call
    /// may carry: 100. Use <see cref="AddRegisterLineageCommand.SplitByFieldLineageLimit"/> to split a larger set.
    /// </summary>
    public const int MaxFieldLineagesPerCall = 100;
}
