using Dataphin.OpenApi.Generator.CSharp;

namespace Dataphin.OpenApi.Generator.Emitters;

/// <summary>
/// Writes the request classes: one <c>&lt;Client&gt;.Requests.g.cs</c> per client with methods, holding a
/// <c>&lt;Operation&gt;Request</c> per operation (except those with a hand-written command) with its nested classes. A
/// request class knows how its parameters travel (query, form text, or JSON form field) and checks its required fields.
/// </summary>
internal sealed class RequestModelEmitter : IEmitter
{
    public string Kind => "request models";

    public IEnumerable<GeneratedFile> Emit(GeneratorInputs inputs)
    {
        var api = inputs.Shape;
        foreach (var leaf in api.Layout.Leaves)
        {
            var operations = api.OperationsOf(leaf).Where(o => o.Request is not null).ToList();
            if (operations.Count == 0)
            {
                continue;
            }

            var code = ModelClassWriter.Start();
            var first = true;
            foreach (var operation in operations)
            {
                if (!first)
                {
                    code.Line();
                }

                first = false;
                var summary = $"The parameters of <c>{operation.Name}</c> ({OperationDocs.Where(operation)}), sent with "
                    + $"<see cref=\"global::{OperationShape.ClientsNamespace}.{leaf.TypeName}.{operation.MethodName}\"/>. "
                    + "Leave a parameter <see langword=\"null\"/> to not send it; the tenant is the method's <c>opTenantId</c>.";
                ModelClassWriter.Write(code, operation.Request!, summary, operation);
            }

            yield return new GeneratedFile(ApiShape.FileOf(leaf, "Requests"), code.ToString());
        }
    }
}
