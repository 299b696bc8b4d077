namespace Dataphin.OpenApi.Testing.Operations;

/// <summary>One operation of the catalog: its throttling level, where each request parameter travels, and the request and response trees.</summary>
/// <param name="Name">The action name.</param>
/// <param name="Level">The throttling level, 1 to 3 (an undocumented level is 3).</param>
/// <param name="QueryNames">The parameters sent in the query string.</param>
/// <param name="JsonBodyNames">The form fields that carry JSON (<c>shrunkJson</c>).</param>
/// <param name="Request">The request parameters with their nested fields.</param>
/// <param name="Response">The response fields with their nested fields.</param>
internal sealed record CatalogOperation(
    string Name,
    int Level,
    IReadOnlySet<string> QueryNames,
    IReadOnlySet<string> JsonBodyNames,
    IReadOnlyList<CatalogField> Request,
    IReadOnlyList<CatalogField> Response);
