namespace Dataphin.OpenApi.Cli;

/// <summary>
/// Where runs keep their journals when no --state is given: $XDG_STATE_HOME/dataphin/runs (by default
/// ~/.local/state/dataphin/runs) on Linux and other Unix systems, %LOCALAPPDATA%\dataphin\runs on Windows.
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

        var home = environment.GetVariable("HOME");
        if (string.IsNullOrWhiteSpace(home))
        {
            home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        }

        return Path.Combine(home, ".local", "state", "dataphin", "runs");
    }
}
