using Dataphin.OpenApi.Generator.Model;

namespace Dataphin.OpenApi.Generator.CSharp;

/// <summary>The C# shape of the whole API: the client layout and every operation's shape, in the order of <c>operations.json</c>.</summary>
internal sealed class ApiShape
{
    /// <summary>The folder every model, client and context file goes to.</summary>
    public const string GeneratedFolder = "src/Dataphin.OpenApi/Operations/Generated";

    private ApiShape(ClientLayout layout, IReadOnlyList<OperationShape> operations)
    {
        Layout = layout;
        Operations = operations;
    }

    public ClientLayout Layout { get; }

    public IReadOnlyList<OperationShape> Operations { get; }

    /// <summary>The operations whose methods a client carries, in the order of <c>operations.json</c>.</summary>
    public IEnumerable<OperationShape> OperationsOf(ClientNode leaf) => Operations.Where(o => ReferenceEquals(o.Client, leaf));

    /// <summary>The path of a client's generated file of the given kind, e.g. <c>.../DataDevelopment/BatchTask.Requests.g.cs</c>.</summary>
    public static string FileOf(ClientNode leaf, string kind) => $"{GeneratedFolder}/{leaf.Folder}/{leaf.FileStem}.{kind}.g.cs";

    public static ApiShape Create(ApiModel api)
    {
        var layout = ClientLayout.Create(api);
        var leafOf = new Dictionary<string, ClientNode>(StringComparer.Ordinal);
        foreach (var leaf in layout.Leaves)
        {
            foreach (var operation in leaf.Operations)
            {
                leafOf.Add(operation.Name, leaf);
            }
        }

        var operations = api.Operations.Select(o => OperationShape.Create(o, leafOf[o.Name], layout.PlacementOf(o))).ToList();
        return new ApiShape(layout, operations);
    }
}
