using Dataphin.OpenApi.Generator.CSharp;
using Dataphin.OpenApi.Generator.Model;

namespace Dataphin.OpenApi.Generator.Emitters;

/// <summary>
/// Writes a model class with its nested classes: a property per field (wire name through <c>JsonPropertyName</c>),
/// and, where some field inside is required, the validation that finds every missing one before anything is sent.
/// </summary>
internal static class ModelClassWriter
{
    public const string Header = "// Generated models are plain data; deprecated fields stay settable and are still sent.";

    private const string Operations = "global::Dataphin.OpenApi.Operations";

    /// <summary>Starts a models file: the usual header, the warning pragma for deprecated members, the namespace.</summary>
    public static CodeWriter Start()
    {
        var code = new CodeWriter("eng/operations.json");
        code.Line(Header)
            .Line("#pragma warning disable CS0618")
            .Line()
            .Line($"namespace {OperationShape.ModelsNamespace};")
            .Line();
        return code;
    }

    /// <param name="code">Where to write.</param>
    /// <param name="shape">The class.</param>
    /// <param name="summary">Its doc summary.</param>
    /// <param name="topRequest">For a request class: what its validation and wire writing need; otherwise <see langword="null"/>.</param>
    public static void Write(CodeWriter code, ClassShape shape, string summary, OperationShape? topRequest)
    {
        var validates = topRequest is null && shape.HasRequiredInside;
        var bases = topRequest is not null ? $" : {Operations}.IOperationRequest" : validates ? $" : {Operations}.IOperationModel" : string.Empty;
        code.DocBlock("summary", summary)
            .Line($"public sealed class {shape.Name}{bases}")
            .Block(() =>
            {
                var first = true;
                foreach (var property in shape.Properties)
                {
                    if (!first)
                    {
                        code.Line();
                    }

                    first = false;
                    code.DocBlock("summary", OperationDocs.Property(property, shape.Side));
                    if (property.Field.Deprecated)
                    {
                        code.Line("[global::System.Obsolete(\"Deprecated in the Dataphin OpenAPI documentation.\")]");
                    }

                    code.Line($"[global::System.Text.Json.Serialization.JsonPropertyName({CodeWriter.Literal(property.WireName)})]")
                        .Line($"public {property.Type.PropertySyntax} {property.Name} {{ get; set; }}");
                }

                if (topRequest is not null)
                {
                    WriteRequestMembers(code, shape, topRequest, first);
                }
                else if (validates)
                {
                    if (!first)
                    {
                        code.Line();
                    }

                    code.Line($"void {Operations}.IOperationModel.Validate({Operations}.OperationValidator validator, string path)")
                        .Block(() => WriteChecks(code, shape, "path"));
                }

                foreach (var nested in shape.Nested)
                {
                    code.Line();
                    Write(code, nested, NestedSummary(nested), topRequest: null);
                }
            });
    }

    private static void WriteRequestMembers(CodeWriter code, ClassShape shape, OperationShape operation, bool empty)
    {
        if (!empty)
        {
            code.Line();
        }

        code.Line($"void {Operations}.IOperationRequest.Validate({Operations}.OperationValidator validator)")
            .Block(() => WriteChecks(code, shape, "null"))
            .Line()
            .Line($"void {Operations}.IOperationRequest.Write({Operations}.OperationWriter writer)")
            .Block(() =>
            {
                foreach (var property in shape.Properties)
                {
                    var name = CodeWriter.Literal(property.WireName);
                    code.Line(property.Location switch
                    {
                        WireLocation.Query => $"writer.Query({name}, {property.Name});",
                        WireLocation.FormText => $"writer.Form({name}, {property.Name});",
                        WireLocation.FormJson => $"writer.Json({name}, {property.Name}, {OperationShape.ModelsNamespaceGlobal}.{operation.ContextName}.Default.{property.Type.MetadataName});",
                        _ => throw new InvalidOperationException($"{operation.Name}: top-level property {property.Name} has no wire location."),
                    });
                }
            });
    }

    /// <summary>One check per field that is required or holds required fields; the messages use wire names.</summary>
    private static void WriteChecks(CodeWriter code, ClassShape shape, string path)
    {
        foreach (var property in shape.Properties)
        {
            var name = CodeWriter.Literal(property.WireName);
            if (property.Required)
            {
                code.Line($"validator.Required({property.Name}, {path}, {name});");
            }

            if (property.Type.Kind == FieldKind.Object && property.Type.HasRequiredInside)
            {
                code.Line($"validator.Check({property.Name}, {path}, {name});");
            }
            else if (property.Type.Kind == FieldKind.Array && property.Type.Element!.Kind == FieldKind.Object && property.Type.HasRequiredInside)
            {
                code.Line($"validator.CheckItems({property.Name}, {path}, {name});");
            }
            else if (property.Type.HasRequiredInside)
            {
                throw new InvalidOperationException($"{shape.Name}.{property.Name}: required fields nested in a {property.Field.Type.Text} are not validated by the generator.");
            }
        }
    }

    private static string NestedSummary(ClassShape nested)
    {
        var top = nested;
        while (top.Parent is not null)
        {
            top = top.Parent;
        }

        var owner = nested.Parent!.Properties.First(p => ReferenceEquals(p.Type.Class, nested) || ReferenceEquals(p.Type.Element?.Class, nested));
        var what = owner.Type.Kind == FieldKind.Array ? "An item of" : "The object of";
        return $"{what} <c>{OperationDocs.X(nested.OwnerPath)}</c> in <see cref=\"{top.CrefName}\"/>.";
    }
}
