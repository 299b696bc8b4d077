namespace Dataphin.OpenApi.Bulk;

/// <summary>A table pair Dataphin returns that the state never registered (parsed by Dataphin, or registered by someone else): reported, never changed.</summary>
public sealed class LineageUnmanagedPair
{
    /// <summary>Creates the pair.</summary>
    /// <param name="sourceGuid">The upstream table's GUID.</param>
    /// <param name="targetGuid">The downstream table's GUID.</param>
    /// <param name="sourceName">The upstream table's name, if Dataphin gave it.</param>
    /// <param name="targetName">The downstream table's name, if Dataphin gave it.</param>
    public LineageUnmanagedPair(string sourceGuid, string targetGuid, string? sourceName = null, string? targetName = null)
    {
        SourceGuid = sourceGuid ?? throw new ArgumentNullException(nameof(sourceGuid));
        TargetGuid = targetGuid ?? throw new ArgumentNullException(nameof(targetGuid));
        SourceName = sourceName;
        TargetName = targetName;
    }

    /// <summary>The upstream table's GUID.</summary>
    public string SourceGuid { get; }

    /// <summary>The downstream table's GUID.</summary>
    public string TargetGuid { get; }

    /// <summary>The upstream table's name, if known.</summary>
    public string? SourceName { get; }

    /// <summary>The downstream table's name, if known.</summary>
    public string? TargetName { get; }

    /// <inheritdoc />
    public override string ToString() => $"{SourceGuid} -> {TargetGuid}";
}
