namespace Dataphin.OpenApi.Cli;

/// <summary>What the CLI takes from its surroundings: environment variables, whether a person watches the terminal, and (in tests) the HTTP handler.</summary>
internal sealed class CliEnvironment
{
    /// <summary>Reads an environment variable.</summary>
    public Func<string, string?> GetVariable { get; init; } = _ => null;

    /// <summary>Whether a progress bar may be drawn (a terminal, not redirected output).</summary>
    public bool Interactive { get; init; }

    /// <summary>The HTTP handler clients send through; <see langword="null"/> for the default.</summary>
    public HttpMessageHandler? HttpHandler { get; init; }

    /// <summary>The real process: its environment variables, and a progress bar only when neither output is redirected.</summary>
    public static CliEnvironment FromProcess() => new()
    {
        GetVariable = Environment.GetEnvironmentVariable,
        Interactive = !Console.IsOutputRedirected && !Console.IsErrorRedirected,
    };
}
