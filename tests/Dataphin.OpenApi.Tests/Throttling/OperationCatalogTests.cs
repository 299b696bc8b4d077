namespace Dataphin.OpenApi.Tests.Throttling;

public class OperationCatalogTests
{
    [Fact]
    public void Checked_in_catalog_is_what_the_generator_makes_from_eng_operations_json()
    {
        var root = RepositoryPaths.Root;
        var generated = OperationCatalogGenerator.Generate(File.ReadAllText(Path.Combine(root, OperationCatalogGenerator.SourceRelativePath)));
        var target = Path.Combine(root, OperationCatalogGenerator.GeneratedRelativePath);
        if (Environment.GetEnvironmentVariable("UPDATE_CATALOG") == "1")
        {
            File.WriteAllText(target, generated);
        }

        Assert.True(
            generated == File.ReadAllText(target).Replace("\r\n", "\n"),
            $"{OperationCatalogGenerator.GeneratedRelativePath} is out of date; run UPDATE_CATALOG=1 dotnet test --filter OperationCatalogTests and commit the result.");
    }

    [Fact]
    public void Eng_operations_json_is_a_copy_of_the_shared_reference()
    {
        var shared = RepositoryPaths.SharedReference;
        if (shared is null)
        {
            // The shared reference lives beside the clone in CI and on developer machines; a lone clone has only eng/.
            // On CI (.ci/run sets CI) it must be there, or the catalog would go unchecked against the reference.
            Assert.True(string.IsNullOrEmpty(Environment.GetEnvironmentVariable("CI")), "CI must have shared/reference/operations.json beside the repository.");
            return;
        }

        Assert.True(
            File.ReadAllBytes(Path.Combine(shared, "operations.json")).AsSpan().SequenceEqual(File.ReadAllBytes(Path.Combine(RepositoryPaths.Root, OperationCatalogGenerator.SourceRelativePath))),
            "eng/operations.json differs from shared/reference/operations.json; copy it over and regenerate the catalog.");
    }

    [Fact]
    public void Catalog_holds_every_operation_with_the_reference_levels_and_editions()
    {
        Assert.Equal(338, DataphinOperationCatalog.All.Count);
        Assert.Equal(55, DataphinOperationCatalog.All.Count(o => o.IsLevelDocumented && o.Level == ThrottlingLevel.Level1));
        Assert.Equal(75, DataphinOperationCatalog.All.Count(o => o.IsLevelDocumented && o.Level == ThrottlingLevel.Level2));
        Assert.Equal(81, DataphinOperationCatalog.All.Count(o => o.IsLevelDocumented && o.Level == ThrottlingLevel.Level3));
        Assert.Equal(127, DataphinOperationCatalog.All.Count(o => !o.IsLevelDocumented));
        Assert.All(DataphinOperationCatalog.All.Where(o => !o.IsLevelDocumented), o => Assert.Equal(ThrottlingLevel.Level3, o.Level));
        Assert.Equal(58, DataphinOperationCatalog.All.Count(o => o.MinimumEdition == DataphinEdition.Basic));
        Assert.Equal(135, DataphinOperationCatalog.All.Count(o => o.MinimumEdition == DataphinEdition.Agile));
        Assert.Equal(18, DataphinOperationCatalog.All.Count(o => o.MinimumEdition == DataphinEdition.Intelligent));
    }

    [Fact]
    public void Lineage_writes_are_level_2_and_retry_safe_while_other_writes_are_not()
    {
        var add = DataphinOperationCatalog.Get("AddRegisterLineage");
        var delete = DataphinOperationCatalog.Get("DeleteRegisterLineage");
        Assert.Equal((ThrottlingLevel.Level2, false, true), (add.Level, add.IsReadOnly, add.IsRetrySafe));
        Assert.Equal((ThrottlingLevel.Level2, false, true), (delete.Level, delete.IsReadOnly, delete.IsRetrySafe));
        Assert.False(DataphinOperationCatalog.Get("CreateDirectory").IsRetrySafe);
        Assert.True(DataphinOperationCatalog.Get("ListFiles").IsRetrySafe);
        Assert.Equal(ThrottlingLevel.Level3, DataphinOperationCatalog.Get("GetBizUnitInfo").Level);
        Assert.All(DataphinOperationCatalog.All.Where(o => o.IsReadOnly), o => Assert.True(o.IsRetrySafe));
        Assert.Equal(2, DataphinOperationCatalog.All.Count(o => !o.IsReadOnly && o.IsRetrySafe));
    }

    [Fact]
    public void Deprecated_operation_names_its_replacement()
    {
        var info = DataphinOperationCatalog.Get("CreatePipelineNode");
        Assert.True(info.IsDeprecated);
        Assert.Equal("v5.3.1", info.DeprecatedSince);
        Assert.Equal("CreatePipeline", info.ReplacedBy);
        Assert.False(DataphinOperationCatalog.Get("CreatePipeline").IsDeprecated);
    }

    [Fact]
    public void Unknown_names_are_not_found_and_Get_says_so()
    {
        Assert.False(DataphinOperationCatalog.TryGet("addregisterlineage", out _));
        var error = Assert.Throws<KeyNotFoundException>(() => DataphinOperationCatalog.Get("NoSuchOperation"));
        Assert.Contains("NoSuchOperation", error.Message);
    }
}
