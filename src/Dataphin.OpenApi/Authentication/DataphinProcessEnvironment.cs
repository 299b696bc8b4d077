namespace Dataphin.OpenApi;

/// <summary>
/// What the credential sources and the Dataphin profile read from their surroundings: environment variables and the
/// user's home folder. <see cref="Current"/> is the real process; pass another instance to read settings from
/// elsewhere (a test's temporary folder, a service's own variables) without touching the process.
/// </summary>
public sealed class DataphinProcessEnvironment
{
    private readonly Func<string, string?> _getVariable;

    /// <summary>Creates an environment that reads variables with <paramref name="getVariable"/> and has <paramref name="homeDirectory"/> as the home folder.</summary>
    /// <param name="getVariable">Returns the value of a variable, or <see langword="null"/> when it is not set.</param>
    /// <param name="homeDirectory">The user's home folder (where <c>.alibabacloud</c>, <c>.aliyun</c> and <c>.dataphin</c> live), or <see langword="null"/> when there is none: then only files named by variables are read.</param>
    /// <exception cref="ArgumentNullException"><paramref name="getVariable"/> is null.</exception>
    public DataphinProcessEnvironment(Func<string, string?> getVariable, string? homeDirectory)
    {
        _getVariable = getVariable ?? throw new ArgumentNullException(nameof(getVariable));
        HomeDirectory = string.IsNullOrWhiteSpace(homeDirectory) ? null : homeDirectory;
    }

    /// <summary>The running process: its environment variables and the user's profile folder (<c>$HOME</c>, <c>%USERPROFILE%</c>).</summary>
    public static DataphinProcessEnvironment Current { get; } = new(
        System.Environment.GetEnvironmentVariable,
        System.Environment.GetFolderPath(System.Environment.SpecialFolder.UserProfile));

    /// <summary>The user's home folder, or <see langword="null"/> when there is none.</summary>
    public string? HomeDirectory { get; }

    /// <summary>Returns a variable's value, or <see langword="null"/> when it is not set, empty or white space.</summary>
    /// <param name="name">The variable's name.</param>
    /// <returns>The value, or <see langword="null"/>.</returns>
    public string? GetVariable(string name)
    {
        var value = _getVariable(name);
        return string.IsNullOrWhiteSpace(value) ? null : value;
    }

    /// <summary>A path under the home folder, or <see langword="null"/> when there is no home folder.</summary>
    internal string? UnderHome(params string[] parts)
        => HomeDirectory is null ? null : Path.Combine([HomeDirectory, .. parts]);

    /// <summary>Says what this environment is (never a variable's value).</summary>
    public override string ToString()
        => ReferenceEquals(this, Current) ? "DataphinProcessEnvironment(current process)" : $"DataphinProcessEnvironment(home: {HomeDirectory ?? "none"})";
}
