using System.Text.RegularExpressions;
using Dataphin.OpenApi.Generator.Emitters;

namespace Dataphin.OpenApi.Generator.Tests;

/// <summary>
/// What the request, response, JSON-context and client emitters write for the real catalog: every operation once, the
/// wire names, the checks of required fields, the metadata, and methods that are async, virtual, cancellable and documented.
/// </summary>
public class OperationEmitterTests
{
    private static readonly GeneratorInputs Inputs = Generator.LoadInputs(TempRepository.RealRoot);

    private static readonly string Requests = All(new RequestModelEmitter());

    private static readonly string Responses = All(new ResponseModelEmitter());

    private static readonly string Contexts = All(new OperationJsonContextEmitter());

    private static readonly string Clients = All(new OperationClientEmitter());

    [Fact]
    public void Every_operation_gets_one_response_one_context_and_one_method_and_all_but_the_lineage_commands_a_request()
    {
        Assert.Equal(338, Count(Responses, @"public sealed class \w+Response\b"));
        Assert.Equal(338, Count(Contexts, @"internal sealed class \w+JsonContext : "));
        Assert.Equal(338, Count(Clients, @"public virtual global::System\.Threading\.Tasks\.Task<global::Dataphin\.OpenApi\.Models\.\w+Response> \w+Async\(long opTenantId, [^)]*global::System\.Threading\.CancellationToken cancellationToken = default\)"));
        Assert.Equal(336, Count(Requests, @"public sealed class \w+Request : global::Dataphin\.OpenApi\.Operations\.IOperationRequest"));
        Assert.DoesNotContain("class AddRegisterLineageRequest", Requests, StringComparison.Ordinal);
        Assert.Contains("AddRegisterLineageAsync(long opTenantId, global::Dataphin.OpenApi.AddRegisterLineageCommand command,", Clients, StringComparison.Ordinal);
    }

    [Fact]
    public void A_request_writes_scalars_to_the_query_and_objects_as_JSON_form_fields_by_wire_name()
    {
        var task = Section(Requests, "public sealed class GetBatchTaskInfoRequest");
        Assert.Contains("[global::System.Text.Json.Serialization.JsonPropertyName(\"FileId\")]\n    public long? FileId { get; set; }", task, StringComparison.Ordinal);
        Assert.Contains("writer.Query(\"FileId\", FileId);", task, StringComparison.Ordinal);
        Assert.Contains("writer.Query(\"IncludeAllUpStreams\", IncludeAllUpStreams);", task, StringComparison.Ordinal);
        Assert.Contains("validator.Required(FileId, null, \"FileId\");", task, StringComparison.Ordinal);
        Assert.DoesNotContain("validator.Required(Env", task, StringComparison.Ordinal);

        var members = Section(Requests, "public sealed class AddDataServiceAppMemberRequest");
        Assert.Contains("writer.Json(\"AddCommand\", AddCommand, global::Dataphin.OpenApi.Models.AddDataServiceAppMemberJsonContext.Default.AddCommandObject);", members, StringComparison.Ordinal);
        Assert.Contains("validator.Check(AddCommand, null, \"AddCommand\");", members, StringComparison.Ordinal);
        Assert.Contains("validator.CheckItems(MemberList, path, \"MemberList\");", members, StringComparison.Ordinal);
        Assert.Contains("validator.Required(UserId, path, \"UserId\");", members, StringComparison.Ordinal);
    }

    [Fact]
    public void A_response_types_every_field_of_its_tree_with_nested_classes()
    {
        var assets = Section(Responses, "public sealed class ListCatalogAssetsResponse");
        Assert.Contains("public global::Dataphin.OpenApi.Models.ListCatalogAssetsResponse.DataObject? Data { get; set; }", assets, StringComparison.Ordinal);
        Assert.Contains("public global::System.Collections.Generic.IReadOnlyList<global::Dataphin.OpenApi.Models.ListCatalogAssetsResponse.DataObject.AssetListItem>? AssetList { get; set; }", assets, StringComparison.Ordinal);
        Assert.Contains("public sealed class AssetListItem", assets, StringComparison.Ordinal);
        Assert.Contains("<c>AssetType</c> (string). Example: <c>TABLE</c>. One of <c>TABLE</c>, <c>INDEX</c>, <c>BIZ_INDEX</c>,", assets, StringComparison.Ordinal);
        Assert.DoesNotContain("IOperationRequest", Responses, StringComparison.Ordinal);
    }

    [Fact]
    public void A_context_gives_metadata_for_each_class_with_one_line_per_property_and_no_reflection()
    {
        var context = Section(Contexts, "internal sealed class ListFilesJsonContext");
        Assert.Contains("if (type == typeof(global::Dataphin.OpenApi.Models.ListFilesRequest.ListQueryObject))", context, StringComparison.Ordinal);
        Assert.Contains("M.Property<global::Dataphin.OpenApi.Models.ListFilesRequest.ListQueryObject, long?>(o, \"ProjectId\", \"ProjectId\", static x => x.ProjectId, static (x, v) => x.ProjectId = v),", context, StringComparison.Ordinal);
        Assert.Contains("return M.Scalar(type, options, this);", context, StringComparison.Ordinal);
        Assert.DoesNotContain("GetProperty(", Contexts, StringComparison.Ordinal);
        Assert.DoesNotContain("JsonSerializable(", Contexts, StringComparison.Ordinal);
    }

    [Fact]
    public void Methods_are_documented_with_the_catalogs_facts_and_deprecated_ones_are_obsolete()
    {
        var method = Section(Clients, "/// <summary>Calls <c>GetBatchTaskInfo</c>");
        Assert.Contains("Data development › Batch task", method, StringComparison.Ordinal);
        Assert.Contains("Throttling level 1", method, StringComparison.Ordinal);
        Assert.Contains("Agile R&amp;D", method, StringComparison.Ordinal);
        Assert.Contains("read-only", method, StringComparison.Ordinal);
        Assert.Contains("Required: <c>FileId</c>, <c>ProjectId</c>.", method, StringComparison.Ordinal);
        Assert.Contains("[global::System.Obsolete(\"Deprecated since Dataphin v5.3.1; use CreatePipeline.\")]\n    public virtual global::System.Threading.Tasks.Task<global::Dataphin.OpenApi.Models.CreatePipelineNodeResponse> CreatePipelineNodeAsync(", Clients, StringComparison.Ordinal);
        var placed = Section(Clients, "/// <summary>Calls <c>GetTableLineages</c>");
        Assert.Contains("placed here with the table metadata and lineage reads", placed, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_client_can_be_mocked_and_DataphinClient_reaches_each_section_lazily()
    {
        Assert.Equal(Count(Clients, @"public class \w+Client\b"), Count(Clients, @"protected \w+Client\(\)"));
        var root = Inputs.Shape.Layout.Sections;
        var rootFile = new OperationClientEmitter().Emit(Inputs).Single(f => f.RelativePath == OperationClientEmitter.RootFile).Content;
        Assert.Contains("public partial class DataphinClient", rootFile, StringComparison.Ordinal);
        Assert.All(root, section => Assert.Contains(
            $"public virtual global::Dataphin.OpenApi.Clients.{section.TypeName} {section.PropertyName}\n        => _{char.ToLowerInvariant(section.PropertyName[0])}{section.PropertyName[1..]} ?? global::System.Threading.Interlocked.CompareExchange(",
            rootFile,
            StringComparison.Ordinal));
    }

    [Fact]
    public void The_Refit_interface_has_one_POST_per_operation_naming_its_action_and_handing_the_typed_request_to_the_pipeline()
    {
        var refit = All(new RefitInterfaceEmitter());
        var file = Assert.Single(new RefitInterfaceEmitter().Emit(Inputs));

        Assert.Equal("src/Dataphin.OpenApi.Refit/Generated/IDataphinApi.g.cs", file.RelativePath);
        Assert.Equal(338, Count(refit, @"\[global::Refit\.Post\(""/""\)\]\n    \[global::Refit\.Headers\(""x-acs-action: \w+""\)\]\n    global::System\.Threading\.Tasks\.Task<global::Dataphin\.OpenApi\.Models\.\w+Response> \w+Async\("));
        Assert.Equal(338, Count(refit, @"\[global::Refit\.Query, global::Refit\.AliasAs\(""OpTenantId""\)\] long opTenantId,\n        \[global::Refit\.Property\(global::Dataphin\.OpenApi\.DataphinPipelineHandler\.RequestOptionKey\)\] "));
        Assert.Contains("[global::Refit.Headers(\"x-acs-action: GetBatchTaskInfo\")]\n    global::System.Threading.Tasks.Task<global::Dataphin.OpenApi.Models.GetBatchTaskInfoResponse> GetBatchTaskInfoAsync(", refit, StringComparison.Ordinal);
        Assert.Contains("RequestOptionKey)] global::Dataphin.OpenApi.AddRegisterLineageCommand command,", refit, StringComparison.Ordinal);
        Assert.Contains("RequestOptionKey)] global::Dataphin.OpenApi.Models.GetMyTenantsRequest? request = null,", refit, StringComparison.Ordinal);
        Assert.Contains("RequestOptionKey)] global::Dataphin.OpenApi.Models.GetBatchTaskInfoRequest request,", refit, StringComparison.Ordinal);

        // The lookup of response metadata has every response once; the request rules list the operations whose request is required.
        var metadata = All(new ResponseMetadataEmitter());
        Assert.Equal(338, Count(metadata, @"\[typeof\(global::Dataphin\.OpenApi\.Models\.(\w+)Response\)\] = static \(\) => global::Dataphin\.OpenApi\.Models\.\1JsonContext\.Default\.\1Response,"));
        Assert.Equal(Count(refit, @"RequestOptionKey\)\] [^=\n]+ (request|command),\n"), Count(metadata, @"(?m)^        ""\w+"",$"));
    }

    private static string All(IEmitter emitter) => string.Join("\n", emitter.Emit(Inputs).Select(f => f.Content));

    private static int Count(string text, string pattern) => Regex.Count(text, pattern);

    /// <summary>The text from <paramref name="start"/> to the next top-level class (or the end).</summary>
    private static string Section(string text, string start)
    {
        var at = text.IndexOf(start, StringComparison.Ordinal);
        Assert.True(at >= 0, $"'{start}' was not generated.");
        var end = text.IndexOf("\n/// <summary>", at + start.Length, StringComparison.Ordinal);
        var method = text.IndexOf("\n    /// <summary>Calls", at + start.Length, StringComparison.Ordinal);
        if (start.StartsWith("/// <summary>Calls", StringComparison.Ordinal) && method >= 0 && (end < 0 || method < end))
        {
            end = method;
        }

        return end < 0 ? text[at..] : text[at..end];
    }
}
