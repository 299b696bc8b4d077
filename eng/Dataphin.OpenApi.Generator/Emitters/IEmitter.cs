using Dataphin.OpenApi.Generator.CSharp;
using Dataphin.OpenApi.Generator.Model;

namespace Dataphin.OpenApi.Generator.Emitters;

/// <summary>Everything the emitters read: the parsed API model and the value-set definitions (already checked against it).</summary>
internal sealed record GeneratorInputs(ApiModel Api, IReadOnlyList<ValueSetModel> ValueSets)
{
    private ApiShape? _shape;

    /// <summary>The C# shape of the API (names, classes, client layout), decided once and shared by the model, context and client emitters.</summary>
    public ApiShape Shape => _shape ??= ApiShape.Create(Api);
}

/// <summary>One file an emitter produces.</summary>
/// <param name="RelativePath">The path from the repository root, with '/' separators.</param>
/// <param name="Content">The full text, with '\n' line endings.</param>
internal sealed record GeneratedFile(string RelativePath, string Content);

/// <summary>
/// Produces one kind of generated source from the shared inputs. Each kind (the operation catalog, the value sets, and
/// later the request and response models and client methods of every operation) is one emitter; adding a kind is
/// adding an emitter to <see cref="Generator.Emitters"/>. Emitters are pure: the same inputs give the same bytes.
/// </summary>
internal interface IEmitter
{
    /// <summary>What the emitter writes, for messages, e.g. "operation catalog".</summary>
    string Kind { get; }

    IEnumerable<GeneratedFile> Emit(GeneratorInputs inputs);
}
