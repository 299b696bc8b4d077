namespace Dataphin.OpenApi.Cli;

/// <summary>
/// Where runs keep their journals when no --state is given: $XDG_STATE_HOME/dataphin/runs (by default
/// ~/.local/state/dataphin/runs, ~ being <see cref="CliEnvironment.HomeDirectory"/>, else $HOME) on Linux and other
/// Unix systems, %LOCALAPPDATA%\dataphin\runs on Windows.
/// </summary>
internal static class StateFolder
{
    public const string XdgStateHomeVariable = "XDG_STATE_HOME";

    public static string Runs(CliEnvironment environment)
    {
        if (OperatingSystem.IsWindows())
        {
            var local = environment.GetVariable("LOCALAPPDATA");
            return Path.Combine(string.IsNullOrWhiteSpace(local) ? Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData) : local, "dataphin", "runs");
        }

        var state = environment.GetVariable(XdgStateHomeVariable);
        if (!string.IsNullOrWhiteSpace(state) && Path.IsPathRooted(state))
        {
            return Path.Combine(state, "dataphin", "runs");
        }

        // The home folder the rest of the tool uses (profiles, credentials files), then $HOME.
        var home = !string.IsNullOrWhiteSpace(environment.HomeDirectory) ? environment.HomeDirectory : environment.GetVariable("HOME");
        if (string.IsNullOrWhiteSpace(home))
        {
            throw new CliUsageException($"There is no home folder to keep the run journal in: pass --state <file>, or set ${XdgStateHomeVariable}.");
        }

        return Path.Combine(home, ".local", "state", "dataphin", "runs");
    }
}
