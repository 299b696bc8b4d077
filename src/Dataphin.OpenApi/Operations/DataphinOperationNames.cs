namespace Dataphin.OpenApi;

/// <summary>Names of the operations this package has typed models for.</summary>
public static class DataphinOperationNames
{
    /// <summary><c>AddRegisterLineage</c>: register table and field lineage.</summary>
    public const string AddRegisterLineage = "AddRegisterLineage";

    /// <summary><c>DeleteRegisterLineage</c>: delete lineage registered through the OpenAPI.</summary>
    public const string DeleteRegisterLineage = "DeleteRegisterLineage";
}
