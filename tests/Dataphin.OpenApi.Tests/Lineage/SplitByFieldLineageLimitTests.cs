using System.Text.Json.Nodes;
using Dataphin.OpenApi.Tests.Support;

namespace Dataphin.OpenApi.Tests.Lineage;

public sealed class SplitByFieldLineageLimitTests
{
    [Fact]
    public void A_large_pair_splits_into_valid_commands_that_keep_every_field_lineage_in_order()
    {
        var command = TestClients.ValidAddCommand(250);
        command.CheckAssetExist = true;
        command.RelationProperties["jobName"] = "nightly_orders";
        command.UserId = "300004567";

        var parts = command.SplitByFieldLineageLimit();

        Assert.Equal([100, 100, 50], parts.Select(p => p.DetailedLineages.Count));
        Assert.All(parts, part => Assert.Empty(LineageCommandValidator.Validate(1, part)));
        Assert.Equal(
            command.DetailedLineages.Select(l => l.Target!.Guid),
            parts.SelectMany(p => p.DetailedLineages).Select(l => l.Target!.Guid));
        Assert.All(parts, part =>
        {
            Assert.True(part.CheckAssetExist);
            Assert.Equal("nightly_orders", part.RelationProperties["jobName"]!.GetValue<string>());
            Assert.Equal("300004567", part.UserId);
            Assert.Equal(command.Source!.Name, part.Source!.Name);
            Assert.NotSame(command.Source, part.Source);
        });
        Assert.Equal(250, command.DetailedLineages.Count);
    }

    [Fact]
    public void A_command_within_the_limit_yields_one_copy_and_custom_sizes_are_honoured()
    {
        Assert.Single(TestClients.ValidAddCommand(100).SplitByFieldLineageLimit());
        Assert.Single(TestClients.ValidAddCommand(0).SplitByFieldLineageLimit());
        Assert.Equal(4, TestClients.ValidAddCommand(10).SplitByFieldLineageLimit(3).Count);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(101)]
    public void Split_sizes_outside_1_to_100_are_rejected(int size)
        => Assert.Throws<ArgumentOutOfRangeException>(() => TestClients.ValidAddCommand(5).SplitByFieldLineageLimit(size));

    [Fact]
    public void Delete_commands_split_with_their_cascade_setting()
    {
        var delete = new DeleteRegisterLineageCommand(AssetReference.ByGuid("odps.1.p.a"), AssetReference.ByGuid("odps.1.p.b")) { CascadeDeleteLineage = false };
        foreach (var lineage in TestClients.ValidAddCommand(120).DetailedLineages)
        {
            delete.DetailedLineages.Add(lineage);
        }

        var parts = delete.SplitByFieldLineageLimit();
        Assert.Equal([100, 20], parts.Select(p => p.DetailedLineages.Count));
        Assert.All(parts, p => Assert.False(p.CascadeDeleteLineage));
    }

    [Fact]
    public void Split_copies_are_deep()
    {
        var command = TestClients.ValidAddCommand(1);
        command.Source!.ExtProperties = new Dictionary<string, JsonNode?> { ["owner"] = "etl" };
        var part = command.SplitByFieldLineageLimit().Single();
        part.Source!.ExtProperties!["owner"] = "changed";
        part.DetailedLineages[0].Source!.Name = "changed";
        Assert.Equal("etl", command.Source.ExtProperties["owner"]!.GetValue<string>());
        Assert.Equal("col_0", command.DetailedLineages[0].Source!.Name);
    }
}
