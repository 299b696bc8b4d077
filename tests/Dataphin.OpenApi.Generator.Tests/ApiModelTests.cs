using Dataphin.OpenApi.Generator.Model;

namespace Dataphin.OpenApi.Generator.Tests;

/// <summary>
/// The parsed model keeps everything operations.json says about an operation, request and response trees included,
/// so that an emitter for typed models can be added on top of it.
/// </summary>
public class ApiModelTests
{
    private static readonly ApiModel Api = ApiModelReader.Read(
        File.ReadAllText(Path.Combine(TempRepository.RealRoot, "eng", "operations.json")), "eng/operations.json");

    [Fact]
    public void Every_operation_is_read_with_its_throttling_facts()
    {
        Assert.Equal(("dataphin-public", "2023-06-30", 338), (Api.Product, Api.ApiVersion, Api.Operations.Count));
        Assert.Equal(127, Api.Operations.Count(o => o.Level is null && !o.DocumentedInThrottlingTable));
        var add = Api.Find("AddRegisterLineage")!;
        Assert.Equal((2, ApiEdition.Agile, false, "Data asset", "v5.4.0"), (add.Level, add.MinimumEdition, add.IsReadOnly, add.Section, add.SinceDataphinVersion));
        Assert.Equal(("POST", "/", "RPC", "formData", "json"), (add.Http.Method, add.Http.Path, add.Http.Style, add.Http.RequestBody, add.Http.ResponseBody));
        var deprecated = Api.Find("CreatePipelineNode")!;
        Assert.Equal(("v5.3.1", "CreatePipeline"), (deprecated.DeprecatedSinceDataphinVersion, deprecated.ReplacedBy));
        Assert.Null(Api.Find("addregisterlineage"));
    }

    [Fact]
    public void Request_and_response_fields_keep_their_nesting_types_and_documented_values()
    {
        var add = Api.Find("AddRegisterLineage")!;
        var tenant = Assert.Single(add.Query);
        Assert.Equal(("OpTenantId", FieldKind.Int64, true, "30001011"), (tenant.Name, tenant.Type.Kind, tenant.Required, tenant.Example));
        Assert.True(Assert.Single(add.Body).ShrunkJson);

        Assert.Equal(["AddRegisterLineageCommand", "OpTenantId"], add.Request.Select(f => f.Name));
        var command = add.Request[0];
        var detailed = command.Fields.Single(f => f.Name == "DetailedLineages");
        Assert.Equal((FieldKind.Array, FieldKind.Object), (detailed.Type.Kind, detailed.Type.Element!.Kind));
        var referenceType = detailed.Fields.Single(f => f.Name == "Source").Fields.Single(f => f.Name == "ReferenceType");
        Assert.Equal(["BY_GUID", "BY_PROPERTY"], referenceType.Enum!);
        var properties = command.Fields.Single(f => f.Name == "RelationProperties");
        Assert.Equal((FieldKind.Map, FieldKind.Any), (properties.Type.Kind, properties.Type.Element!.Kind));

        Assert.Equal(["Code", "HttpStatusCode", "Message", "RequestId", "Success"], add.Response.Select(f => f.Name));
        Assert.Equal(FieldKind.Int32, add.Response.Single(f => f.Name == "HttpStatusCode").Type.Kind);
    }

    [Theory]
    [InlineData("array<array<int64>>", "Array", "Array")]
    [InlineData("map<string,object>", "Map", "Object")]
    [InlineData("double", "Double", null)]
    public void Field_types_parse_recursively(string text, string kind, string? element)
    {
        var type = FieldType.TryParse(text)!;
        Assert.Equal((kind, element, text), (type.Kind.ToString(), type.Element?.Kind.ToString(), type.Text));
    }

    [Theory]
    [InlineData("decimal")]
    [InlineData("array<decimal>")]
    [InlineData("map<int32,string>")]
    [InlineData("array<string")]
    [InlineData("String")]
    public void Unknown_field_types_do_not_parse(string text) => Assert.Null(FieldType.TryParse(text));
}
