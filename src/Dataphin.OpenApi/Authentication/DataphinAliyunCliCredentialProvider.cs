using System.Text.Json;
using Dataphin.OpenApi.Authentication.Sources;

namespace Dataphin.OpenApi;

/// <summary>
/// Reads the credential from a profile of the <c>aliyun</c> command-line tool's configuration,
/// <c>~/.aliyun/config.json</c>: the profile named in the constructor, else <c>ALIBABA_CLOUD_PROFILE</c>, else the
/// file's <c>current</c> profile. Profiles in <c>AK</c> mode (<c>access_key_id</c>, <c>access_key_secret</c>) and
/// <c>StsToken</c> mode (plus <c>sts_token</c>) are read; the file is checked for changes (last-write time and length)
/// at most every <see cref="DataphinCredentialSourceOptions.RefreshInterval"/>, so a rotated key is picked up.
/// </summary>
/// <remarks>
/// Profiles in the role modes <c>EcsRamRole</c>, <c>RamRoleArn</c>, <c>ChainableRamRoleArn</c> and <c>OIDC</c> are refused
/// with <see cref="DataphinRamRoleNotSupportedException"/>: the Dataphin OpenAPI does not accept RAM roles. Interactive
/// and external modes (<c>CloudSSO</c>, <c>OAuth</c>, <c>External</c>, <c>CredentialsURI</c>) are not read.
/// </remarks>
public sealed class DataphinAliyunCliCredentialProvider : DataphinCredentialProvider, ISyncCredentialSource
{
    /// <summary>The provider name sent as <c>x-acs-credentials-provider</c> (followed by <c>/static_ak</c> or <c>/static_sts</c>).</summary>
    internal const string ProviderName = "cli_profile";

    private static readonly HashSet<string> RoleModes = new(StringComparer.OrdinalIgnoreCase) { "EcsRamRole", "RamRoleArn", "ChainableRamRoleArn", "RamRoleArnWithRoleName", "OIDC" };

    private readonly string? _profileName;
    private readonly string? _path;
    private readonly DataphinProcessEnvironment _environment;
    private readonly WatchedFile<ParsedConfig> _file;
    private Cached? _cached;

    /// <summary>Creates the provider.</summary>
    /// <param name="profileName">The profile to read; <see langword="null"/> for <c>ALIBABA_CLOUD_PROFILE</c>, else the file's <c>current</c> profile.</param>
    /// <param name="path">The file; <see langword="null"/> for <c>~/.aliyun/config.json</c>.</param>
    /// <param name="options">The environment, clock and refresh interval; <see langword="null"/> for the defaults.</param>
    /// <exception cref="ArgumentException">A name or path is empty, or an option is invalid.</exception>
    public DataphinAliyunCliCredentialProvider(string? profileName = null, string? path = null, DataphinCredentialSourceOptions? options = null)
    {
        if (profileName is not null && string.IsNullOrWhiteSpace(profileName))
        {
            throw new ArgumentException("The profile name is empty; pass null to use ALIBABA_CLOUD_PROFILE or the file's current profile.", nameof(profileName));
        }

        if (path is not null && string.IsNullOrWhiteSpace(path))
        {
            throw new ArgumentException("The path is empty; pass null to use ~/.aliyun/config.json.", nameof(path));
        }

        options = (options ?? new DataphinCredentialSourceOptions()).Validated();
        _profileName = profileName?.Trim();
        _path = path;
        _environment = options.Environment;
        _file = new WatchedFile<ParsedConfig>(options.TimeProvider, options.RefreshInterval, static (p, text) => ParsedConfig.Parse(text, FilePermissions.ExposureWarning(p, "AccessKey secrets")));
    }

    /// <inheritdoc/>
    /// <exception cref="DataphinCredentialUnavailableException">There is no such file or profile, or its mode is not one this package reads.</exception>
    /// <exception cref="DataphinRamRoleNotSupportedException">The profile is in a RAM role mode.</exception>
    /// <exception cref="DataphinCredentialException">The file is malformed, or the profile lacks a required field.</exception>
    public override ValueTask<DataphinCredential> GetCredentialAsync(CancellationToken cancellationToken) => new(Resolve().Credential);

    /// <inheritdoc/>
    public override ValueTask<DataphinCredentialResolution> ResolveAsync(CancellationToken cancellationToken) => new(Resolve());

    /// <inheritdoc/>
    public DataphinCredentialResolution Resolve()
    {
        var path = _path ?? _environment.UnderHome(".aliyun", "config.json")
            ?? throw new DataphinCredentialUnavailableException("aliyun CLI configuration", "there is no home folder to find ~/.aliyun/config.json in.");
        WatchedFile<ParsedConfig>.Snapshot snapshot;
        try
        {
            snapshot = _file.Read([path]);
        }
        catch (WatchedFileException failure)
        {
            throw new DataphinCredentialException($"aliyun CLI configuration {failure.Path}", failure.Reason, failure.InnerException);
        }

        var fileSource = $"aliyun CLI configuration {snapshot.Path}";
        if (!snapshot.Exists)
        {
            throw _path is not null
                ? new DataphinCredentialException(fileSource, "the file given does not exist.")
                : new DataphinCredentialUnavailableException(fileSource, "the file does not exist.");
        }

        var config = snapshot.Value!;
        var (profile, named) = _profileName is not null ? (_profileName, " (asked for)")
            : _environment.GetVariable(DataphinCredentialsFileProvider.ProfileVariable) is { } fromVariable ? (fromVariable.Trim(), $" (from {DataphinCredentialsFileProvider.ProfileVariable})")
            : config.Current is { } current ? (current, " (the file's current profile)")
            : ("default", string.Empty);
        var cached = _cached;
        if (cached is not null && ReferenceEquals(cached.Config, config) && cached.Profile == profile)
        {
            return cached.Resolution ?? throw cached.Failure!;
        }

        DataphinCredentialResolution? resolution = null;
        DataphinCredentialException? failure2 = null;
        try
        {
            resolution = Build(config, snapshot.Path, profile, named);
        }
        catch (DataphinCredentialException refused)
        {
            failure2 = refused;
        }

        _cached = new Cached(config, profile, resolution, failure2);
        return resolution ?? throw failure2!;
    }

    private static DataphinCredentialResolution Build(ParsedConfig config, string path, string profile, string named)
    {
        var source = $"aliyun CLI profile '{profile}' in {path}";
        var entry = config.Profiles.FirstOrDefault(p => p.Name == profile);
        if (entry is null)
        {
            var known = config.Profiles.Count == 0 ? "it has none" : "it has " + string.Join(", ", config.Profiles.Select(p => $"'{p.Name}'"));
            throw new DataphinCredentialUnavailableException($"aliyun CLI configuration {path}", $"there is no profile '{profile}'{named}; {known}.");
        }

        var mode = entry.Mode ?? "AK";
        if (RoleModes.Contains(mode))
        {
            throw new DataphinRamRoleNotSupportedException(source, mode, $"Use a profile in AK mode (aliyun configure --profile <name> --mode AK) with a RAM user's AccessKey, and name it with {DataphinCredentialsFileProvider.ProfileVariable}.");
        }

        var sts = string.Equals(mode, "StsToken", StringComparison.OrdinalIgnoreCase);
        if (!sts && !string.Equals(mode, "AK", StringComparison.OrdinalIgnoreCase))
        {
            throw new DataphinCredentialUnavailableException(source, $"its mode {mode} is not read by the Dataphin SDK; use a profile in AK or StsToken mode.");
        }

        var id = entry.AccessKeyId ?? throw Missing(source, mode, "access_key_id");
        var secret = entry.AccessKeySecret ?? throw Missing(source, mode, "access_key_secret");
        var token = sts ? entry.StsToken ?? throw Missing(source, mode, "sts_token") : null;
        var credential = new DataphinCredential(id, secret, token);
        credential = credential.WithProviderName($"{ProviderName}/{credential.StaticProviderName}");
        return new DataphinCredentialResolution(credential, $"{source}{named} (mode {mode})", warnings: config.Warning is null ? null : [config.Warning]);
    }

    private static DataphinCredentialException Missing(string source, string mode, string field)
        => new(source, $"the profile is in {mode} mode but has no {field}.");

    /// <summary>Names the source; never a value.</summary>
    public override string ToString()
        => $"DataphinAliyunCliCredentialProvider({_path ?? "~/.aliyun/config.json"}, profile {_profileName ?? "from ALIBABA_CLOUD_PROFILE or current"})";

    /// <summary>The profiles of the file and the permission warning, as read at one time.</summary>
    private sealed class ParsedConfig(string? current, List<CliProfile> profiles, string? warning)
    {
        public string? Current { get; } = current;

        public List<CliProfile> Profiles { get; } = profiles;

        public string? Warning { get; } = warning;

        public static ParsedConfig Parse(string text, string? warning)
        {
            JsonDocument document;
            try
            {
                document = JsonDocument.Parse(text, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
            }
            catch (JsonException error)
            {
                // The reader's message can quote the text around the error, which may be a secret: name the line only.
                throw new FormatException($"the file is not well-formed JSON (near line {(error.LineNumber ?? 0) + 1})");
            }

            using (document)
            {
                var root = document.RootElement;
                if (root.ValueKind != JsonValueKind.Object)
                {
                    throw new FormatException("the file is not a JSON object with current and profiles");
                }

                var current = Text(root, "current", "current");
                var profiles = new List<CliProfile>();
                if (root.TryGetProperty("profiles", out var list) && list.ValueKind != JsonValueKind.Null)
                {
                    if (list.ValueKind != JsonValueKind.Array)
                    {
                        throw new FormatException("profiles is not a JSON array");
                    }

                    var index = 0;
                    foreach (var item in list.EnumerateArray())
                    {
                        var at = $"profiles[{index++}]";
                        if (item.ValueKind != JsonValueKind.Object)
                        {
                            throw new FormatException($"{at} is not a JSON object");
                        }

                        var name = Text(item, "name", at + ".name") ?? throw new FormatException($"{at} has no name");
                        profiles.Add(new CliProfile(
                            name,
                            Text(item, "mode", at + ".mode"),
                            Text(item, "access_key_id", at + ".access_key_id"),
                            Text(item, "access_key_secret", at + ".access_key_secret"),
                            Text(item, "sts_token", at + ".sts_token")));
                    }
                }

                return new ParsedConfig(string.IsNullOrWhiteSpace(current) ? null : current!.Trim(), profiles, warning);
            }
        }

        private static string? Text(JsonElement element, string name, string path)
        {
            if (!element.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
            {
                return null;
            }

            if (value.ValueKind != JsonValueKind.String)
            {
                throw new FormatException($"{path} is not a string");
            }

            var text = value.GetString();
            return string.IsNullOrWhiteSpace(text) ? null : text;
        }
    }

    /// <summary>One profile of the file (a class, not a record: no generated ToString to print the secret).</summary>
    private sealed class CliProfile(string name, string? mode, string? accessKeyId, string? accessKeySecret, string? stsToken)
    {
        public string Name { get; } = name;

        public string? Mode { get; } = mode;

        public string? AccessKeyId { get; } = accessKeyId;

        public string? AccessKeySecret { get; } = accessKeySecret;

        public string? StsToken { get; } = stsToken;
    }

    /// <summary>What one parsed file and profile name gave.</summary>
    private sealed class Cached(ParsedConfig config, string profile, DataphinCredentialResolution? resolution, DataphinCredentialException? failure)
    {
        public ParsedConfig Config { get; } = config;

        public string Profile { get; } = profile;

        public DataphinCredentialResolution? Resolution { get; } = resolution;

        public DataphinCredentialException? Failure { get; } = failure;
    }
}
