using System.Net;
using Dataphin.OpenApi.Testing;

namespace Dataphin.OpenApi.Cli.Tests;

internal sealed record CliRun(int ExitCode, string Stdout, string Stderr)
{
    public const string Secret = "test-secret-never-shown";

    public static async Task<CliRun> RunAsync(FakeDataphinTransport? handler, params string[] args)
        => await RunAsync(handler, Variables(), args);

    /// <summary>
    /// Runs the tool in process. Unless the variables name one, the run's default journal folder
    /// ($XDG_STATE_HOME) is a new temporary folder, deleted afterwards, so runs never share journals by accident.
    /// </summary>
    public static async Task<CliRun> RunAsync(FakeDataphinTransport? handler, Dictionary<string, string> variables, params string[] args)
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

    /// <summary>
    /// A fake Dataphin that answers HTTP 503 <c>ServiceUnavailable</c> (request id <c>req-fail</c>) to the calls whose
    /// lineage command contains <paramref name="text"/>, and success to the others.
    /// </summary>
    public static FakeDataphinTransport FailingFor(string text) => FailingFor(text, HttpStatusCode.ServiceUnavailable, "ServiceUnavailable", "The service is temporarily unavailable.");

    /// <summary>
    /// A fake Dataphin that answers HTTP <paramref name="status"/> with the error <paramref name="code"/> (request id
    /// <c>req-fail</c>) to the calls whose lineage command contains <paramref name="text"/>, and success to the others.
    /// </summary>
    public static FakeDataphinTransport FailingFor(string text, HttpStatusCode status, string code, string message = "The service refused it.")
        => new FakeDataphinTransport().Respond(request => Command(request).Contains(text)
            ? FakeDataphinResponse.Error(status, code, message, requestId: "req-fail")
            : null);

    /// <summary>The lineage command JSON a request carries in its form field (AddRegisterLineageCommand or DeleteRegisterLineageCommand).</summary>
    public static string Command(FakeDataphinRequest request) => request.Form[request.Action + "Command"];

    public static string Sample(string relative) => Path.Combine(AppContext.BaseDirectory, "samples", relative);
}
