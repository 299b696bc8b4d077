using Dataphin.OpenApi.Generator.CSharp;

namespace Dataphin.OpenApi.Generator.Emitters;

/// <summary>
/// Writes <c>IDataphinApi</c>, the Refit interface of every operation, for the <c>Dataphin.OpenApi.Refit</c> package:
/// each method a <c>POST /</c> naming its operation in <c>x-acs-action</c>, the tenant in the query, and the typed request
/// (the same request type, or lineage command, as the generated method) handed to <c>DataphinPipelineHandler</c> through
/// the request option <c>DataphinPipelineHandler.RequestOptionKey</c>, so the handler checks it and writes its query and
/// form exactly as the generated method does. Refit's source generator implements the interface.
/// </summary>
internal sealed class RefitInterfaceEmitter : IEmitter
{
    public const string File = "src/Dataphin.OpenApi.Refit/Generated/IDataphinApi.g.cs";

    private const string Task = "global::System.Threading.Tasks.Task";

    public string Kind => "Refit interface";

    public IEnumerable<GeneratedFile> Emit(GeneratorInputs inputs)
    {
        var code = new CodeWriter("eng/operations.json");
        code.Line("// Deprecated operations keep their methods.")
            .Line("#pragma warning disable CS0618")
            .Line()
            .Line("namespace Dataphin.OpenApi.Refit;")
            .Line()
            .DocBlock("summary", $"Every operation of the Dataphin OpenAPI ({inputs.Shape.Operations.Count} operations) as a Refit interface, sent through "
                + "<see cref=\"global::Dataphin.OpenApi.DataphinPipelineHandler\"/>: the SDK's checks of the request (required parameters, all at once, "
                + "before sending), signing of every attempt, pacing by throttling level, retries, edition check, error mapping and logging. "
                + "Create it with <see cref=\"global::Dataphin.OpenApi.Refit.DataphinRefit.For(global::Dataphin.OpenApi.DataphinClient)\"/> or register it with "
                + "<see cref=\"global::Microsoft.Extensions.DependencyInjection.DataphinRefitServiceCollectionExtensions.AddDataphinRefitClient(global::Microsoft.Extensions.DependencyInjection.IServiceCollection, string?)\"/>. "
                + "The methods take the same requests and return the same responses as the methods of <see cref=\"global::Dataphin.OpenApi.DataphinClient\"/>'s sub-clients, "
                + "and throw the same exceptions.")
            .Line("public partial interface IDataphinApi")
            .Block(() =>
            {
                var first = true;
                foreach (var operation in inputs.Shape.Operations)
                {
                    if (!first)
                    {
                        code.Line();
                    }

                    first = false;
                    Method(code, operation);
                }
            });
        yield return new GeneratedFile(File, code.ToString());
    }

    private static void Method(CodeWriter code, OperationShape operation)
    {
        var response = $"{OperationShape.ModelsNamespaceGlobal}.{operation.ResponseName}";
        string parameter, requestDoc, required;
        if (operation.HandWritten is { } command)
        {
            parameter = $"{command.TypeName} command";
            requestDoc = "<param name=\"command\">What to send; checked against every documented rule of the command first.</param>";
            required = "The command is checked with the rules of <see cref=\"global::Dataphin.OpenApi.LineageCommandValidator\"/>.";
        }
        else
        {
            var type = $"{OperationShape.ModelsNamespaceGlobal}.{operation.RequestName}";
            parameter = operation.RequestIsOptional ? $"{type}? request = null" : $"{type} request";
            requestDoc = OperationDocs.RequestParam(operation);
            required = OperationDocs.RequiredParameters(operation);
        }

        code.DocLine("summary", $"Calls <c>{operation.Name}</c> ({OperationDocs.Where(operation)}).")
            .DocBlock("remarks", OperationDocs.Facts(operation) + " " + required)
            .Line("/// <param name=\"opTenantId\">The tenant id (<c>OpTenantId</c>, the <c>tenantId</c> in the Dataphin URL).</param>")
            .Line("/// " + requestDoc)
            .Line("/// <param name=\"cancellationToken\">Cancels the call.</param>")
            .Line("/// <returns>The service's answer, typed.</returns>");
        OperationDocs.WriteExceptionsAndDeprecation(code, operation);

        code.Line("[global::Refit.Post(\"/\")]")
            .Line($"[global::Refit.Headers(\"x-acs-action: {operation.Name}\")]")
            .Line($"{Task}<{response}> {operation.MethodName}(")
            .Indented(() => code
                .Line("[global::Refit.Query, global::Refit.AliasAs(\"OpTenantId\")] long opTenantId,")
                .Line($"[global::Refit.Property(global::Dataphin.OpenApi.DataphinPipelineHandler.RequestOptionKey)] {parameter},")
                .Line("global::System.Threading.CancellationToken cancellationToken = default);"));
    }
}
