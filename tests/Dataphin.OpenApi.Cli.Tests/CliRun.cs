namespace Dataphin.OpenApi.Cli.Tests;

internal sealed record CliRun(int ExitCode, string Stdout, string Stderr)
{
    public const string Secret = "test-secret-never-shown";

    public static async Task<CliRun> RunAsync(FakeDataphinHandler? handler, params string[] args)
        => await RunAsync(handler, Variables(), args);

    public static async Task<CliRun> RunAsync(FakeDataphinHandler? handler, Dictionary<string, string> variables, params string[] args)
        => await RunAsync((HttpMessageHandler?)handler, variables, args);

    /// <summary>
    /// Runs the tool in process. Unless the variables name one, the run's default journal folder
    /// ($XDG_STATE_HOME) is a new temporary folder, deleted afterwards, so runs never share journals by accident.
    /// </summary>
    public static async Task<CliRun> RunAsync(HttpMessageHandler? handler, Dictionary<string, string> variables, params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        string? stateHome = null;
        if (!variables.ContainsKey("XDG_STATE_HOME"))
        {
            stateHome = Directory.CreateTempSubdirectory("dataphin-cli-state-").FullName;
            variables = new Dictionary<string, string>(variables) { ["XDG_STATE_HOME"] = stateHome };
        }

        var environment = new CliEnvironment
        {
            GetVariable = name => variables.TryGetValue(name, out var value) ? value : null,
            HttpHandler = handler,
            Interactive = false,
        };
        try
        {
            var code = await CliApp.RunAsync(args, stdout, stderr, environment);
            var run = new CliRun(code, stdout.ToString(), stderr.ToString());
            Assert.DoesNotContain(Secret, run.Stdout + run.Stderr);
            return run;
        }
        finally
        {
            if (stateHome is not null)
            {
                Directory.Delete(stateHome, recursive: true);
            }
        }
    }

    public static Dictionary<string, string> Variables() => new()
    {
        ["ALIBABA_CLOUD_ACCESS_KEY_ID"] = "test-id",
        ["ALIBABA_CLOUD_ACCESS_KEY_SECRET"] = Secret,
        ["DATAPHIN_ENDPOINT"] = "http://127.0.0.1:9",
        ["DATAPHIN_TENANT_ID"] = "300001234",
    };

    public static string Sample(string relative) => Path.Combine(AppContext.BaseDirectory, "samples", relative);
}
