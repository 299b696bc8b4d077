namespace Dataphin.OpenApi.Cli;

/// <summary>What the CLI takes from its surroundings: environment variables, the home folder, standard input, whether a person watches the terminal, and (in tests) the HTTP handler.</summary>
internal sealed class CliEnvironment
{
    /// <summary>Reads an environment variable.</summary>
    public Func<string, string?> GetVariable { get; init; } = _ => null;

    /// <summary>
    /// The user's home folder, where ~/.dataphin/config.json, ~/.alibabacloud/credentials and ~/.aliyun/config.json
    /// are looked for; <see langword="null"/> (the default, and in tests unless set) reads none of them.
    /// </summary>
    public string? HomeDirectory { get; init; }

    /// <summary>Standard input, for <c>dataphin config set accessKeySecret -</c>; <see langword="null"/> when there is none.</summary>
    public TextReader? Input { get; init; }

    /// <summary>Whether a progress bar may be drawn (a terminal, not redirected output).</summary>
    public bool Interactive { get; init; }

    /// <summary>The HTTP handler clients send through; <see langword="null"/> for the default.</summary>
    public HttpMessageHandler? HttpHandler { get; init; }

    /// <summary>Where warnings go (standard error); set by <see cref="CliApp.RunAsync"/>.</summary>
    public TextWriter Warnings { get; private init; } = TextWriter.Null;

    /// <summary>The real process: its environment variables, home folder and standard input, and a progress bar only when neither output is redirected.</summary>
    public static CliEnvironment FromProcess() => new()
    {
        GetVariable = Environment.GetEnvironmentVariable,
        HomeDirectory = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile),
        Input = Console.In,
        Interactive = !Console.IsOutputRedirected && !Console.IsErrorRedirected,
    };

    /// <summary>This environment with warnings written to <paramref name="warnings"/>.</summary>
    public CliEnvironment WithWarnings(TextWriter warnings) => new()
    {
        GetVariable = GetVariable,
        HomeDirectory = HomeDirectory,
        Input = Input,
        Interactive = Interactive,
        HttpHandler = HttpHandler,
        Warnings = warnings,
    };

    /// <summary>The variables and home folder as the SDK's credential sources and profile file read them.</summary>
    public DataphinProcessEnvironment ToProcessEnvironment() => new(GetVariable, HomeDirectory);
}
