using Dataphin.OpenApi.Generator.CSharp;

namespace Dataphin.OpenApi.Generator.Emitters;

/// <summary>
/// Writes the response classes: one <c>&lt;Client&gt;.Responses.g.cs</c> per client with methods, holding a
/// <c>&lt;Operation&gt;Response</c> per operation with its nested classes, every field of the documented response tree
/// typed (settable, so that tests of code using the client can build one).
/// </summary>
internal sealed class ResponseModelEmitter : IEmitter
{
    public string Kind => "response models";

    public IEnumerable<GeneratedFile> Emit(GeneratorInputs inputs)
    {
        var api = inputs.Shape;
        foreach (var leaf in api.Layout.Leaves)
        {
            var code = ModelClassWriter.Start();
            var first = true;
            foreach (var operation in api.OperationsOf(leaf))
            {
                if (!first)
                {
                    code.Line();
                }

                first = false;
                var summary = $"The answer to <c>{operation.Name}</c> ({OperationDocs.Where(operation)}), returned by "
                    + $"<see cref=\"global::{OperationShape.ClientsNamespace}.{leaf.TypeName}.{operation.MethodName}\"/>.";
                ModelClassWriter.Write(code, operation.Response, summary, topRequest: null);
            }

            yield return new GeneratedFile(ApiShape.FileOf(leaf, "Responses"), code.ToString());
        }
    }
}
