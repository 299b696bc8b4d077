using Dataphin.OpenApi.Authentication.Sources;

namespace Dataphin.OpenApi;

/// <summary>
/// Reads the credential from a section of the Alibaba Cloud credentials file, the INI file the official SDKs and
/// credential libraries share: <c>ALIBABA_CLOUD_CREDENTIALS_FILE</c>, else <c>~/.alibabacloud/credentials</c> (or
/// <c>~/.alibabacloud/credentials.ini</c>, the name the official .NET library uses). The section is the one named in
/// the constructor, else <c>ALIBABA_CLOUD_PROFILE</c>, else <c>[default]</c>. Sections of <c>type = access_key</c>
/// (<c>access_key_id</c>, <c>access_key_secret</c>) and <c>type = sts</c> (plus <c>security_token</c>) are read; the
/// file is checked for changes (last-write time and length) at most every
/// <see cref="DataphinCredentialSourceOptions.RefreshInterval"/>, so a rotated key is picked up.
/// </summary>
/// <remarks>
/// Sections of the role types <c>ecs_ram_role</c>, <c>ram_role_arn</c> and <c>oidc_role_arn</c> are refused with
/// <see cref="DataphinRamRoleNotSupportedException"/>: the Dataphin OpenAPI does not accept RAM roles.
/// </remarks>
/// <example>
/// <code>
/// [default]
/// type = access_key
/// access_key_id = LTAI5t...
/// access_key_secret = ...
/// </code>
/// </example>
public sealed class DataphinCredentialsFileProvider : DataphinCredentialProvider, ISyncCredentialSource
{
    /// <summary>The variable naming the credentials file.</summary>
    public const string PathVariable = "ALIBABA_CLOUD_CREDENTIALS_FILE";

    /// <summary>The variable naming the section (and the <c>aliyun</c> CLI profile) to use.</summary>
    public const string ProfileVariable = "ALIBABA_CLOUD_PROFILE";

    /// <summary>The provider name sent as <c>x-acs-credentials-provider</c> (followed by <c>/static_ak</c> or <c>/static_sts</c>).</summary>
    internal const string ProviderName = "profile";

    private static readonly HashSet<string> RoleTypes = new(StringComparer.OrdinalIgnoreCase) { "ecs_ram_role", "ram_role_arn", "oidc_role_arn", "chainable_ram_role_arn" };

    private readonly string? _profileName;
    private readonly string? _path;
    private readonly DataphinProcessEnvironment _environment;
    private readonly WatchedFile<ParsedFile> _file;
    private Cached? _cached;

    /// <summary>Creates the provider.</summary>
    /// <param name="profileName">The section to read; <see langword="null"/> for <c>ALIBABA_CLOUD_PROFILE</c>, else <c>default</c>.</param>
    /// <param name="path">The file; <see langword="null"/> for <c>ALIBABA_CLOUD_CREDENTIALS_FILE</c>, else <c>~/.alibabacloud/credentials</c>.</param>
    /// <param name="options">The environment, clock and refresh interval; <see langword="null"/> for the defaults.</param>
    /// <exception cref="ArgumentException">A name or path is empty, or an option is invalid.</exception>
    public DataphinCredentialsFileProvider(string? profileName = null, string? path = null, DataphinCredentialSourceOptions? options = null)
    {
        if (profileName is not null && string.IsNullOrWhiteSpace(profileName))
        {
            throw new ArgumentException("The section name is empty; pass null to use ALIBABA_CLOUD_PROFILE or [default].", nameof(profileName));
        }

        if (path is not null && string.IsNullOrWhiteSpace(path))
        {
            throw new ArgumentException("The path is empty; pass null to use ALIBABA_CLOUD_CREDENTIALS_FILE or ~/.alibabacloud/credentials.", nameof(path));
        }

        options = (options ?? new DataphinCredentialSourceOptions()).Validated();
        _profileName = profileName?.Trim();
        _path = path;
        _environment = options.Environment;
        _file = new WatchedFile<ParsedFile>(options.TimeProvider, options.RefreshInterval, static (p, text) => new ParsedFile(IniFile.Parse(text), FilePermissions.ExposureWarning(p, "AccessKey secrets")));
    }

    /// <inheritdoc/>
    /// <exception cref="DataphinCredentialUnavailableException">There is no such file or section, or its type is not one this package reads.</exception>
    /// <exception cref="DataphinRamRoleNotSupportedException">The section is of a RAM role type.</exception>
    /// <exception cref="DataphinCredentialException">The file is malformed, or the section lacks a required key.</exception>
    public override ValueTask<DataphinCredential> GetCredentialAsync(CancellationToken cancellationToken) => new(Resolve().Credential);

    /// <inheritdoc/>
    public override ValueTask<DataphinCredentialResolution> ResolveAsync(CancellationToken cancellationToken) => new(Resolve());

    /// <inheritdoc/>
    public DataphinCredentialResolution Resolve()
    {
        var explicitPath = _path ?? _environment.GetVariable(PathVariable);
        string[] candidates;
        if (explicitPath is not null)
        {
            candidates = [explicitPath];
        }
        else if (_environment.UnderHome(".alibabacloud", "credentials") is { } home)
        {
            candidates = [home, home + ".ini"];
        }
        else
        {
            throw new DataphinCredentialUnavailableException("credentials file", $"there is no home folder to find ~/.alibabacloud/credentials in, and {PathVariable} is not set.");
        }

        WatchedFile<ParsedFile>.Snapshot snapshot;
        try
        {
            snapshot = _file.Read(candidates);
        }
        catch (WatchedFileException failure)
        {
            throw new DataphinCredentialException($"credentials file {failure.Path}", failure.Reason, failure.InnerException);
        }

        var fileSource = $"credentials file {snapshot.Path}";
        if (!snapshot.Exists)
        {
            var why = _path is not null ? "the file given does not exist."
                : explicitPath is not null ? $"{PathVariable} names this file, which does not exist."
                : "the file does not exist.";
            throw explicitPath is not null ? new DataphinCredentialException(fileSource, why) : new DataphinCredentialUnavailableException(fileSource, why);
        }

        var (profile, named) = _profileName is not null ? (_profileName, " (asked for)")
            : _environment.GetVariable(ProfileVariable) is { } fromVariable ? (fromVariable.Trim(), $" (from {ProfileVariable})")
            : ("default", string.Empty);
        var cached = _cached;
        if (cached is not null && ReferenceEquals(cached.File, snapshot.Value) && cached.Profile == profile)
        {
            return cached.Resolution ?? throw cached.Failure!;
        }

        DataphinCredentialResolution? resolution = null;
        DataphinCredentialException? failure2 = null;
        try
        {
            resolution = Build(snapshot.Value!, snapshot.Path, profile, named);
        }
        catch (DataphinCredentialException refused)
        {
            failure2 = refused;
        }

        _cached = new Cached(snapshot.Value!, profile, resolution, failure2);
        return resolution ?? throw failure2!;
    }

    private static DataphinCredentialResolution Build(ParsedFile file, string path, string profile, string named)
    {
        var source = $"credentials file {path}, section [{profile}]";
        if (!file.Sections.TryGetValue(profile, out var section))
        {
            var known = file.Sections.Count == 0 ? "it has none" : "it has " + string.Join(", ", file.Sections.Keys.Select(k => $"[{k}]"));
            throw new DataphinCredentialUnavailableException($"credentials file {path}", $"there is no section [{profile}]{named}; {known}.");
        }

        if (!section.TryGetValue("type", out var type) || type.Length == 0)
        {
            throw new DataphinCredentialException(source, "the section has no type; add type = access_key (with access_key_id and access_key_secret).");
        }

        type = type.ToLowerInvariant();
        if (RoleTypes.Contains(type))
        {
            throw new DataphinRamRoleNotSupportedException(source, type, $"Use a section of type access_key (or sts) holding a RAM user's AccessKey, and name it with {ProfileVariable} or a Dataphin profile's credentialProfile.");
        }

        if (type is not ("access_key" or "sts"))
        {
            throw new DataphinCredentialUnavailableException(source, $"its type {type} is not read by the Dataphin SDK; use type = access_key or type = sts.");
        }

        var id = Required(section, "access_key_id", source, type);
        var secret = Required(section, "access_key_secret", source, type);
        var token = type == "sts" ? Required(section, "security_token", source, type) : null;
        var credential = new DataphinCredential(id, secret, token);
        credential = credential.WithProviderName($"{ProviderName}/{credential.StaticProviderName}");
        return new DataphinCredentialResolution(credential, $"{source}{named} (type {type})", warnings: file.Warning is null ? null : [file.Warning]);
    }

    private static string Required(Dictionary<string, string> section, string key, string source, string type)
        => section.TryGetValue(key, out var value) && !string.IsNullOrWhiteSpace(value)
            ? value
            : throw new DataphinCredentialException(source, $"the section is of type {type} but has no {key}.");

    /// <summary>Names the source; never a value.</summary>
    public override string ToString()
        => $"DataphinCredentialsFileProvider({_path ?? "ALIBABA_CLOUD_CREDENTIALS_FILE or ~/.alibabacloud/credentials"}, section {_profileName ?? "from ALIBABA_CLOUD_PROFILE or default"})";

    /// <summary>The sections of the file and the permission warning, as read at one time.</summary>
    private sealed class ParsedFile(Dictionary<string, Dictionary<string, string>> sections, string? warning)
    {
        public Dictionary<string, Dictionary<string, string>> Sections { get; } = sections;

        public string? Warning { get; } = warning;
    }

    /// <summary>What one parsed file and profile name gave.</summary>
    private sealed class Cached(ParsedFile file, string profile, DataphinCredentialResolution? resolution, DataphinCredentialException? failure)
    {
        public ParsedFile File { get; } = file;

        public string Profile { get; } = profile;

        public DataphinCredentialResolution? Resolution { get; } = resolution;

        public DataphinCredentialException? Failure { get; } = failure;
    }
}
