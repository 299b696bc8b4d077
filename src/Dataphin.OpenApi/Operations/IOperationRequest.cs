namespace Dataphin.OpenApi.Operations;

/// <summary>
/// A generated request (or the adapter of a hand-written lineage command): it checks its required fields and writes its
/// parameters where the operation takes them. Implemented explicitly, so none of this shows on the public models.
/// </summary>
internal interface IOperationRequest
{
    /// <summary>Reports every missing required field to <paramref name="validator"/>.</summary>
    void Validate(OperationValidator validator);

    /// <summary>Adds the parameters that are set: scalars to the query, objects and arrays as JSON form fields.</summary>
    void Write(OperationWriter writer);
}
