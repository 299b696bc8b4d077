namespace Dataphin.OpenApi.Tests.Throttling;

/// <summary>Finds the repository root and the shared reference folder by walking up from the test's output directory.</summary>
internal static class RepositoryPaths
{
    public static string Root => FindUp(dir => File.Exists(Path.Combine(dir, "Dataphin.OpenApi.sln")))
        ?? throw new DirectoryNotFoundException($"No Dataphin.OpenApi.sln above {AppContext.BaseDirectory}.");

    /// <summary>The <c>shared/reference</c> folder beside (or above) the clone, or <see langword="null"/> when absent.</summary>
    public static string? SharedReference
    {
        get
        {
            var dir = FindUp(d => File.Exists(Path.Combine(d, "shared", "reference", "operations.json")));
            return dir is null ? null : Path.Combine(dir, "shared", "reference");
        }
    }

    private static string? FindUp(Func<string, bool> match)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (match(dir.FullName))
            {
                return dir.FullName;
            }
        }

        return null;
    }
}
