using System.Globalization;
using Dataphin.OpenApi.Generator.Model;

namespace Dataphin.OpenApi.Generator.CSharp;

/// <summary>An operation whose request body is a hand-written command with its own rules (the lineage commands).</summary>
/// <param name="FormField">The form field the command travels in, e.g. <c>AddRegisterLineageCommand</c>.</param>
/// <param name="TypeName">The hand-written type, e.g. <c>global::Dataphin.OpenApi.AddRegisterLineageCommand</c>.</param>
internal sealed record HandWrittenCommand(string FormField, string TypeName);

/// <summary>
/// Everything the emitters need to write one operation in C#: its request class (with nested classes), its response
/// class, its JSON context, where its method lives, and the names, all decided once here so that every emitter agrees.
/// </summary>
internal sealed class OperationShape
{
    public const string ModelsNamespace = "Dataphin.OpenApi.Models";

    public const string ModelsNamespaceGlobal = "global::" + ModelsNamespace;

    public const string ClientsNamespace = "Dataphin.OpenApi.Clients";

    /// <summary>The tenant parameter every operation has; it is the method's <c>opTenantId</c> argument, not a request property.</summary>
    public const string TenantParameter = "OpTenantId";

    /// <summary>The operations whose commands are hand-written and keep their own types and rules.</summary>
    public static readonly IReadOnlyDictionary<string, HandWrittenCommand> HandWrittenCommands = new Dictionary<string, HandWrittenCommand>(StringComparer.Ordinal)
    {
        ["AddRegisterLineage"] = new("AddRegisterLineageCommand", "global::Dataphin.OpenApi.AddRegisterLineageCommand"),
        ["DeleteRegisterLineage"] = new("DeleteRegisterLineageCommand", "global::Dataphin.OpenApi.DeleteRegisterLineageCommand"),
    };

    /// <summary>
    /// Names a nested class must not take, because the operation's JSON context already has a member of that name (its
    /// own members, or the metadata of a framework type the models use).
    /// </summary>
    private static readonly HashSet<string> ReservedNames = new(StringComparer.Ordinal)
    {
        "Default", "Options", "GeneratedSerializerOptions", "GetTypeInfo", "JsonElement", "JsonNode", "JsonObject",
        "JsonArray", "JsonValue", "String", "Int32", "Int64", "Boolean", "Single", "Double", "Object",
    };

    private readonly HashSet<string> _classNames = new(ReservedNames, StringComparer.Ordinal);

    private OperationShape(OperationModel operation, ClientNode client, Placement placement)
    {
        Operation = operation;
        Client = client;
        Placement = placement;
        HandWritten = HandWrittenCommands.GetValueOrDefault(operation.Name);
        _classNames.Add(RequestName);
        _classNames.Add(ResponseName);
        _classNames.Add(ContextName);
    }

    public OperationModel Operation { get; }

    public string Name => Operation.Name;

    public ClientNode Client { get; }

    public Placement Placement { get; }

    /// <summary>The hand-written command the method takes instead of a generated request, or <see langword="null"/>.</summary>
    public HandWrittenCommand? HandWritten { get; }

    /// <summary>The generated request class, or <see langword="null"/> for an operation with a hand-written command.</summary>
    public ClassShape? Request { get; private set; }

    public ClassShape Response { get; private set; } = null!;

    public string RequestName => Name + "Request";

    public string ResponseName => Name + "Response";

    public string ContextName => Name + "JsonContext";

    public string MethodName => Name + "Async";

    /// <summary>Whether the request may be left out: it has no required parameter (the method then takes <c>request = null</c>).</summary>
    public bool RequestIsOptional => Request is not null && !Request.Properties.Any(p => p.Required);

    /// <summary>The types the JSON context lists (the rest it finds from these): the response, and each JSON form field's type.</summary>
    public IReadOnlyList<TypeShape> JsonRoots { get; private set; } = [];

    /// <summary>The wire paths of the required request fields, e.g. <c>ListQuery</c>, <c>ListQuery.ProjectId</c>, <c>MemberList[].UserId</c>.</summary>
    public IReadOnlyList<string> RequiredPaths => Request is null ? [] : RequiredIn(Request).ToList();

    /// <summary>Every class of the operation: request (if generated), response, and all nested ones.</summary>
    public IEnumerable<ClassShape> Classes
        => (Request is null ? [] : new[] { Request }.Concat(Request.Descendants())).Concat(new[] { Response }.Concat(Response.Descendants()));

    /// <summary>
    /// Every type the operation's JSON context gives metadata for besides scalars: the lists and maps sent as JSON form
    /// fields, the response and the classes nested in the request and the response, and every list and map type of their
    /// properties; each once, outer ones first.
    /// </summary>
    public IReadOnlyList<TypeShape> MetadataTypes()
    {
        var types = new List<TypeShape>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        void Add(TypeShape type)
        {
            if (type.Kind is FieldKind.Array or FieldKind.Map && type.Element is not null && seen.Add(type.Syntax))
            {
                types.Add(type);
                Add(type.Element);
            }
        }

        foreach (var root in JsonRoots)
        {
            Add(root);
        }

        foreach (var shape in Classes.Where(c => !ReferenceEquals(c, Request)))
        {
            if (seen.Add(shape.FullName))
            {
                types.Add(new TypeShape(FieldKind.Object, shape.FullName, false, shape, null));
            }

            foreach (var property in shape.Properties)
            {
                Add(property.Type);
            }
        }

        return types;
    }

    public static OperationShape Create(OperationModel operation, ClientNode client, Placement placement)
    {
        var shape = new OperationShape(operation, client, placement);
        var tenant = operation.Query.FirstOrDefault(f => f.Name == TenantParameter);
        if (tenant is null || tenant.Type.Kind != FieldKind.Int64 || !tenant.Required)
        {
            throw new GeneratorInputException($"eng/operations.json: operation '{operation.Name}' has no required int64 query parameter {TenantParameter}.");
        }

        var queue = new Queue<(ClassShape Class, IReadOnlyList<FieldModel> Fields)>();
        if (shape.HandWritten is { } command)
        {
            var others = operation.Request.Where(f => f.Name != TenantParameter).ToList();
            if (others.Count != 1 || others[0].Name != command.FormField || !operation.Body.Any(b => b.Name == command.FormField && b.ShrunkJson))
            {
                throw new GeneratorInputException(
                    $"eng/operations.json: operation '{operation.Name}' no longer has exactly the parameters its hand-written command stands for ({TenantParameter} and the JSON form field {command.FormField}).");
            }
        }
        else
        {
            shape.Request = new ClassShape(shape.RequestName, null, ModelSide.Request, string.Empty, string.Empty);
            queue.Enqueue((shape.Request, operation.Request.Where(f => f.Name != TenantParameter).ToList()));
            shape.Drain(queue, top: shape.Request);
        }

        shape.Response = new ClassShape(shape.ResponseName, null, ModelSide.Response, string.Empty, string.Empty);
        queue.Enqueue((shape.Response, operation.Response));
        shape.Drain(queue, top: null);

        var roots = new List<TypeShape> { new(FieldKind.Object, shape.Response.FullName, false, shape.Response, null) };
        if (shape.Request is not null)
        {
            foreach (var property in shape.Request.Properties.Where(p => p.Location == WireLocation.FormJson))
            {
                if (roots.All(r => r.MetadataName != property.Type.MetadataName))
                {
                    roots.Add(property.Type);
                }
            }
        }

        shape.JsonRoots = roots;
        return shape;
    }

    /// <summary>Fills the queued classes level by level, so that shallower classes get the shorter names.</summary>
    private void Drain(Queue<(ClassShape Class, IReadOnlyList<FieldModel> Fields)> queue, ClassShape? top)
    {
        while (queue.TryDequeue(out var next))
        {
            var (owner, fields) = next;
            var memberNames = new HashSet<string>(StringComparer.Ordinal);
            var names = new List<string>();
            foreach (var field in fields)
            {
                var name = CSharpNames.FirstFree(
                    CSharpNames.Member(field.Name) is var candidate && CSharpNames.IsUsableMember(candidate, owner.Name) ? candidate : candidate + CSharpNames.ClashSuffix,
                    n => CSharpNames.IsUsableMember(n, owner.Name) && !memberNames.Contains(n));
                memberNames.Add(name);
                names.Add(name);
            }

            for (var i = 0; i < fields.Count; i++)
            {
                var field = fields[i];
                var path = owner.OwnerPath.Length == 0 ? field.Name : owner.OwnerPath + "." + field.Name;
                var location = ReferenceEquals(owner, top) ? LocationOf(field) : WireLocation.None;
                var type = Map(field.Type, field, owner, names[i], path, memberNames, queue, topLevel: true);
                owner.Add(new PropertyShape(field, names[i], type, location, path));
            }
        }
    }

    private WireLocation LocationOf(FieldModel field)
    {
        if (Operation.Query.Any(q => q.Name == field.Name))
        {
            return IsScalar(field.Type.Kind)
                ? WireLocation.Query
                : throw new GeneratorInputException($"eng/operations.json: operation '{Name}' sends '{field.Name}' ({field.Type.Text}) in the query, where only scalars can go.");
        }

        var body = Operation.Body.FirstOrDefault(b => b.Name == field.Name)
            ?? throw new GeneratorInputException($"eng/operations.json: operation '{Name}' has the request parameter '{field.Name}' in neither its query nor its body.");
        if (body.ShrunkJson)
        {
            return WireLocation.FormJson;
        }

        return IsScalar(field.Type.Kind)
            ? WireLocation.FormText
            : throw new GeneratorInputException($"eng/operations.json: operation '{Name}' sends '{field.Name}' ({field.Type.Text}) in the body without shrunkJson; the generator only knows how to send objects and arrays as JSON.");
    }

    private static bool IsScalar(FieldKind kind) => kind is FieldKind.String or FieldKind.Int32 or FieldKind.Int64 or FieldKind.Boolean or FieldKind.Float or FieldKind.Double;

    private TypeShape Map(FieldType type, FieldModel field, ClassShape owner, string propertyName, string path, HashSet<string> ownerMembers, Queue<(ClassShape, IReadOnlyList<FieldModel>)> queue, bool topLevel)
    {
        var request = owner.Side == ModelSide.Request;
        switch (type.Kind)
        {
            case FieldKind.String:
                return new(type.Kind, "string", false, null, null);
            case FieldKind.Int32 when Overflows32(field.Example):
                return new(type.Kind, "long", true, null, null, Widened: true);
            case FieldKind.Int32:
                return new(type.Kind, "int", true, null, null);
            case FieldKind.Int64:
                return new(type.Kind, "long", true, null, null);
            case FieldKind.Boolean:
                return new(type.Kind, "bool", true, null, null);
            case FieldKind.Float:
                return new(type.Kind, "float", true, null, null);
            case FieldKind.Double:
                return new(type.Kind, "double", true, null, null);
            case FieldKind.Object when field.Fields.Count > 0:
                var suffix = topLevel ? "Object" : "Item";
                var nested = new ClassShape(NestedName(owner, propertyName + suffix, ownerMembers), owner, owner.Side, propertyName, path);
                owner.AddNested(nested);
                queue.Enqueue((nested, field.Fields));
                return new(type.Kind, nested.FullName, false, nested, null);
            case FieldKind.Object when request:
                return new(type.Kind, "global::System.Text.Json.Nodes.JsonObject", false, null, null);
            case FieldKind.Any when request:
                return new(type.Kind, "global::System.Text.Json.Nodes.JsonNode", false, null, null);
            case FieldKind.Any or FieldKind.Object:
                return new(type.Kind, "global::System.Text.Json.JsonElement", true, null, null);
            case FieldKind.Array:
                var element = Map(type.Element!, field, owner, propertyName, path, ownerMembers, queue, topLevel: false);
                var elementSyntax = element.Syntax + (request && element.Kind == FieldKind.Any ? "?" : string.Empty);
                return new(type.Kind, $"global::System.Collections.Generic.{(request ? "IList" : "IReadOnlyList")}<{elementSyntax}>", false, null, element with { Syntax = elementSyntax });
            case FieldKind.Map when request && type.Element!.Kind == FieldKind.Any:
                return new(type.Kind, "global::System.Text.Json.Nodes.JsonObject", false, null, null);
            case FieldKind.Map:
                var value = Map(type.Element!, field with { Fields = [] }, owner, propertyName, path, ownerMembers, queue, topLevel: false);
                return new(type.Kind, $"global::System.Collections.Generic.{(request ? "IDictionary" : "IReadOnlyDictionary")}<string, {value.Syntax}>", false, null, value);
            default:
                throw new GeneratorInputException($"eng/operations.json: operation '{Name}' field '{path}' has the type '{type.Text}', which the model emitters do not map.");
        }
    }

    /// <summary>
    /// A unique name for a nested class: the candidate (<c>DataObject</c>, <c>AssetListItem</c>); on a clash within the
    /// operation, prefixed with its parent's property name (<c>PageResultDataObject</c>); then numbered.
    /// </summary>
    private string NestedName(ClassShape owner, string candidate, HashSet<string> ownerMembers)
    {
        bool Free(string name) => !_classNames.Contains(name) && name != owner.Name && !ownerMembers.Contains(name) && !CSharpNames.IsKeyword(name);
        var name = Free(candidate) || owner.OwnerName.Length == 0
            ? CSharpNames.FirstFree(candidate, Free)
            : CSharpNames.FirstFree(owner.OwnerName + candidate, Free);
        _classNames.Add(name);
        return name;
    }

    private static bool Overflows32(string? example)
        => long.TryParse(example, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value) && value is < int.MinValue or > int.MaxValue;

    private static IEnumerable<string> RequiredIn(ClassShape shape)
    {
        foreach (var property in shape.Properties)
        {
            if (property.Required)
            {
                yield return property.WirePath;
            }

            var inner = property.Type.Kind == FieldKind.Array ? property.Type.Element : property.Type;
            if (inner?.Class is { } nested)
            {
                foreach (var path in RequiredIn(nested))
                {
                    yield return property.Type.Kind == FieldKind.Array ? path.Insert(property.WirePath.Length, "[]") : path;
                }
            }
        }
    }
}
