using Dataphin.OpenApi.Bulk;
namespace Dataphin.OpenApi.Tests.Bulk;

internal static class LineageItems
{
    public static AddRegisterLineageCommand Pair(int index, int fieldLineages = 0)
    {
        var command = new AddRegisterLineageCommand(
            AssetReference.ByProperty($"ods_t{index}", schema: "ods", catalog: "dataphin", env: DataphinEnvironment.Prod),
            AssetReference.ByProperty($"dwd_t{index}", schema: "dw", catalog: "dataphin", env: DataphinEnvironment.Prod));
        for (var f = 0; f < fieldLineages; f++)
        {
            command.DetailedLineages.Add(new FieldLineage(
                AssetReference.FieldByProperty($"c{f}", schema: "ods", catalog: "dataphin", env: DataphinEnvironment.Prod),
                AssetReference.FieldByProperty($"c{f}", schema: "dw", catalog: "dataphin", env: DataphinEnvironment.Prod)));
        }

        return command;
    }

    public static IEnumerable<LineageItem> Many(int count, int fieldLineages = 0)
    {
        for (var i = 0; i < count; i++)
        {
            yield return new LineageItem("item-" + i, Pair(i, fieldLineages));
        }
    }

    /// <summary>Counts how far a run has pulled the input.</summary>
    public sealed class CountingSource
    {
        private int _pulled;

        public int Pulled => Volatile.Read(ref _pulled);

        public async IAsyncEnumerable<LineageItem> Items(int count)
        {
            for (var i = 0; i < count; i++)
            {
                await Task.Yield();
                Interlocked.Increment(ref _pulled);
                yield return new LineageItem("item-" + i, Pair(i));
            }
        }
    }
}
