namespace Dataphin.OpenApi.Operations;

/// <summary>A generated nested model with required fields inside, checked where it stands in its request.</summary>
internal interface IOperationModel
{
    /// <summary>Reports every missing required field, with paths under <paramref name="path"/> (wire names, e.g. <c>ListQuery.ProjectId</c>).</summary>
    void Validate(OperationValidator validator, string path);
}
