using System.Globalization;
using Dataphin.OpenApi.Generator.CSharp;

namespace Dataphin.OpenApi.Generator.Emitters;

/// <summary>
/// Writes the methods: a client class per section (and per group, in a section with several groups), each method
/// <c>&lt;Operation&gt;Async(opTenantId, request, cancellationToken)</c>, virtual, sending through the one internal entry
/// point <c>OperationInvoker</c>; and the <c>DataphinClient</c> properties that reach the section clients, created on
/// first use and sharing the client's pipeline.
/// </summary>
internal sealed class OperationClientEmitter : IEmitter
{
    public const string RootFile = ApiShape.GeneratedFolder + "/DataphinClient.Clients.g.cs";

    private const string Client = "global::Dataphin.OpenApi.DataphinClient";

    private const string Invoker = "global::Dataphin.OpenApi.Operations.OperationInvoker";

    public string Kind => "operation clients";

    public IEnumerable<GeneratedFile> Emit(GeneratorInputs inputs)
    {
        var api = inputs.Shape;
        yield return new GeneratedFile(RootFile, EmitRoot(api.Layout));
        foreach (var section in api.Layout.Sections)
        {
            if (!section.HasOperations)
            {
                yield return new GeneratedFile(ApiShape.FileOf(section, "Client"), EmitSection(section));
            }
        }

        foreach (var leaf in api.Layout.Leaves)
        {
            yield return new GeneratedFile(ApiShape.FileOf(leaf, "Client"), EmitLeaf(api, leaf));
        }
    }

    private static string EmitRoot(ClientLayout layout)
    {
        var code = new CodeWriter("eng/operations.json");
        code.Line("namespace Dataphin.OpenApi;")
            .Line()
            .Line("public partial class DataphinClient")
            .Block(() =>
            {
                foreach (var section in layout.Sections)
                {
                    code.Line($"private global::{OperationShape.ClientsNamespace}.{section.TypeName}? _{Field(section.PropertyName)};");
                }

                foreach (var section in layout.Sections)
                {
                    code.Line();
                    LazyProperty(code, section, SectionSummary(section), "this");
                }
            });
        return code.ToString();
    }

    private static string EmitSection(ClientNode section)
    {
        var code = new CodeWriter("eng/operations.json");
        code.Line($"namespace {OperationShape.ClientsNamespace};")
            .Line()
            .DocBlock("summary", $"The {OperationDocs.X(section.Title)} operations, in {Count(section.Children.Count, "group")}: {string.Join(", ", section.Children.Select(c => OperationDocs.X(c.Title)))}. "
                + $"Reach it through <see cref=\"{Client}.{section.PropertyName}\"/>; thread-safe, like the client it belongs to.")
            .Line($"public class {section.TypeName}")
            .Block(() =>
            {
                code.Line($"private readonly {Client}? _client;");
                foreach (var child in section.Children)
                {
                    code.Line($"private {child.TypeName}? _{Field(child.PropertyName)};");
                }

                Constructors(code, section.TypeName);
                foreach (var child in section.Children)
                {
                    code.Line();
                    LazyProperty(code, child, GroupSummary(child), "_client");
                }
            });
        return code.ToString();
    }

    private static string EmitLeaf(ApiShape api, ClientNode leaf)
    {
        var operations = api.OperationsOf(leaf).ToList();
        var reach = api.Layout.PathOf(leaf) is var path && path.Contains('.', StringComparison.Ordinal)
            ? $"<see cref=\"{Client}.{path[..path.IndexOf('.', StringComparison.Ordinal)]}\"/><c>.{path[(path.IndexOf('.', StringComparison.Ordinal) + 1)..]}</c>"
            : $"<see cref=\"{Client}.{path}\"/>";
        var code = new CodeWriter("eng/operations.json");
        code.Line($"namespace {OperationShape.ClientsNamespace};")
            .Line()
            .DocBlock("summary", $"The {Title(leaf)} operations ({Count(operations.Count, "operation")}). Reach it through {reach}; "
                + "every method validates its request, then sends it through the client's pipeline (signing, pacing by throttling level, "
                + "retries, edition check, error mapping). Thread-safe, like the client it belongs to.")
            .Line($"public class {leaf.TypeName}")
            .Block(() =>
            {
                code.Line($"private readonly {Client}? _client;");
                Constructors(code, leaf.TypeName);
                foreach (var operation in operations)
                {
                    code.Line();
                    Method(code, operation);
                }
            });
        return code.ToString();
    }

    private static void Constructors(CodeWriter code, string typeName)
        => code.Line()
            .DocLine("summary", "For mocking: creates a client that is not connected to anything; override the members a test uses.")
            .Line($"protected {typeName}()")
            .Block(() => { })
            .Line()
            .Line($"internal {typeName}({Client}? client)")
            .Block(() => code.Line("_client = client;"));

    private static void LazyProperty(CodeWriter code, ClientNode node, string summary, string clientExpression)
    {
        var field = "_" + Field(node.PropertyName);
        var type = $"global::{OperationShape.ClientsNamespace}.{node.TypeName}";
        code.DocBlock("summary", summary)
            .Line($"public virtual {type} {node.PropertyName}")
            .Indented(() => code.Line($"=> {field} ?? global::System.Threading.Interlocked.CompareExchange(ref {field}, new {type}({clientExpression}), null) ?? {field}!;"));
    }

    private static void Method(CodeWriter code, OperationShape operation)
    {
        var response = $"{OperationShape.ModelsNamespaceGlobal}.{operation.ResponseName}";
        var context = $"{OperationShape.ModelsNamespaceGlobal}.{operation.ContextName}.Default.{operation.ResponseName}";
        string parameter, argument, requestDoc, nullDoc, required;
        if (operation.HandWritten is { } command)
        {
            parameter = $"{command.TypeName} command";
            argument = $"{Invoker}.Lineage(command), \"command\"";
            requestDoc = "<param name=\"command\">What to send; checked against every documented rule of the command first.</param>";
            nullDoc = "<paramref name=\"command\"/> is null.";
            required = $"The command is checked with the rules of <see cref=\"global::Dataphin.OpenApi.LineageCommandValidator\"/>, the same as <see cref=\"{Client}.{operation.Name}Async(long, {command.TypeName}, global::System.Threading.CancellationToken)\"/>.";
        }
        else
        {
            var type = $"{OperationShape.ModelsNamespaceGlobal}.{operation.RequestName}";
            parameter = operation.RequestIsOptional ? $"{type}? request = null" : $"{type} request";
            argument = operation.RequestIsOptional ? "request, null" : "request, \"request\"";
            requestDoc = OperationDocs.RequestParam(operation);
            nullDoc = "<paramref name=\"request\"/> is null.";
            required = OperationDocs.RequiredParameters(operation);
        }

        code.DocLine("summary", $"Calls <c>{operation.Name}</c> ({OperationDocs.Where(operation)}).")
            .DocBlock("remarks", OperationDocs.Facts(operation) + " " + required)
            .Line("/// <param name=\"opTenantId\">The tenant id (<c>OpTenantId</c>, the <c>tenantId</c> in the Dataphin URL).</param>")
            .Line("/// " + requestDoc)
            .Line("/// <param name=\"cancellationToken\">Cancels the call.</param>")
            .Line("/// <returns>The service's answer, typed.</returns>");
        if (!operation.RequestIsOptional)
        {
            code.Line($"/// <exception cref=\"global::System.ArgumentNullException\">{nullDoc}</exception>");
        }

        OperationDocs.WriteExceptionsAndDeprecation(code, operation);

        code.Line($"public virtual global::System.Threading.Tasks.Task<{response}> {operation.MethodName}(long opTenantId, {parameter}, global::System.Threading.CancellationToken cancellationToken = default)")
            .Indented(() => code.Line($"=> {Invoker}.SendAsync(_client, {CodeWriter.Literal(operation.Name)}, opTenantId, {argument}, {context}, cancellationToken);"));
    }

    private static string SectionSummary(ClientNode section)
    {
        var contents = section.HasOperations
            ? Count(section.Operations.Count, "operation")
            : $"{Count(section.Children.Count, "group")}: {string.Join(", ", section.Children.Select(c => OperationDocs.X(c.Title)))}";
        return $"The {OperationDocs.X(section.Title)} operations ({contents}), sharing this client's pipeline; created on first use.";
    }

    private static string GroupSummary(ClientNode group)
        => $"The {OperationDocs.X(group.Title)} operations ({Count(group.Operations.Count, "operation")}), sharing the client's pipeline; created on first use.";

    private static string Title(ClientNode leaf)
        => leaf.Title == leaf.Section ? OperationDocs.X(leaf.Section) : $"{OperationDocs.X(leaf.Section)} › {OperationDocs.X(leaf.Title)}";

    private static string Field(string propertyName) => char.ToLowerInvariant(propertyName[0]) + propertyName[1..];

    private static string Count(int count, string noun) => $"{count.ToString(CultureInfo.InvariantCulture)} {noun}{(count == 1 ? string.Empty : "s")}";
}
