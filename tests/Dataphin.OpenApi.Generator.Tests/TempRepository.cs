using System.Text.Json.Nodes;

namespace Dataphin.OpenApi.Generator.Tests;

/// <summary>
/// A throw-away repository folder holding copies of the real eng/operations.json and eng/value-sets.json (optionally
/// edited) and an empty src/, for running the generator without touching the real repository.
/// </summary>
internal sealed class TempRepository : IDisposable
{
    public static readonly string RealRoot = FindRealRoot();

    private TempRepository(string root) => Root = root;

    public string Root { get; }

    public static TempRepository Create(Action<JsonNode>? editOperations = null, Action<JsonNode>? editValueSets = null)
    {
        var root = Path.Combine(Path.GetTempPath(), "dataphin-generator-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path.Combine(root, "eng"));
        Directory.CreateDirectory(Path.Combine(root, "src"));
        var repository = new TempRepository(root);
        repository.CopyInput("eng/operations.json", editOperations);
        repository.CopyInput("eng/value-sets.json", editValueSets);
        return repository;
    }

    /// <summary>Runs the generator's command line against this folder.</summary>
    public (int ExitCode, string Output, string Error) Run(params string[] args)
        => RunIn(Root, args);

    public static (int ExitCode, string Output, string Error) RunIn(string root, params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var exitCode = GeneratorCli.Run([.. args, "--root", root], output, error, root);
        return (exitCode, output.ToString(), error.ToString());
    }

    public string PathOf(string relative) => Path.Combine(Root, relative.Replace('/', Path.DirectorySeparatorChar));

    /// <summary>Every file under src/ with its bytes, keyed by its path from the root.</summary>
    public SortedDictionary<string, byte[]> Snapshot()
    {
        var files = new SortedDictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (var path in Directory.EnumerateFiles(Path.Combine(Root, "src"), "*", SearchOption.AllDirectories))
        {
            files[Path.GetRelativePath(Root, path).Replace('\\', '/')] = File.ReadAllBytes(path);
        }

        return files;
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp folder is harmless.
        }
    }

    private void CopyInput(string relative, Action<JsonNode>? edit)
    {
        var text = File.ReadAllText(Path.Combine(RealRoot, relative));
        if (edit is not null)
        {
            var node = JsonNode.Parse(text)!;
            edit(node);
            text = node.ToJsonString();
        }

        File.WriteAllText(PathOf(relative), text);
    }

    private static string FindRealRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Dataphin.OpenApi.sln")))
            {
                return dir.FullName;
            }
        }

        throw new DirectoryNotFoundException($"No Dataphin.OpenApi.sln above {AppContext.BaseDirectory}.");
    }
}
