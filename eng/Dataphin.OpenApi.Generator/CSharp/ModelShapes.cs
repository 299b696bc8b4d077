using Dataphin.OpenApi.Generator.Model;

namespace Dataphin.OpenApi.Generator.CSharp;

/// <summary>Which side of a call a model is on: requests are built by users, responses are read by them.</summary>
internal enum ModelSide
{
    Request,
    Response,
}

/// <summary>How a top-level request parameter travels.</summary>
internal enum WireLocation
{
    /// <summary>Not a top-level request parameter (a nested field, or a response field).</summary>
    None,

    /// <summary>A query-string parameter, formatted invariantly.</summary>
    Query,

    /// <summary>A form field holding the value as compact JSON (<c>shrunkJson</c>).</summary>
    FormJson,

    /// <summary>A form field holding a scalar as text.</summary>
    FormText,
}

/// <summary>The C# type of a field.</summary>
/// <param name="Kind">The kind in <c>operations.json</c>.</param>
/// <param name="Syntax">The type as written for a value that is present, e.g. <c>long</c>, <c>global::System.Collections.Generic.IList&lt;string&gt;</c>.</param>
/// <param name="IsValueType">Whether <paramref name="Syntax"/> is a struct (so a property of it is <c>T?</c>).</param>
/// <param name="Class">The generated class of an object.</param>
/// <param name="Element">The element of an array, or the value of a map.</param>
/// <param name="Widened">Whether an <c>int32</c> became <c>long</c> because its documented example does not fit 32 bits.</param>
internal sealed record TypeShape(FieldKind Kind, string Syntax, bool IsValueType, ClassShape? Class, TypeShape? Element, bool Widened = false)
{
    /// <summary>The type of a property holding it: always nullable, since every field may be left unset.</summary>
    public string PropertySyntax => Syntax + "?";

    /// <summary>A name for the type's JSON metadata in a context, unique within one operation, e.g. <c>ListOfString</c>.</summary>
    public string MetadataName => Kind switch
    {
        FieldKind.Object when Class is not null => Class.Name,
        FieldKind.Array when Element is not null => "ListOf" + Element.MetadataName,
        FieldKind.Map when Element is not null => "MapOf" + Element.MetadataName,
        _ => Syntax[(Syntax.LastIndexOf('.') + 1)..].Replace("?", string.Empty, StringComparison.Ordinal) switch
        {
            "string" => "String",
            "long" => "Int64",
            "int" => "Int32",
            "bool" => "Boolean",
            "float" => "Single",
            "double" => "Double",
            var other => other,
        },
    };

    /// <summary>Whether a value of this type has fields to validate for required members somewhere inside.</summary>
    public bool HasRequiredInside => Kind switch
    {
        FieldKind.Object => Class?.HasRequiredInside ?? false,
        FieldKind.Array => Element!.HasRequiredInside,
        _ => false,
    };
}

/// <summary>A property of a generated class.</summary>
/// <param name="Field">The field of <c>operations.json</c> it stands for.</param>
/// <param name="Name">The C# name (the wire name, renamed only on a clash).</param>
/// <param name="Type">Its type.</param>
/// <param name="Location">How it travels, for a top-level request parameter.</param>
/// <param name="WirePath">Its dotted path from the request or response root, e.g. <c>ListQuery.PageSize</c>; array levels as <c>[]</c>.</param>
internal sealed record PropertyShape(FieldModel Field, string Name, TypeShape Type, WireLocation Location, string WirePath)
{
    public string WireName => Field.Name;

    public bool Required => Field.Required;
}

/// <summary>A generated class: a request, a response, or an object nested in one.</summary>
internal sealed class ClassShape
{
    private readonly List<PropertyShape> _properties = [];
    private readonly List<ClassShape> _nested = [];

    public ClassShape(string name, ClassShape? parent, ModelSide side, string ownerName, string ownerPath)
    {
        Name = name;
        Parent = parent;
        Side = side;
        OwnerName = ownerName;
        OwnerPath = ownerPath;
    }

    /// <summary>The simple name, e.g. <c>ListQueryObject</c>.</summary>
    public string Name { get; }

    /// <summary>The class it is nested in, or <see langword="null"/> for a request or response class.</summary>
    public ClassShape? Parent { get; }

    public ModelSide Side { get; }

    /// <summary>The C# name of the property it is the type of (empty for a request or response class).</summary>
    public string OwnerName { get; }

    /// <summary>The wire path of the field it is the type of, e.g. <c>ListQuery</c> (empty for a request or response class).</summary>
    public string OwnerPath { get; }

    /// <summary>The name with its namespace and enclosing classes, e.g. <c>global::Dataphin.OpenApi.Models.ListFilesRequest.ListQueryObject</c>.</summary>
    public string FullName => Parent is null ? OperationShape.ModelsNamespaceGlobal + "." + Name : Parent.FullName + "." + Name;

    /// <summary>The name as a <c>cref</c> inside the models namespace, e.g. <c>ListFilesRequest.ListQueryObject</c>.</summary>
    public string CrefName => Parent is null ? Name : Parent.CrefName + "." + Name;

    public IReadOnlyList<PropertyShape> Properties => _properties;

    public IReadOnlyList<ClassShape> Nested => _nested;

    /// <summary>Whether some field in it, at any depth, is required (so it has something to validate).</summary>
    public bool HasRequiredInside => _properties.Any(p => p.Required || p.Type.HasRequiredInside);

    public void Add(PropertyShape property) => _properties.Add(property);

    public void AddNested(ClassShape nested) => _nested.Add(nested);

    /// <summary>Every class nested in this one, at any depth, outer ones first.</summary>
    public IEnumerable<ClassShape> Descendants()
    {
        foreach (var nested in _nested)
        {
            yield return nested;
            foreach (var deeper in nested.Descendants())
            {
                yield return deeper;
            }
        }
    }
}
