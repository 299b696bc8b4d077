using Dataphin.OpenApi.Bulk;
using Dataphin.OpenApi.Serialization;
using static Dataphin.OpenApi.Tests.Bulk.ManifestTestFiles;

namespace Dataphin.OpenApi.Tests.Bulk;

public class LineageManifestWriterTests
{
    [Theory]
    [InlineData(LineageManifestFormat.Json)]
    [InlineData(LineageManifestFormat.JsonLines)]
    [InlineData(LineageManifestFormat.Csv)]
    public async Task What_the_writer_writes_the_reader_reads_back_unchanged(LineageManifestFormat format)
    {
        var originals = LineageItems.Many(5, fieldLineages: 3).Append(new LineageItem("table only", LineageItems.Pair(9))).ToList();
        var stream = new MemoryStream();
        await using (var writer = LineageManifestWriter.Create(stream, format, leaveOpen: true))
        {
            foreach (var item in originals)
            {
                await writer.WriteAsync(item.Id, item.Command!);
            }

            Assert.Equal(6, writer.Count);
        }

        stream.Position = 0;
        var read = await ReadAllAsync(stream, format);

        Assert.Equal(originals.Select(i => i.Id), read.Select(i => i.Id));
        Assert.Equal(originals.Select(i => DataphinJson.Serialize(i.Command!)), read.Select(i => DataphinJson.Serialize(i.Command!)));
    }

    [Fact]
    public async Task An_empty_json_manifest_is_still_a_valid_manifest()
    {
        var stream = new MemoryStream();
        await using (LineageManifestWriter.Create(stream, LineageManifestFormat.Json, leaveOpen: true))
        {
        }

        stream.Position = 0;
        Assert.Empty(await ReadAllAsync(stream, LineageManifestFormat.Json));
    }

    [Fact]
    public async Task Csv_refuses_commands_it_cannot_express_instead_of_dropping_settings()
    {
        var command = LineageItems.Pair(1);
        command.CheckAssetExist = true;
        await using var writer = LineageManifestWriter.Create(new MemoryStream(), LineageManifestFormat.Csv);

        var error = await Assert.ThrowsAsync<ArgumentException>(() => writer.WriteAsync("x", command));
        Assert.Contains("JSON Lines", error.Message);
    }

    [Fact]
    public async Task Failures_of_a_run_written_out_resume_exactly_the_failed_work()
    {
        var firstRun = new FakeLineageClient((c, _) => c.Target!.Name == "dwd_t2" ? throw FakeLineageClient.ServerError() : Task.CompletedTask);
        var failures = new MemoryStream();
        await using (var writer = LineageManifestWriter.Create(failures, LineageManifestFormat.JsonLines, leaveOpen: true))
        {
            var summary = await new DataphinBulkLineage(firstRun, 1).RunToSummaryAsync(LineageItems.Many(5, 150), onResult: async r => await writer.WriteRemainingAsync(r));
            Assert.Equal(1, summary.Failed);
        }

        failures.Position = 0;
        var retry = await ReadAllAsync(failures, LineageManifestFormat.JsonLines);
        var item = Assert.Single(retry);
        Assert.Equal("item-2", item.Id);
        Assert.Equal(150, item.Command!.DetailedLineages.Count);

        var secondRun = new FakeLineageClient();
        var second = await new DataphinBulkLineage(secondRun, 1).RunToSummaryAsync(retry);
        Assert.Equal(1, second.Succeeded);
        Assert.Equal(2, secondRun.Calls);
    }
}
