namespace Dataphin.OpenApi.Cli.Tests;

/// <summary>
/// A throw-away home folder and environment for the tool: profiles, credentials files and variables live here,
/// never in the real HOME or process environment. Every run is checked for the secrets registered with it.
/// </summary>
internal sealed class CliHome : IDisposable
{
    private readonly List<string> _secrets = [CliRun.Secret];

    public CliHome()
    {
        Home = Path.Combine(Path.GetTempPath(), "dataphin-cli-home-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Home);
    }

    public string Home { get; }

    public Dictionary<string, string> Variables { get; } = new(StringComparer.Ordinal);

    public string ProfileFile => PathOf(".dataphin/config.json");

    public string PathOf(string relative) => Path.Combine(Home, relative);

    /// <summary>Marks values no output may contain.</summary>
    public void Secret(params string[] secrets) => _secrets.AddRange(secrets);

    public string Write(string relative, string text, UnixFileMode mode = UnixFileMode.UserRead | UnixFileMode.UserWrite)
    {
        var path = PathOf(relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, mode);
        }

        return path;
    }

    public async Task<CliRun> RunAsync(params string[] args) => await RunWithInputAsync(null, args);

    public async Task<CliRun> RunWithInputAsync(string? input, params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var environment = new CliEnvironment
        {
            GetVariable = name => Variables.TryGetValue(name, out var value) ? value : null,
            HomeDirectory = Home,
            Input = input is null ? null : new StringReader(input),
            Interactive = false,
        };
        var code = await CliApp.RunAsync(args, stdout, stderr, environment);
        var run = new CliRun(code, stdout.ToString(), stderr.ToString());
        foreach (var secret in _secrets)
        {
            Assert.DoesNotContain(secret, run.Stdout + run.Stderr, StringComparison.Ordinal);
        }

        return run;
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Home, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
