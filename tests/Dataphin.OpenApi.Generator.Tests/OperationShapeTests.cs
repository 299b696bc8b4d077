using System.Text.Json.Nodes;
using Dataphin.OpenApi.Generator.CSharp;
using Dataphin.OpenApi.Generator.Model;

namespace Dataphin.OpenApi.Generator.Tests;

/// <summary>
/// The C# shape the emitters share: where each operation's method lives, the names of classes and properties (with a
/// stable rename where C# cannot use a name), the C# type of each catalog type, and how each parameter travels.
/// </summary>
public class OperationShapeTests
{
    private static readonly ApiShape Real = ApiShape.Create(ApiModelReader.Read(RealText(), "eng/operations.json"));

    [Fact]
    public void Sections_with_several_groups_get_a_client_per_group_and_single_group_sections_carry_the_methods()
    {
        Assert.Equal("DataDevelopment.BatchTask", Path("GetBatchTaskInfo"));
        Assert.Equal("DataAsset", Path("ListCatalogAssets"));
        Assert.Equal("DataPermissions", Path("CheckResourcePermission"));
        Assert.Equal("OperationCenter.Tasks", Path("ListNodes"));
        Assert.Equal("OperationCenter.Instances", Path("GetPhysicalInstance"));
        Assert.Equal("DataService.Monitoring", Path("ListDataServiceApiCalls"));
        Assert.Equal("PlatformManagement.RowLevelPermission", Path("ListRowPermission"));
        Assert.Equal("DataService.ApiManagement", Path("CreateDataServiceApi"));
        Assert.Equal("DataDevelopment.Udfs", Path("CreateUdf"));
        Assert.Equal(338, Real.Layout.Leaves.Sum(l => l.Operations.Count));
        Assert.Equal(338, Real.Operations.Select(o => o.Name).Distinct().Count());
    }

    [Fact]
    public void Operations_the_seed_does_not_place_are_placed_by_family()
    {
        Assert.Equal("KnowledgeGraph", Path("ExecKgCypher"));
        Assert.Equal("DataQuality", Path("UpsertQualityRule"));
        Assert.Equal("DataStandard", Path("GetBelongAssetMapping"));
        Assert.Equal("DataSecurity", Path("ListSecurityClassify"));
        Assert.Equal("Datasets", Path("ListDatasets"));
        Assert.Equal("DataAsset", Path("GetTableLineages"));
        Assert.Equal("PlatformManagement.Project", Path("CreateBasicProject"));
        Assert.Equal("DataDevelopment.AdHocQuery", Path("ExecuteDDL"));
        var placed = Real.Operations.Where(o => o.Placement.Family is not null).ToList();
        Assert.Equal(127, placed.Count);
        Assert.All(placed, o => Assert.Null(o.Operation.Section));
        Assert.DoesNotContain(Real.Operations, o => o.Operation.Section is not null && o.Placement.Family is not null);
    }

    [Theory]
    [InlineData("tableGuid", "TableGuid")]
    [InlineData("DDLCommand", "DDLCommand")]
    [InlineData("9lives", "N9lives")]
    [InlineData("table-guid.v2", "TableGuidV2")]
    [InlineData("--", "Field")]
    public void Wire_names_become_PascalCase_member_names(string wire, string member) => Assert.Equal(member, CSharpNames.Member(wire));

    [Theory]
    [InlineData("Batch task", "BatchTask")]
    [InlineData("API management", "ApiManagement")]
    [InlineData("UDFs", "Udfs")]
    [InlineData("Row-level permission", "RowLevelPermission")]
    [InlineData("permission management", "PermissionManagement")]
    public void Titles_become_PascalCase_with_acronyms_as_words(string title, string name) => Assert.Equal(name, CSharpNames.Title(title));

    [Fact]
    public void Nested_classes_are_named_for_their_field_and_unique_within_the_operation()
    {
        var list = Real.Operations.Single(o => o.Name == "ListCatalogAssets");
        Assert.Equal(
            ["ListCatalogAssetsRequest.ListCatalogAssetsQueryObject", "ListCatalogAssetsResponse.DataObject", "ListCatalogAssetsResponse.DataObject.AssetListItem"],
            list.Classes.Skip(1).Where(c => c.Parent is not null).Select(c => c.CrefName).Take(3));
        Assert.All(Real.Operations, o =>
        {
            var names = o.Classes.Select(c => c.Name).ToList();
            Assert.Equal(names.Count, names.Distinct(StringComparer.Ordinal).Count());
        });
    }

    [Fact]
    public void Catalog_types_map_to_CSharp_types_by_side()
    {
        var shape = Synthetic(op =>
        {
            Parameter(op, Field("Ids", "array<int64>"), inQuery: false);
            Parameter(op, Field("Props", "map<string,any>"), inQuery: false);
            Parameter(op, Field("Anything", "any"), inQuery: false);
            Parameter(op, Field("Big", "int32", example: "538893915703"), inQuery: true);
            op["response"]!.AsArray().Add(Field("Props", "map<string,any>"));
            op["response"]!.AsArray().Add(Field("Ratio", "double"));
            op["response"]!.AsArray().Add(Field("Names", "array<string>"));
            op["response"]!.AsArray().Add(Field("Raw", "array<any>"));
        });

        Assert.Equal("global::System.Collections.Generic.IList<long>?", Property(shape.Request!, "Ids").Type.PropertySyntax);
        Assert.Equal("global::System.Text.Json.Nodes.JsonObject?", Property(shape.Request!, "Props").Type.PropertySyntax);
        Assert.Equal("global::System.Text.Json.Nodes.JsonNode?", Property(shape.Request!, "Anything").Type.PropertySyntax);
        Assert.Equal(("long?", true), (Property(shape.Request!, "Big").Type.PropertySyntax, Property(shape.Request!, "Big").Type.Widened));
        Assert.Equal("global::System.Collections.Generic.IReadOnlyDictionary<string, global::System.Text.Json.JsonElement>?", Property(shape.Response, "Props").Type.PropertySyntax);
        Assert.Equal("double?", Property(shape.Response, "Ratio").Type.PropertySyntax);
        Assert.Equal("global::System.Collections.Generic.IReadOnlyList<string>?", Property(shape.Response, "Names").Type.PropertySyntax);
        Assert.Equal("global::System.Collections.Generic.IReadOnlyList<global::System.Text.Json.JsonElement>?", Property(shape.Response, "Raw").Type.PropertySyntax);
    }

    [Fact]
    public void Names_CSharp_cannot_use_get_a_stable_rename()
    {
        var shape = Synthetic(op =>
        {
            op["response"]!.AsArray().Add(Field("FrobThingResponse", "string"));
            op["response"]!.AsArray().Add(Field("Equals", "string"));
            op["response"]!.AsArray().Add(Field("data", "string"));
            op["response"]!.AsArray().Add(Field("Data", "string"));
            op["response"]!.AsArray().Add(Field("Item", "object", fields: [Field("Item", "string")]));
            op["response"]!.AsArray().Add(Field("ItemObject", "string"));
        });

        var names = shape.Response.Properties.Select(p => (p.WireName, p.Name)).ToList();
        Assert.Contains(("FrobThingResponse", "FrobThingResponseValue"), names);
        Assert.Contains(("Equals", "EqualsValue"), names);
        Assert.Contains(("data", "Data"), names);
        Assert.Contains(("Data", "Data2"), names);

        // The class of Item cannot be ItemObject (a property of that name) and its own property cannot be named like it.
        var item = Property(shape.Response, "Item").Type.Class!;
        Assert.Equal("ItemObject2", item.Name);
        Assert.Equal("Item", Assert.Single(item.Properties).Name);
    }

    [Fact]
    public void Each_parameter_travels_where_the_catalog_puts_it_and_required_paths_include_array_items()
    {
        var members = Real.Operations.Single(o => o.Name == "AddDataServiceAppMember");
        Assert.Equal(WireLocation.FormJson, Assert.Single(members.Request!.Properties).Location);
        Assert.Equal(["AddCommand", "AddCommand.AppId", "AddCommand.MemberList", "AddCommand.MemberList[].EffectiveEnd", "AddCommand.MemberList[].UserId"], members.RequiredPaths);
        Assert.False(members.RequestIsOptional);

        var task = Real.Operations.Single(o => o.Name == "GetBatchTaskInfo");
        Assert.All(task.Request!.Properties, p => Assert.Equal(WireLocation.Query, p.Location));
        Assert.DoesNotContain(task.Request.Properties, p => p.WireName == "OpTenantId");

        Assert.True(Real.Operations.Single(o => o.Name == "GetMyRoles").RequestIsOptional);
        Assert.Null(Real.Operations.Single(o => o.Name == "AddRegisterLineage").Request);
        Assert.Equal("AddRegisterLineageCommand", Real.Operations.Single(o => o.Name == "AddRegisterLineage").HandWritten!.FormField);
    }

    [Fact]
    public void Each_context_lists_the_response_the_JSON_form_fields_and_every_nested_class_and_collection()
    {
        var members = Real.Operations.Single(o => o.Name == "AddDataServiceAppMember");
        Assert.Equal(["AddDataServiceAppMemberResponse", "AddCommandObject"], members.JsonRoots.Select(r => r.MetadataName));
        Assert.Equal(
            ["global::Dataphin.OpenApi.Models.AddDataServiceAppMemberRequest.AddCommandObject", "global::System.Collections.Generic.IList<global::Dataphin.OpenApi.Models.AddDataServiceAppMemberRequest.AddCommandObject.MemberListItem>", "global::Dataphin.OpenApi.Models.AddDataServiceAppMemberRequest.AddCommandObject.MemberListItem", "global::Dataphin.OpenApi.Models.AddDataServiceAppMemberResponse"],
            members.MetadataTypes().Select(t => t.Syntax));
    }

    private static string Path(string operation)
    {
        var shape = Real.Operations.Single(o => o.Name == operation);
        return Real.Layout.PathOf(shape.Client);
    }

    private static PropertyShape Property(ClassShape shape, string wire) => shape.Properties.Single(p => p.WireName == wire);

    private static string RealText() => File.ReadAllText(System.IO.Path.Combine(TempRepository.RealRoot, "eng", "operations.json"));

    /// <summary>The real catalog plus one operation, FrobThing, edited by <paramref name="edit"/>; its shape.</summary>
    private static OperationShape Synthetic(Action<JsonNode> edit)
    {
        var api = JsonNode.Parse(RealText())!;
        var operation = api["operations"]!.AsArray().Single(o => (string?)o!["name"] == "GetMyRoles")!.DeepClone();
        operation["name"] = "FrobThing";
        operation["section"] = "Data asset";
        operation["group"] = "asset";
        edit(operation);
        api["operations"]!.AsArray().Add(operation);
        var shape = ApiShape.Create(ApiModelReader.Read(api.ToJsonString(), "eng/operations.json"));
        return shape.Operations.Single(o => o.Name == "FrobThing");
    }

    /// <summary>Adds a request parameter, in the query or as a JSON form field.</summary>
    private static void Parameter(JsonNode operation, JsonObject field, bool inQuery)
    {
        operation["request"]!.AsArray().Add(field);
        var placement = new JsonObject { ["name"] = (string?)field["name"], ["type"] = (string?)field["type"], ["required"] = false };
        if (!inQuery)
        {
            placement["shrunkJson"] = true;
        }

        operation[inQuery ? "query" : "body"]!.AsArray().Add(placement);
    }

    private static JsonObject Field(string name, string type, string? example = null, JsonNode[]? fields = null)
    {
        var field = new JsonObject { ["name"] = name, ["type"] = type, ["required"] = false };
        if (example is not null)
        {
            field["example"] = example;
        }

        if (fields is not null)
        {
            field["fields"] = new JsonArray(fields);
        }

        return field;
    }
}
