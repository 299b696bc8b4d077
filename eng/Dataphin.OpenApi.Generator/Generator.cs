using System.Text;
using Dataphin.OpenApi.Generator.Emitters;
using Dataphin.OpenApi.Generator.Model;

namespace Dataphin.OpenApi.Generator;

/// <summary>How a generated file on disk compares with what the generator makes now.</summary>
internal enum FileState
{
    UpToDate,
    Differs,
    Missing,

    /// <summary>A file this generator wrote once (it carries the marker line) that no emitter makes any more.</summary>
    NoLongerGenerated,
}

/// <summary>One generated file and its state on disk.</summary>
internal sealed record FileStatus(string RelativePath, FileState State, string? Content);

/// <summary>Loads the inputs once, runs every emitter over them, and compares or writes the results.</summary>
internal static class Generator
{
    public const string OperationsFile = "eng/operations.json";

    public const string ValueSetsFile = "eng/value-sets.json";

    /// <summary>Where generated files may live; files of this generator found here that no emitter makes are stale.</summary>
    public const string GeneratedRoot = "src";

    /// <summary>Every kind of generated source, in the order they run.</summary>
    public static IReadOnlyList<IEmitter> Emitters { get; } =
    [
        new OperationCatalogEmitter(),
        new ValueSetEmitter(),
        new RequestModelEmitter(),
        new ResponseModelEmitter(),
        new OperationJsonContextEmitter(),
        new OperationClientEmitter(),
        new ResponseMetadataEmitter(),
        new RefitInterfaceEmitter(),
    ];

    public static GeneratorInputs LoadInputs(string root)
    {
        var api = ApiModelReader.Read(ReadInput(root, OperationsFile), OperationsFile);
        var valueSets = ValueSetReader.Read(ReadInput(root, ValueSetsFile), ValueSetsFile, api);
        return new GeneratorInputs(api, valueSets);
    }

    /// <summary>Runs every emitter; the files come back ordered by path.</summary>
    public static IReadOnlyList<GeneratedFile> Generate(GeneratorInputs inputs)
    {
        var files = new SortedDictionary<string, GeneratedFile>(StringComparer.Ordinal);
        foreach (var emitter in Emitters)
        {
            foreach (var file in emitter.Emit(inputs))
            {
                if (!file.RelativePath.StartsWith(GeneratedRoot + "/", StringComparison.Ordinal))
                {
                    throw new GeneratorInputException($"The {emitter.Kind} would write {file.RelativePath}, which is outside {GeneratedRoot}/.");
                }

                if (!files.TryAdd(file.RelativePath, file))
                {
                    throw new GeneratorInputException($"Two generated files would be written to {file.RelativePath} (the second by the {emitter.Kind}).");
                }
            }
        }

        return [.. files.Values];
    }

    /// <summary>Compares the generated files with the repository, and finds the generator's files that nothing makes now.</summary>
    public static IReadOnlyList<FileStatus> Compare(string root, IReadOnlyList<GeneratedFile> files)
    {
        var statuses = new List<FileStatus>();
        foreach (var file in files)
        {
            var path = FullPath(root, file.RelativePath);
            var state = !File.Exists(path)
                ? FileState.Missing
                : Normalize(File.ReadAllText(path, Encoding.UTF8)) == file.Content ? FileState.UpToDate : FileState.Differs;
            statuses.Add(new FileStatus(file.RelativePath, state, file.Content));
        }

        var expected = files.Select(f => f.RelativePath).ToHashSet(StringComparer.Ordinal);
        foreach (var relative in FindGeneratorFiles(root))
        {
            if (!expected.Contains(relative))
            {
                statuses.Add(new FileStatus(relative, FileState.NoLongerGenerated, null));
            }
        }

        return statuses;
    }

    /// <summary>Writes what differs or is missing, deletes what is no longer generated, and leaves the rest untouched.</summary>
    public static void Apply(string root, IEnumerable<FileStatus> statuses)
    {
        foreach (var status in statuses)
        {
            var path = FullPath(root, status.RelativePath);
            switch (status.State)
            {
                case FileState.Differs:
                case FileState.Missing:
                    Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                    File.WriteAllText(path, status.Content, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
                    break;
                case FileState.NoLongerGenerated:
                    File.Delete(path);
                    break;
            }
        }
    }

    private static string ReadInput(string root, string relative)
    {
        var path = FullPath(root, relative);
        return File.Exists(path)
            ? File.ReadAllText(path, Encoding.UTF8)
            : throw new GeneratorInputException($"{relative} is missing (looked in {root}).");
    }

    /// <summary>The checked-in text as the generator would write it: a checkout with CRLF line endings is not stale.</summary>
    private static string Normalize(string text) => text.Replace("\r\n", "\n", StringComparison.Ordinal);

    private static IEnumerable<string> FindGeneratorFiles(string root)
    {
        var top = FullPath(root, GeneratedRoot);
        if (!Directory.Exists(top))
        {
            yield break;
        }

        var found = new List<string>();
        foreach (var path in Directory.EnumerateFiles(top, "*.g.cs", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(root, path).Replace('\\', '/');
            if (relative.Split('/').Any(part => part is "bin" or "obj"))
            {
                continue;
            }

            using var reader = new StreamReader(path, Encoding.UTF8);
            if (reader.ReadLine() == CodeWriter.AutoGeneratedLine && reader.ReadLine() is { } second
                && second.StartsWith(CodeWriter.GeneratorMarker, StringComparison.Ordinal))
            {
                found.Add(relative);
            }
        }

        found.Sort(StringComparer.Ordinal);
        foreach (var relative in found)
        {
            yield return relative;
        }
    }

    private static string FullPath(string root, string relative) => Path.Combine(root, relative.Replace('/', Path.DirectorySeparatorChar));
}
