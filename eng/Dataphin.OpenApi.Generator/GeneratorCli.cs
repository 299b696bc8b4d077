using Dataphin.OpenApi.Generator.Emitters;

namespace Dataphin.OpenApi.Generator;

/// <summary>The command line: arguments, the repository folder, messages and exit codes.</summary>
internal static class GeneratorCli
{
    /// <summary>Everything was written, or (with --check) everything is up to date.</summary>
    public const int Success = 0;

    /// <summary>With --check: at least one generated file is out of date.</summary>
    public const int Stale = 1;

    /// <summary>Bad arguments, or an input the generator cannot use; nothing was written.</summary>
    public const int Failed = 2;

    private const string Usage =
        $"""
        Usage: {CodeWriter.RegenerateCommand} [-- [--check] [--root <folder>]]

        Writes the generated sources of the SDK (the operation catalog and the value sets) from eng/operations.json
        and eng/value-sets.json.

          --check          write nothing; list the generated files that are out of date and exit with 1 if any are
          --root <folder>  the repository folder (by default the one holding the current folder)
          --help           show this text
        """;

    public static int Run(IReadOnlyList<string> args, TextWriter output, TextWriter error, string currentDirectory)
    {
        var check = false;
        string? root = null;
        for (var i = 0; i < args.Count; i++)
        {
            switch (args[i])
            {
                case "--check":
                    check = true;
                    break;
                case "--root" when i + 1 < args.Count:
                    root = Path.GetFullPath(args[++i], currentDirectory);
                    break;
                case "--root":
                    error.WriteLine("--root needs a folder after it.");
                    error.WriteLine(Usage);
                    return Failed;
                case "--help" or "-h":
                    output.WriteLine(Usage);
                    return Success;
                default:
                    error.WriteLine($"Unknown option '{args[i]}'.");
                    error.WriteLine(Usage);
                    return Failed;
            }
        }

        root ??= FindRoot(currentDirectory) ?? FindRoot(AppContext.BaseDirectory);
        if (root is null || !Directory.Exists(root))
        {
            error.WriteLine($"Could not find the repository (a folder with {Generator.OperationsFile}) above {currentDirectory}; run from inside it or pass --root.");
            return Failed;
        }

        IReadOnlyList<FileStatus> statuses;
        try
        {
            statuses = Generator.Compare(root, Generator.Generate(Generator.LoadInputs(root)));
        }
        catch (GeneratorInputException e)
        {
            error.WriteLine(e.Message);
            error.WriteLine("Nothing was written.");
            return Failed;
        }

        var stale = statuses.Where(s => s.State != FileState.UpToDate).ToList();
        if (check)
        {
            if (stale.Count == 0)
            {
                output.WriteLine($"All {statuses.Count} generated files are up to date.");
                return Success;
            }

            error.WriteLine($"{Count(stale.Count, "generated file is", "generated files are")} out of date:");
            foreach (var status in stale)
            {
                error.WriteLine($"  {status.RelativePath} ({Describe(status.State)})");
            }

            error.WriteLine($"Run `{CodeWriter.RegenerateCommand}` and commit the result.");
            return Stale;
        }

        Generator.Apply(root, stale);
        foreach (var status in stale)
        {
            output.WriteLine($"{(status.State == FileState.NoLongerGenerated ? "deleted" : "wrote")} {status.RelativePath}");
        }

        output.WriteLine(stale.Count == 0
            ? $"All {statuses.Count} generated files were already up to date."
            : $"{Count(stale.Count, "file", "files")} changed, {statuses.Count - stale.Count} already up to date.");
        return Success;
    }

    private static string Describe(FileState state) => state switch
    {
        FileState.Differs => "differs from what the generator makes",
        FileState.Missing => "missing",
        FileState.NoLongerGenerated => "no longer generated: delete it",
        _ => "up to date",
    };

    private static string Count(int count, string one, string many) => count == 1 ? $"1 {one}" : $"{count} {many}";

    private static string? FindRoot(string start)
    {
        for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "eng", "operations.json")) && Directory.Exists(Path.Combine(dir.FullName, "src")))
            {
                return dir.FullName;
            }
        }

        return null;
    }
}
