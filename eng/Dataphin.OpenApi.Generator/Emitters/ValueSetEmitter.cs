using Dataphin.OpenApi.Generator.Model;

namespace Dataphin.OpenApi.Generator.Emitters;

/// <summary>
/// Writes one <c>&lt;Name&gt;.g.cs</c> per value set of <c>eng/value-sets.json</c>: an extensible <c>readonly partial
/// struct</c> over the wire text (a static property per known value, <c>KnownValues</c>, <c>IsKnown</c>, ordinal
/// equality, an implicit conversion from <see cref="string"/>) and its JSON converter. Members that only one set needs
/// go in a hand-written partial part beside the generated file.
/// </summary>
internal sealed class ValueSetEmitter : IEmitter
{
    public string Kind => "value sets";

    public IEnumerable<GeneratedFile> Emit(GeneratorInputs inputs)
        => inputs.ValueSets.Select(set => new GeneratedFile($"{set.Directory}/{set.Name}.g.cs", Emit(set)));

    private static string Emit(ValueSetModel set)
    {
        var name = set.Name;
        var code = new CodeWriter("eng/value-sets.json (values checked against eng/operations.json)");
        code.Line("using System;")
            .Line("using System.Collections.Generic;")
            .Line("using System.ComponentModel;")
            .Line("using System.Text.Json.Serialization;")
            .Line("using Dataphin.OpenApi.Serialization;")
            .Line()
            .Line($"namespace {set.Namespace};")
            .Line()
            .DocBlock("summary", set.Summary)
            .DocBlock("remarks", set.Remarks)
            .Line("[JsonConverter(typeof(DataphinValueSetJsonConverter))]")
            .Line($"public readonly partial struct {name} : IEquatable<{name}>")
            .Block(() =>
            {
                code.Line("private readonly string? _value;")
                    .Line()
                    .DocLine("summary", "Creates a value from its wire text.")
                    .Line($"/// <param name=\"value\">The text the service uses, for example <c>{CodeWriter.XmlText(set.Values[0].Wire)}</c>.</param>")
                    .Line("/// <exception cref=\"ArgumentNullException\"><paramref name=\"value\"/> is <see langword=\"null\"/>.</exception>")
                    .Line($"public {name}(string value)")
                    .Block(() => code.Line("_value = value ?? throw new ArgumentNullException(nameof(value));"))
                    .Line();
                foreach (var value in set.Values)
                {
                    code.DocLine("summary", $"{value.Doc} Wire text <c>{CodeWriter.XmlText(value.Wire)}</c>.")
                        .Line($"public static {name} {value.Property} {{ get; }} = new({CodeWriter.Literal(value.Wire)});")
                        .Line();
                }

                code.DocLine("summary", "Every value documented by the service, in documentation order.")
                    .Line($"public static IReadOnlyList<{name}> KnownValues {{ get; }} = new[] {{ {string.Join(", ", set.Values.Select(v => v.Property))} }};")
                    .Line()
                    .DocLine("summary", "<see langword=\"true\"/> for the default value, which means \"not set\".")
                    .Line("[EditorBrowsable(EditorBrowsableState.Never)]")
                    .Line("public bool IsDefault => _value is null;")
                    .Line()
                    .DocLine("summary", "<see langword=\"true\"/> when this is one of <see cref=\"KnownValues\"/>.")
                    .Line("public bool IsKnown")
                    .Block(() => code
                        .Line("get")
                        .Block(() => code
                            .Line("foreach (var known in KnownValues)")
                            .Block(() => code
                                .Line("if (Equals(known))")
                                .Block(() => code.Line("return true;")))
                            .Line()
                            .Line("return false;")))
                    .Line()
                    .DocLine("summary", "Compares two values ordinally.")
                    .Line($"public static bool operator ==({name} left, {name} right) => left.Equals(right);")
                    .Line()
                    .DocLine("summary", "Compares two values ordinally.")
                    .Line($"public static bool operator !=({name} left, {name} right) => !left.Equals(right);")
                    .Line()
                    .DocLine("summary", "Converts wire text to a value.")
                    .Line("/// <param name=\"value\">The wire text.</param>")
                    .Line($"public static implicit operator {name}(string value) => new(value);")
                    .Line()
                    .Line("/// <inheritdoc />")
                    .Line($"public bool Equals({name} other) => string.Equals(_value, other._value, StringComparison.Ordinal);")
                    .Line()
                    .Line("/// <inheritdoc />")
                    .Line($"public override bool Equals(object? obj) => obj is {name} other && Equals(other);")
                    .Line()
                    .Line("/// <inheritdoc />")
                    .Line("public override int GetHashCode() => _value is null ? 0 : StringComparer.Ordinal.GetHashCode(_value);")
                    .Line()
                    .DocLine("summary", "Returns the wire text, or an empty string for the default value.")
                    .Line("public override string ToString() => _value ?? string.Empty;")
                    .Line()
                    .Line("internal string? Value => _value;");
            })
            .Line()
            .DocLine("summary", $"Reads and writes <see cref=\"{name}\"/> as a JSON string.")
            .Line($"internal sealed class {name}JsonConverter : ExtensibleStringJsonConverter<{name}>")
            .Block(() => code
                .DocLine("summary", "Creates the converter.")
                .Line($"public {name}JsonConverter()")
                .Indented(() => code.Line($": base(static text => new {name}(text), static value => value.Value)"))
                .Block(() => { }));
        return code.ToString();
    }
}
