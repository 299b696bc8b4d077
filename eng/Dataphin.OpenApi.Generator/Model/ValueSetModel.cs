namespace Dataphin.OpenApi.Generator.Model;

/// <summary>
/// One extensible value set (a <c>readonly struct</c> over the service's wire text with a static property per known
/// value), as <c>eng/value-sets.json</c> describes it.
/// </summary>
/// <param name="Name">The struct's name, e.g. <c>ReferenceType</c>.</param>
/// <param name="Namespace">Its namespace.</param>
/// <param name="Directory">The repository folder its <c>.g.cs</c> file goes to.</param>
/// <param name="Summary">The struct's summary (XML doc text).</param>
/// <param name="Remarks">The struct's remarks (XML doc text).</param>
/// <param name="ValuesFrom">Where the values are documented, for people.</param>
/// <param name="CheckedAgainst">The fields of <c>operations.json</c> the values must agree with.</param>
/// <param name="Values">The known values, in documentation order.</param>
internal sealed record ValueSetModel(
    string Name,
    string Namespace,
    string Directory,
    string Summary,
    string Remarks,
    string ValuesFrom,
    IReadOnlyList<FieldReference> CheckedAgainst,
    IReadOnlyList<ValueSetValue> Values);

/// <summary>One known value of a value set.</summary>
/// <param name="Wire">The text the service uses, e.g. <c>BY_GUID</c>.</param>
/// <param name="Property">The static property's name, e.g. <c>ByGuid</c>.</param>
/// <param name="Doc">What the value means (XML doc text); the generator adds "Wire text ...".</param>
internal sealed record ValueSetValue(string Wire, string Property, string Doc);

/// <summary>A field of one operation in <c>operations.json</c>, e.g. AddRegisterLineage, request, <c>AddRegisterLineageCommand.Source.Env</c>.</summary>
/// <param name="Operation">The operation's name.</param>
/// <param name="Part">Which list the field is in: <c>query</c>, <c>body</c>, <c>request</c> or <c>response</c>.</param>
/// <param name="Path">The dotted path of field names from the top of that list.</param>
internal sealed record FieldReference(string Operation, string Part, string Path)
{
    public override string ToString() => $"{Operation} {Part} {Path}";

    /// <summary>Finds the field, or returns <see langword="null"/>.</summary>
    public FieldModel? Resolve(ApiModel api)
    {
        var operation = api.Find(Operation);
        IReadOnlyList<FieldModel>? fields = Part switch
        {
            "query" => operation?.Query,
            "body" => operation?.Body,
            "request" => operation?.Request,
            "response" => operation?.Response,
            _ => null,
        };
        FieldModel? found = null;
        foreach (var name in Path.Split('.'))
        {
            found = fields?.FirstOrDefault(f => f.Name == name);
            if (found is null)
            {
                return null;
            }

            fields = found.Fields;
        }

        return found;
    }
}
