namespace Dataphin.OpenApi;

/// <summary>
/// Every operation of the Dataphin OpenAPI (API version 2023-06-30) with its throttling level, minimum edition,
/// read-only flag and retry safety. Generated from <c>eng/operations.json</c>; <see cref="DataphinClient"/> looks up
/// every call here, so any operation, typed or not, is paced and retried by its level.
/// </summary>
public static partial class DataphinOperationCatalog
{
    private static readonly DataphinOperationInfo[] Operations = CreateAll();

    private static readonly Dictionary<string, DataphinOperationInfo> ByName = CreateIndex(Operations);

    /// <summary>All known operations, ordered as in the reference (by section, then group).</summary>
    public static IReadOnlyList<DataphinOperationInfo> All => Operations;

    /// <summary>Looks up an operation by its exact (case-sensitive) name.</summary>
    /// <param name="name">The operation name, e.g. <c>AddRegisterLineage</c>.</param>
    /// <param name="info">The operation, when found.</param>
    /// <returns>Whether the operation is known.</returns>
    public static bool TryGet(string name, out DataphinOperationInfo info)
    {
        if (name is not null && ByName.TryGetValue(name, out var found))
        {
            info = found;
            return true;
        }

        info = null!;
        return false;
    }

    /// <summary>Returns the operation named <paramref name="name"/>.</summary>
    /// <param name="name">The operation name, e.g. <c>AddRegisterLineage</c>.</param>
    /// <returns>The operation.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="name"/> is null.</exception>
    /// <exception cref="KeyNotFoundException">No operation has that name.</exception>
    public static DataphinOperationInfo Get(string name)
    {
        if (name is null)
        {
            throw new ArgumentNullException(nameof(name));
        }

        return TryGet(name, out var info)
            ? info
            : throw new KeyNotFoundException($"'{name}' is not a Dataphin OpenAPI operation known to this package (names are case-sensitive, e.g. AddRegisterLineage).");
    }

    /// <summary>
    /// The operation named <paramref name="name"/>, or for a name not in the catalog: Level 3, not retry-safe, no
    /// edition gate (so a newer operation can still be called, at the strictest pace).
    /// </summary>
    internal static DataphinOperationInfo GetOrUnknown(string name)
        => TryGet(name, out var info)
            ? info
            : new DataphinOperationInfo(name, ThrottlingLevel.Level3, isLevelDocumented: false, minimumEdition: null, isReadOnly: false, isRetrySafe: false, deprecatedSince: null, replacedBy: null);

    private static Dictionary<string, DataphinOperationInfo> CreateIndex(DataphinOperationInfo[] operations)
    {
        var index = new Dictionary<string, DataphinOperationInfo>(operations.Length, StringComparer.Ordinal);
        foreach (var operation in operations)
        {
            index.Add(operation.Name, operation);
        }

        return index;
    }
}
