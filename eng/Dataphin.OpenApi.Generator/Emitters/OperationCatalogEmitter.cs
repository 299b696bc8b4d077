using System.Globalization;
using Dataphin.OpenApi.Generator.Model;

namespace Dataphin.OpenApi.Generator.Emitters;

/// <summary>
/// Writes <c>src/Dataphin.OpenApi/Operations/DataphinOperationCatalog.g.cs</c>: one <c>DataphinOperationInfo</c> per
/// operation, in the order of <c>operations.json</c>, with its throttling level, minimum edition, read-only flag,
/// retry safety and deprecation.
/// </summary>
/// <remarks>
/// An operation the throttling table does not list (level <c>null</c>) is treated as Level 3, the strictest, and
/// marked as not documented.
/// <para>Retry safety, decided here once for every operation:</para>
/// <list type="bullet">
/// <item>Read-only operations (<c>readOnlyGuess</c> in the reference: Get*, List*, Query*, Check*, ...) are retry-safe:
/// sending them twice changes nothing.</item>
/// <item>Writes are not: after a 5xx, a timeout or a broken connection the service may already have applied them, and
/// a second create would make a duplicate.</item>
/// <item>Except writes that are idempotent by nature (<see cref="IdempotentWrites"/>). <c>AddRegisterLineage</c>
/// merges: registering the same table and field lineage twice leaves one copy, so resending after an unknown outcome
/// ends in the same state. <c>DeleteRegisterLineage</c> removes lineage: deleting what is already gone is harmless and
/// leaves the same state.</item>
/// </list>
/// Throttling answers are retried for every operation whatever this says, because a throttled request was not executed.
/// </remarks>
internal sealed class OperationCatalogEmitter : IEmitter
{
    public const string RelativePath = "src/Dataphin.OpenApi/Operations/DataphinOperationCatalog.g.cs";

    /// <summary>Writes that are idempotent by nature, and so retry-safe (see the remarks).</summary>
    public static readonly IReadOnlyCollection<string> IdempotentWrites = new SortedSet<string>(StringComparer.Ordinal)
    {
        "AddRegisterLineage",
        "DeleteRegisterLineage",
    };

    public string Kind => "operation catalog";

    public IEnumerable<GeneratedFile> Emit(GeneratorInputs inputs)
    {
        foreach (var name in IdempotentWrites)
        {
            var operation = inputs.Api.Find(name)
                ?? throw new GeneratorInputException($"The retry-safety list of the operation catalog names '{name}', which operations.json does not have.");
            if (operation.IsReadOnly)
            {
                throw new GeneratorInputException($"The retry-safety list of the operation catalog names '{name}', which operations.json marks read-only (and so retry-safe already).");
            }
        }

        var code = new CodeWriter("eng/operations.json");
        code.Line("namespace Dataphin.OpenApi;")
            .Line()
            .Line("public static partial class DataphinOperationCatalog")
            .Block(() => code
                .Line("private static DataphinOperationInfo[] CreateAll() =>")
                .Line("[")
                .Indented(() =>
                {
                    foreach (var operation in inputs.Api.Operations)
                    {
                        code.Line(Entry(operation));
                    }
                })
                .Line("];"));
        yield return new GeneratedFile(RelativePath, code.ToString());
    }

    private static string Entry(OperationModel operation)
    {
        var level = (operation.Level ?? 3).ToString(CultureInfo.InvariantCulture);
        var edition = operation.MinimumEdition is { } minimum ? "DataphinEdition." + minimum : "null";
        var isRetrySafe = operation.IsReadOnly || IdempotentWrites.Contains(operation.Name);
        return $"new({CodeWriter.Literal(operation.Name)}, ThrottlingLevel.Level{level}, "
            + $"isLevelDocumented: {CodeWriter.Bool(operation.Level.HasValue)}, "
            + $"minimumEdition: {edition}, "
            + $"isReadOnly: {CodeWriter.Bool(operation.IsReadOnly)}, "
            + $"isRetrySafe: {CodeWriter.Bool(isRetrySafe)}, "
            + $"deprecatedSince: {CodeWriter.NullableLiteral(operation.DeprecatedSinceDataphinVersion)}, "
            + $"replacedBy: {CodeWriter.NullableLiteral(operation.ReplacedBy)}),";
    }
}
