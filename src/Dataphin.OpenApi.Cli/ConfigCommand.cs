using System.CommandLine;
using System.Text.Json;

namespace Dataphin.OpenApi.Cli;

/// <summary>
/// <c>dataphin config set|get|list</c>: reads and writes the Dataphin profile file (<c>~/.dataphin/config.json</c>, or
/// <c>DATAPHIN_CONFIG</c>), which the tool and <c>AddDataphinClient(...).UseProfile()</c> read. The file is written
/// readable by its owner only (0600). Secrets are never printed: the AccessKey id is masked, the secret shows as (set).
/// </summary>
internal static class ConfigCommand
{
    /// <summary>The file-level setting naming the profile used when none is named.</summary>
    public const string CurrentSetting = "current";

    public static Command Build(TextWriter stdout, TextWriter stderr, CliEnvironment environment)
    {
        var command = new Command("config", $"Read and write Dataphin profiles (~/.dataphin/config.json, or ${DataphinProfileFile.PathVariable}): endpoint or region, tenant, edition and credential, chosen with --profile or ${DataphinProfileFile.ProfileVariable}.");
        command.Subcommands.Add(BuildSet(stdout, stderr, environment));
        command.Subcommands.Add(BuildGet(stdout, stderr, environment));
        command.Subcommands.Add(BuildList(stdout, environment));
        return command;
    }

    private static Option<string?> ProfileOption() => new("--profile")
    {
        Description = $"The profile to change or read. Default: ${DataphinProfileFile.ProfileVariable}, else the file's current profile, else default.",
        HelpName = "name",
    };

    private static Command BuildSet(TextWriter stdout, TextWriter stderr, CliEnvironment environment)
    {
        var command = new Command("set", $"Set a setting of a profile (created if needed), or '{CurrentSetting}' to choose the profile used by default. An empty value removes the setting; the value - reads it from standard input (use it for accessKeySecret, so the secret stays out of your shell history).");
        var setting = new Argument<string>("setting") { Description = $"One of {string.Join(", ", DataphinProfile.SettingNames)}, or {CurrentSetting}.", HelpName = "setting" };
        var value = new Argument<string>("value") { Description = "The value; empty to remove it; - to read it from standard input.", HelpName = "value" };
        var profileOption = ProfileOption();
        command.Arguments.Add(setting);
        command.Arguments.Add(value);
        command.Options.Add(profileOption);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var file = Load(environment);
            var name = parse.GetValue(setting)!.Trim();
            var text = parse.GetValue(value) ?? string.Empty;
            var fromInput = text == "-";
            if (fromInput)
            {
                text = environment.Input is { } input
                    ? await input.ReadLineAsync(cancellationToken).ConfigureAwait(false) ?? string.Empty
                    : throw new CliUsageException("The value - reads standard input, but there is none.");
            }

            if (string.Equals(name, CurrentSetting, StringComparison.OrdinalIgnoreCase))
            {
                var target = text.Trim();
                if (target.Length == 0)
                {
                    file.Current = null;
                }
                else if (file.Find(target) is null)
                {
                    throw new CliUsageException($"There is no profile '{target}' in {file.Path} to make current; create it first, e.g. dataphin config set endpoint <url> --profile {target}.");
                }
                else
                {
                    file.Current = target;
                }

                Save(file);
                await stdout.WriteLineAsync(file.Current is null ? $"No profile is current in {file.Path} now." : $"Profile '{file.Current}' is current in {file.Path}.").ConfigureAwait(false);
                return ExitCodes.Success;
            }

            var profileName = ProfileName(parse.GetValue(profileOption), file, environment);
            var isNew = file.Find(profileName) is null;
            var profile = file.GetOrAdd(profileName);
            try
            {
                profile.Set(name, text);
            }
            catch (ArgumentException invalid)
            {
                throw new CliUsageException(WithoutParameter(invalid.Message), invalid);
            }

            if (isNew && file.Current is null)
            {
                file.Current = profileName;
            }

            var canonical = DataphinProfile.SettingNames.First(n => string.Equals(n, name, StringComparison.OrdinalIgnoreCase));
            Save(file);
            var shown = profile.DescribeSettings().First(s => s.Key == canonical).Value;
            await stdout.WriteLineAsync(shown is null
                ? $"Removed {canonical} from profile '{profileName}' in {file.Path}."
                : $"Set {canonical} of profile '{profileName}' to {shown} in {file.Path}.").ConfigureAwait(false);
            if (canonical == "accessKeySecret" && !fromInput && shown is not null)
            {
                await stderr.WriteLineAsync("Warning: the secret was given on the command line and may be kept in your shell history; next time pass - and type it on standard input.").ConfigureAwait(false);
            }

            return ExitCodes.Success;
        });
        return command;
    }

    private static Command BuildGet(TextWriter stdout, TextWriter stderr, CliEnvironment environment)
    {
        var command = new Command("get", $"Print one setting of a profile, or '{CurrentSetting}'. The AccessKey id is masked and the secret shows as (set); exit code 1 when it is not set.");
        var setting = new Argument<string>("setting") { Description = $"One of {string.Join(", ", DataphinProfile.SettingNames)}, or {CurrentSetting}.", HelpName = "setting" };
        var profileOption = ProfileOption();
        command.Arguments.Add(setting);
        command.Options.Add(profileOption);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var file = Load(environment);
            var name = parse.GetValue(setting)!.Trim();
            string? shown;
            string where;
            if (string.Equals(name, CurrentSetting, StringComparison.OrdinalIgnoreCase))
            {
                shown = file.Current;
                where = file.Path;
            }
            else
            {
                var canonical = DataphinProfile.SettingNames.FirstOrDefault(n => string.Equals(n, name, StringComparison.OrdinalIgnoreCase))
                    ?? throw new CliUsageException($"'{name}' is not a profile setting; the settings are {string.Join(", ", DataphinProfile.SettingNames)}, and {CurrentSetting}.");
                var profileName = ProfileName(parse.GetValue(profileOption), file, environment);
                var profile = file.Find(profileName)
                    ?? throw new CliUsageException(file.Exists ? $"There is no profile '{profileName}' in {file.Path}." : $"There is no profile file at {file.Path}; create it with: dataphin config set endpoint <url>");
                shown = profile.DescribeSettings().First(s => s.Key == canonical).Value;
                where = $"profile '{profileName}' in {file.Path}";
                name = canonical;
            }

            if (shown is null)
            {
                await stderr.WriteLineAsync($"{name} is not set in {where}.").ConfigureAwait(false);
                return ExitCodes.ItemsFailed;
            }

            await stdout.WriteLineAsync(shown).ConfigureAwait(false);
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command BuildList(TextWriter stdout, CliEnvironment environment)
    {
        var command = new Command("list", "List every profile and its settings (the AccessKey id masked, the secret as (set)); the current one is marked with *.");
        var json = new Option<bool>("--json") { Description = "Print the profiles as one JSON object (secrets still hidden)." };
        command.Options.Add(json);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var file = Load(environment);
            if (parse.GetValue(json))
            {
                using var buffer = new MemoryStream();
                using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
                {
                    writer.WriteStartObject();
                    writer.WriteString("file", file.Path);
                    writer.WriteBoolean("exists", file.Exists);
                    writer.WriteString("current", file.Current);
                    writer.WriteStartObject("profiles");
                    foreach (var profile in file.Profiles)
                    {
                        writer.WriteStartObject(profile.Name);
                        foreach (var (key, shown) in profile.DescribeSettings())
                        {
                            writer.WriteString(key, shown);
                        }

                        writer.WriteEndObject();
                    }

                    writer.WriteEndObject();
                    writer.WriteEndObject();
                }

                await stdout.WriteLineAsync(System.Text.Encoding.UTF8.GetString(buffer.ToArray())).ConfigureAwait(false);
                return ExitCodes.Success;
            }

            if (!file.Exists)
            {
                await stdout.WriteLineAsync($"No profile file at {file.Path}. Create one with: dataphin config set endpoint <url> (and tenantId, edition, credentialProfile ...).").ConfigureAwait(false);
                return ExitCodes.Success;
            }

            await stdout.WriteLineAsync($"{file.Path}: {file.Profiles.Count} profile{(file.Profiles.Count == 1 ? string.Empty : "s")}{(file.Current is null ? string.Empty : $", current: {file.Current}")}").ConfigureAwait(false);
            foreach (var profile in file.Profiles)
            {
                await stdout.WriteLineAsync($"{(profile.Name == file.Current ? "*" : " ")} {profile.Name}").ConfigureAwait(false);
                foreach (var (key, shown) in profile.DescribeSettings().Where(s => s.Value is not null))
                {
                    await stdout.WriteLineAsync($"    {key,-18} {shown}").ConfigureAwait(false);
                }
            }

            foreach (var warning in file.Warnings)
            {
                await stdout.WriteLineAsync("Warning: " + warning).ConfigureAwait(false);
            }

            return ExitCodes.Success;
        });
        return command;
    }

    private static DataphinProfileFile Load(CliEnvironment environment)
    {
        var path = DataphinProfileFile.GetDefaultPath(environment.ToProcessEnvironment())
            ?? throw new CliUsageException($"There is no home folder to keep ~/.dataphin/config.json in; set ${DataphinProfileFile.PathVariable} to the file to use.");
        try
        {
            return DataphinProfileFile.Load(path);
        }
        catch (DataphinProfileException invalid)
        {
            throw new CliUsageException(invalid.Message, invalid);
        }
    }

    private static void Save(DataphinProfileFile file)
    {
        try
        {
            file.Save();
        }
        catch (DataphinProfileException failed)
        {
            throw new CliUsageException(failed.Message, failed);
        }
    }

    /// <summary>--profile, else DATAPHIN_PROFILE, else the file's current profile, else default.</summary>
    private static string ProfileName(string? option, DataphinProfileFile file, CliEnvironment environment)
        => (option ?? environment.ToProcessEnvironment().GetVariable(DataphinProfileFile.ProfileVariable) ?? file.Current ?? "default").Trim();

    private static string WithoutParameter(string message)
    {
        var at = message.IndexOf(" (Parameter '", StringComparison.Ordinal);
        return at < 0 ? message : message.Substring(0, at);
    }
}
