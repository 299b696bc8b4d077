using Dataphin.OpenApi.Generator.CSharp;

namespace Dataphin.OpenApi.Generator.Emitters;

/// <summary>
/// Writes the lookup from each operation's response type to its source-generated metadata, which
/// <c>DataphinOperationJson.ReadResponseAsync</c> uses for callers that send through the pipeline handler themselves
/// (the Refit package). Only that public method reaches it, so a trimmed app that does not call it keeps none of it.
/// </summary>
internal sealed class ResponseMetadataEmitter : IEmitter
{
    public const string File = ApiShape.GeneratedFolder + "/OperationResponseMetadata.g.cs";

    public string Kind => "response metadata lookup";

    public IEnumerable<GeneratedFile> Emit(GeneratorInputs inputs)
    {
        var code = new CodeWriter("eng/operations.json");
        code.Line("namespace Dataphin.OpenApi.Operations;")
            .Line()
            .DocLine("summary", "The metadata of every operation's response type, by type.")
            .Line("internal static class OperationResponseMetadata")
            .Block(() =>
            {
                code.Line("private static readonly global::System.Lazy<global::System.Collections.Generic.Dictionary<global::System.Type, global::System.Func<global::System.Text.Json.Serialization.Metadata.JsonTypeInfo>>> Lookup = new(Create);")
                    .Line()
                    .DocLine("summary", "The metadata of <paramref name=\"type\"/>, or <see langword=\"null\"/> when it is not an operation's response type.")
                    .Line("public static global::System.Text.Json.Serialization.Metadata.JsonTypeInfo? Find(global::System.Type type)")
                    .Indented(() => code.Line("=> Lookup.Value.TryGetValue(type, out var metadata) ? metadata() : null;"))
                    .Line()
                    .Line("private static global::System.Collections.Generic.Dictionary<global::System.Type, global::System.Func<global::System.Text.Json.Serialization.Metadata.JsonTypeInfo>> Create()")
                    .Indented(() =>
                    {
                        code.Line("=> new()")
                            .Block(
                                () =>
                                {
                                    foreach (var operation in inputs.Shape.Operations)
                                    {
                                        var response = $"{OperationShape.ModelsNamespaceGlobal}.{operation.ResponseName}";
                                        code.Line($"[typeof({response})] = static () => {OperationShape.ModelsNamespaceGlobal}.{operation.ContextName}.Default.{operation.ResponseName},");
                                    }
                                },
                                ";");
                    });
            });
        code.Line()
            .DocBlock("summary", "Which operations need their request (or command): the typed request given to <c>DataphinPipelineHandler</c> "
                + "may be <see langword=\"null\"/> only for the others, as the generated methods' <c>request</c> may.")
            .Line("internal static class OperationRequestRules")
            .Block(() =>
            {
                code.Line("private static readonly global::System.Collections.Generic.HashSet<string> Required = new(global::System.StringComparer.Ordinal)")
                    .Block(
                        () =>
                        {
                            foreach (var operation in inputs.Shape.Operations.Where(o => o.HandWritten is not null || !o.RequestIsOptional))
                            {
                                code.Line(CodeWriter.Literal(operation.Name) + ",");
                            }
                        },
                        ";")
                    .Line()
                    .DocLine("summary", "Whether <paramref name=\"action\"/> is an operation of the catalog whose request may not be left out.")
                    .Line("public static bool IsRequired(string action) => Required.Contains(action);");
            });
        yield return new GeneratedFile(File, code.ToString());
    }
}
