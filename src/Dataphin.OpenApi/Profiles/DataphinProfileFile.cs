using System.Text.Json;
using Dataphin.OpenApi.Authentication.Sources;

namespace Dataphin.OpenApi;

/// <summary>
/// The Dataphin profile file: <c>DATAPHIN_CONFIG</c>, else <c>~/.dataphin/config.json</c>, read by the <c>dataphin</c>
/// tool and by <c>AddDataphinClient(...).UseProfile()</c>; <c>dataphin config set</c> writes it. Its shape:
/// <code>
/// {
///   "current": "default",
///   "profiles": {
///     "default": {
///       "endpoint": "https://dataphin-public.cn-hangzhou.aliyuncs.com", "regionId": null, "tenantId": 300001234,
///       "edition": "Basic", "credentialProfile": "default", "accessKeyId": null, "accessKeySecret": null, "redis": null
///     }
///   }
/// }
/// </code>
/// Reading is strict: an unknown key (a typo) or a value of the wrong kind is an error naming its path, e.g.
/// <c>profiles.prod.tenantId</c>. On Unix, a file holding a secret that group members or other users can read gets a
/// warning in <see cref="Warnings"/>; <see cref="Save"/> writes the file readable by its owner only (0600).
/// </summary>
public sealed class DataphinProfileFile
{
    /// <summary>The variable naming the profile file.</summary>
    public const string PathVariable = "DATAPHIN_CONFIG";

    /// <summary>The variable naming the profile to use.</summary>
    public const string ProfileVariable = "DATAPHIN_PROFILE";

    /// <summary>The file's place under the home folder.</summary>
    internal const string DefaultRelativePath = "~/.dataphin/config.json";

    private readonly List<DataphinProfile> _profiles = [];
    private readonly List<string> _warnings = [];

    /// <summary>Creates an empty profile file at <paramref name="path"/>; nothing is written until <see cref="Save"/>.</summary>
    /// <param name="path">The file's path.</param>
    /// <exception cref="ArgumentException"><paramref name="path"/> is empty.</exception>
    public DataphinProfileFile(string path)
    {
        if (string.IsNullOrWhiteSpace(path))
        {
            throw new ArgumentException("The profile file needs a path.", nameof(path));
        }

        Path = System.IO.Path.GetFullPath(path);
    }

    /// <summary>The file's full path.</summary>
    public string Path { get; }

    /// <summary><see langword="true"/> when the file existed when it was loaded (or has been saved since).</summary>
    public bool Exists { get; private set; }

    /// <summary>The profile used when none is named (by <c>--profile</c>, <c>DATAPHIN_PROFILE</c> or in code).</summary>
    public string? Current { get; set; }

    /// <summary>The profiles, in file order.</summary>
    public IReadOnlyList<DataphinProfile> Profiles => _profiles;

    /// <summary>Warnings found when loading, e.g. that other users can read a file holding a secret.</summary>
    public IReadOnlyList<string> Warnings => _warnings;

    /// <summary>The file to use: <c>DATAPHIN_CONFIG</c>, else <c>~/.dataphin/config.json</c>; <see langword="null"/> when neither is available (no home folder).</summary>
    /// <param name="environment">Where to read the variable and the home folder; <see langword="null"/> for the running process.</param>
    /// <returns>The path, or <see langword="null"/>.</returns>
    public static string? GetDefaultPath(DataphinProcessEnvironment? environment = null)
    {
        environment ??= DataphinProcessEnvironment.Current;
        return environment.GetVariable(PathVariable)?.Trim() ?? environment.UnderHome(".dataphin", "config.json");
    }

    /// <summary>Reads the file at <paramref name="path"/>; a file that does not exist gives an empty one (<see cref="Exists"/> is false).</summary>
    /// <param name="path">The file.</param>
    /// <returns>The file's profiles.</returns>
    /// <exception cref="DataphinProfileException">The file cannot be read, is not well-formed, or has an unknown key or a bad value; the message names where.</exception>
    public static DataphinProfileFile Load(string path)
    {
        var file = new DataphinProfileFile(path);
        string text;
        try
        {
            if (!File.Exists(file.Path))
            {
                return file;
            }

            if (new FileInfo(file.Path).Length > WatchedFile<object>.MaxLength)
            {
                throw new DataphinProfileException(file.Path, "the file is larger than 1024 KiB, which no profile file is.");
            }

            text = File.ReadAllText(file.Path);
        }
        catch (Exception failure) when (failure is IOException or UnauthorizedAccessException)
        {
            throw new DataphinProfileException(file.Path, "the file cannot be read: " + failure.Message, failure);
        }

        file.Exists = true;
        file.Parse(text);
        if (file._profiles.Any(p => p.HoldsSecret) && FilePermissions.ExposureWarning(file.Path, "a secret") is { } warning)
        {
            file._warnings.Add(warning);
        }

        return file;
    }

    /// <summary>Returns the profile named <paramref name="name"/>, or <see langword="null"/>.</summary>
    /// <param name="name">The profile's name.</param>
    /// <returns>The profile, or <see langword="null"/>.</returns>
    public DataphinProfile? Find(string name) => _profiles.FirstOrDefault(p => string.Equals(p.Name, name?.Trim(), StringComparison.Ordinal));

    /// <summary>Returns the profile named <paramref name="name"/>, adding an empty one when there is none.</summary>
    /// <param name="name">The profile's name.</param>
    /// <returns>The profile.</returns>
    /// <exception cref="ArgumentException"><paramref name="name"/> is empty.</exception>
    public DataphinProfile GetOrAdd(string name)
    {
        if (Find(name) is { } found)
        {
            return found;
        }

        var added = new DataphinProfile(name) { FilePath = Path };
        _profiles.Add(added);
        return added;
    }

    /// <summary>Removes the profile named <paramref name="name"/>.</summary>
    /// <param name="name">The profile's name.</param>
    /// <returns><see langword="true"/> when it was there.</returns>
    public bool Remove(string name) => Find(name) is { } found && _profiles.Remove(found);

    /// <summary>
    /// The profile to use: <paramref name="name"/> when given, else <see cref="Current"/>, else <c>default</c> when the
    /// file has it. A profile asked for by name or by <see cref="Current"/> must exist.
    /// </summary>
    /// <param name="name">The profile asked for, or <see langword="null"/>.</param>
    /// <returns>The profile, or <see langword="null"/> when none was asked for and there is no <c>default</c>.</returns>
    /// <exception cref="DataphinProfileException">The profile asked for is not in the file.</exception>
    public DataphinProfile? Select(string? name)
    {
        if (!string.IsNullOrWhiteSpace(name))
        {
            return Find(name!) ?? throw new DataphinProfileException(Path, Exists
                ? $"there is no profile '{name!.Trim()}'; {Known()}. Create it with: dataphin config set endpoint <url> --profile {name.Trim()}"
                : $"the file does not exist, so there is no profile '{name!.Trim()}'. Create it with: dataphin config set endpoint <url> --profile {name.Trim()}");
        }

        if (Current is not null)
        {
            return Find(Current) ?? throw new DataphinProfileException(Path, $"current names profile '{Current}', which is not in the file; {Known()}.");
        }

        return Find("default");
    }

    /// <summary>
    /// Writes the file in the documented shape, every setting present (<c>null</c> when unset): to a new file beside it,
    /// readable and writable by its owner only (0600 on Unix), which then replaces it; the folder is created (0700) if needed.
    /// </summary>
    /// <exception cref="DataphinProfileException">The file cannot be written.</exception>
    public void Save()
    {
        var folder = System.IO.Path.GetDirectoryName(Path)!;
        var temporary = Path + ".tmp-" + Guid.NewGuid().ToString("N");
        try
        {
            if (!Directory.Exists(folder))
            {
#if NET7_0_OR_GREATER
                if (!OperatingSystem.IsWindows())
                {
                    Directory.CreateDirectory(folder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
                }
                else
                {
                    Directory.CreateDirectory(folder);
                }
#else
                Directory.CreateDirectory(folder);
#endif
            }

            var bytes = Serialize();
#if NET7_0_OR_GREATER
            var streamOptions = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None };
            if (!OperatingSystem.IsWindows())
            {
                streamOptions.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            }

            using (var stream = new FileStream(temporary, streamOptions))
            {
                stream.Write(bytes, 0, bytes.Length);
                stream.Flush(flushToDisk: true);
            }

            File.Move(temporary, Path, overwrite: true);
#else
            using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                stream.Write(bytes, 0, bytes.Length);
                stream.Flush(flushToDisk: true);
            }

            if (File.Exists(Path))
            {
                File.Replace(temporary, Path, null);
            }
            else
            {
                File.Move(temporary, Path);
            }
#endif
            Exists = true;
        }
        catch (Exception failure) when (failure is IOException or UnauthorizedAccessException)
        {
            TryDelete(temporary);
            throw new DataphinProfileException(Path, "the file cannot be written: " + failure.Message, failure);
        }
    }

    /// <summary>The file's path and profile names; never a setting's value.</summary>
    public override string ToString() => $"DataphinProfileFile {Path} {{ current = {Current ?? "(none)"}, profiles = [{string.Join(", ", _profiles.Select(p => p.Name))}] }}";

    private string Known() => _profiles.Count == 0 ? "it has none" : "it has " + string.Join(", ", _profiles.Select(p => $"'{p.Name}'"));

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception failure) when (failure is IOException or UnauthorizedAccessException)
        {
            // Best effort: a leftover temporary file holds nothing the real one does not.
        }
    }

    private void Parse(string text)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(text, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        }
        catch (JsonException error)
        {
            // The reader's message can quote the text near the error, which may be a secret: name the line only.
            throw new DataphinProfileException(Path, $"the file is not well-formed JSON (near line {(error.LineNumber ?? 0) + 1}).");
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw Bad("the file must hold a JSON object with current and profiles.");
            }

            foreach (var property in root.EnumerateObject())
            {
                switch (property.Name)
                {
                    case "current":
                        Current = String(property.Value, "current");
                        break;
                    case "profiles":
                        ParseProfiles(property.Value);
                        break;
                    default:
                        throw Bad($"{property.Name} is not a key of the profile file (known: current, profiles).");
                }
            }
        }
    }

    private void ParseProfiles(JsonElement profiles)
    {
        if (profiles.ValueKind == JsonValueKind.Null)
        {
            return;
        }

        if (profiles.ValueKind != JsonValueKind.Object)
        {
            throw Bad("profiles must be a JSON object of named profiles.");
        }

        foreach (var entry in profiles.EnumerateObject())
        {
            var at = $"profiles.{entry.Name}";
            if (string.IsNullOrWhiteSpace(entry.Name))
            {
                throw Bad("profiles has a profile with an empty name.");
            }

            if (Find(entry.Name) is not null)
            {
                throw Bad($"{at} appears twice.");
            }

            if (entry.Value.ValueKind != JsonValueKind.Object)
            {
                throw Bad($"{at} must be a JSON object of settings.");
            }

            var profile = new DataphinProfile(entry.Name) { FilePath = Path };
            foreach (var setting in entry.Value.EnumerateObject())
            {
                var path = $"{at}.{setting.Name}";
                var value = setting.Value;
                switch (setting.Name)
                {
                    case "tenantId":
                        if (value.ValueKind == JsonValueKind.Null)
                        {
                            break;
                        }

                        profile.TenantId = value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var tenant) && tenant > 0
                            ? tenant
                            : throw Bad($"{path} must be a positive whole number (the tenantId in the Dataphin URL), e.g. 300001234.");
                        break;
                    case "endpoint" or "regionId" or "edition" or "credentialProfile" or "accessKeyId" or "accessKeySecret" or "redis":
                        var text = String(value, path);
                        try
                        {
                            profile.Set(setting.Name, text);
                        }
                        catch (ArgumentException invalid) when (setting.Name != "accessKeySecret")
                        {
                            throw Bad($"{path}: {invalid.Message.Split([" (Parameter"], StringSplitOptions.None)[0]}");
                        }

                        break;
                    default:
                        throw Bad($"{path} is not a profile setting (known: {string.Join(", ", DataphinProfile.SettingNames)}).");
                }
            }

            _profiles.Add(profile);
        }
    }

    private string? String(JsonElement value, string path)
        => value.ValueKind switch
        {
            JsonValueKind.Null => null,
            JsonValueKind.String => string.IsNullOrWhiteSpace(value.GetString()) ? null : value.GetString(),
            _ => throw Bad($"{path} must be a string or null."),
        };

    private DataphinProfileException Bad(string message) => new(Path, message);

    private byte[] Serialize()
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            json.WriteStartObject();
            WriteString(json, "current", Current);
            json.WriteStartObject("profiles");
            foreach (var profile in _profiles)
            {
                json.WriteStartObject(profile.Name);
                WriteString(json, "endpoint", profile.Endpoint?.OriginalString);
                WriteString(json, "regionId", profile.RegionId);
                if (profile.TenantId is { } tenant)
                {
                    json.WriteNumber("tenantId", tenant);
                }
                else
                {
                    json.WriteNull("tenantId");
                }

                WriteString(json, "edition", profile.Edition?.ToString());
                WriteString(json, "credentialProfile", profile.CredentialProfile);
                WriteString(json, "accessKeyId", profile.AccessKeyId);
                WriteString(json, "accessKeySecret", profile.AccessKeySecret);
                WriteString(json, "redis", profile.Redis);
                json.WriteEndObject();
            }

            json.WriteEndObject();
            json.WriteEndObject();
        }

        buffer.WriteByte((byte)'\n');
        return buffer.ToArray();
    }

    private static void WriteString(Utf8JsonWriter json, string name, string? value)
    {
        if (value is null)
        {
            json.WriteNull(name);
        }
        else
        {
            json.WriteString(name, value);
        }
    }
}
