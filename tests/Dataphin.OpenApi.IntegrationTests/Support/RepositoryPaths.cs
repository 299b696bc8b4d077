namespace Dataphin.OpenApi.IntegrationTests.Support;

/// <summary>Finds the repository root (the folder with Dataphin.OpenApi.sln) from the test output folder.</summary>
internal static class RepositoryPaths
{
    public static string Root { get; } = FindRoot();

    /// <summary>True on CI (the CI variable is set), where optional inputs must be present.</summary>
    public static bool OnCi => !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("CI"));

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Dataphin.OpenApi.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("The repository root (Dataphin.OpenApi.sln) was not found above " + AppContext.BaseDirectory);
    }
}
