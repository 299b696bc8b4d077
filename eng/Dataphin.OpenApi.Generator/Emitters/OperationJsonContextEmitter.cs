using Dataphin.OpenApi.Generator.CSharp;
using Dataphin.OpenApi.Generator.Model;

namespace Dataphin.OpenApi.Generator.Emitters;

/// <summary>
/// Writes one <c>JsonSerializerContext</c> per operation (<c>&lt;Operation&gt;JsonContext</c>, in
/// <c>&lt;Client&gt;.Json.g.cs</c> per client): the System.Text.Json metadata of its response and of its request's JSON
/// form fields, made with <c>JsonMetadataServices</c> (the API System.Text.Json's source generator emits calls to) through
/// the small helper <c>OperationJsonMetadata</c>, one line per property and no reflection.
/// </summary>
/// <remarks>
/// Not System.Text.Json's own generator: for these ~1,750 classes and ~8,400 properties it emits ~390,000 lines per
/// target framework, with a reflection-based attribute provider per property that the trimming analyzer then spends
/// minutes on, and a 10 MB assembly. One context per operation, because a context roots the metadata of every type it
/// knows: a trimmed app keeps the models of the operations it calls and no others.
/// </remarks>
internal sealed class OperationJsonContextEmitter : IEmitter
{
    private const string Metadata = "global::System.Text.Json.Serialization.Metadata";

    private const string Options = "global::System.Text.Json.JsonSerializerOptions";

    public string Kind => "JSON contexts";

    public IEnumerable<GeneratedFile> Emit(GeneratorInputs inputs)
    {
        var api = inputs.Shape;
        foreach (var leaf in api.Layout.Leaves)
        {
            var code = new CodeWriter("eng/operations.json");
            code.Line("// Deprecated fields are still read and written.")
                .Line("#pragma warning disable CS0618")
                .Line()
                .Line("using M = global::Dataphin.OpenApi.Operations.OperationJsonMetadata;")
                .Line()
                .Line($"namespace {OperationShape.ModelsNamespace};");
            foreach (var operation in api.OperationsOf(leaf))
            {
                code.Line();
                Context(code, operation);
            }

            yield return new GeneratedFile(ApiShape.FileOf(leaf, "Json"), code.ToString());
        }
    }

    private static void Context(CodeWriter code, OperationShape operation)
    {
        var name = operation.ContextName;
        code.Line($"/// <summary>The JSON metadata of <c>{operation.Name}</c>'s models (no reflection; trimming and Native AOT safe).</summary>")
            .Line($"internal sealed class {name} : global::System.Text.Json.Serialization.JsonSerializerContext, {Metadata}.IJsonTypeInfoResolver")
            .Block(() =>
            {
                code.Line($"private static readonly {Options} Defaults = M.CreateDefaults();");
                foreach (var root in operation.JsonRoots)
                {
                    code.Line($"private {Metadata}.JsonTypeInfo<{root.Syntax}>? _{root.MetadataName};");
                }

                code.Line()
                    .Line($"public {name}({Options} options)")
                    .Indented(() => code.Line(": base(options)"))
                    .Block(() => { })
                    .Line()
                    .Line($"public static {name} Default {{ get; }} = new(new {Options}(Defaults));")
                    .Line()
                    .Line($"protected override {Options}? GeneratedSerializerOptions => Defaults;");
                foreach (var root in operation.JsonRoots)
                {
                    code.Line()
                        .Line($"public {Metadata}.JsonTypeInfo<{root.Syntax}> {root.MetadataName}")
                        .Indented(() => code.Line($"=> _{root.MetadataName} ??= ({Metadata}.JsonTypeInfo<{root.Syntax}>)Options.GetTypeInfo(typeof({root.Syntax}));"));
                }

                code.Line()
                    .Line($"public override {Metadata}.JsonTypeInfo? GetTypeInfo(global::System.Type type)")
                    .Indented(() => code.Line("=> Options.TryGetTypeInfo(type, out var info) ? info : null;"))
                    .Line()
                    .Line($"{Metadata}.JsonTypeInfo? {Metadata}.IJsonTypeInfoResolver.GetTypeInfo(global::System.Type type, {Options} options)")
                    .Block(() =>
                    {
                        foreach (var type in operation.MetadataTypes())
                        {
                            code.Line($"if (type == typeof({type.Syntax}))").Block(() => Create(code, type));
                            code.Line();
                        }

                        code.Line("return M.Scalar(type, options, this);");
                    });
            });
    }

    private static void Create(CodeWriter code, TypeShape type)
    {
        if (type.Class is { } shape)
        {
            code.Line($"return M.Object(options, this, static () => new {shape.FullName}(), static o =>")
                .Line("[")
                .Indented(() =>
                {
                    foreach (var property in shape.Properties)
                    {
                        code.Line($"M.Property<{shape.FullName}, {property.Type.PropertySyntax}>(o, {CodeWriter.Literal(property.Name)}, {CodeWriter.Literal(property.WireName)}, "
                            + $"static x => x.{property.Name}, static (x, v) => x.{property.Name} = v),");
                    }
                })
                .Line("]);");
            return;
        }

        var element = type.Element!.Syntax;
        var helper = type.Syntax switch
        {
            var s when s.StartsWith("global::System.Collections.Generic.IList<", StringComparison.Ordinal) => "List",
            var s when s.StartsWith("global::System.Collections.Generic.IReadOnlyList<", StringComparison.Ordinal) => "ReadOnlyList",
            var s when s.StartsWith("global::System.Collections.Generic.IDictionary<", StringComparison.Ordinal) => "Dictionary",
            var s when s.StartsWith("global::System.Collections.Generic.IReadOnlyDictionary<", StringComparison.Ordinal) => "ReadOnlyDictionary",
            _ => throw new InvalidOperationException($"No JSON metadata helper for {type.Syntax}."),
        };
        code.Line($"return M.{helper}<{element}>(options, this);");
    }
}
