using System.Globalization;
using System.Text.RegularExpressions;
using Dataphin.OpenApi.Transport;

namespace Dataphin.OpenApi;

/// <summary>
/// One named profile of the Dataphin profile file (<see cref="DataphinProfileFile"/>): everything a Dataphin user
/// needs on every call — the endpoint or region, the tenant id, the edition (which decides the quotas) — and where
/// the AccessKey comes from: a section of the Alibaba Cloud credentials file (<see cref="CredentialProfile"/>), the
/// profile's own AccessKey (semi-managed deployments issue keys inside Dataphin), or else the default chain.
/// </summary>
/// <remarks>
/// The secret can be set but not read back: it never appears in <see cref="ToString"/>, <see cref="DescribeSettings"/>
/// or exception messages. Settings given in code win over the profile's (see <see cref="ApplyTo"/>).
/// </remarks>
public sealed class DataphinProfile
{
    /// <summary>The setting names, as written in the file and taken by <see cref="Set"/>.</summary>
    public static IReadOnlyList<string> SettingNames { get; } =
        ["endpoint", "regionId", "tenantId", "edition", "credentialProfile", "accessKeyId", "accessKeySecret", "redis"];

    private static readonly Regex RedisPassword = new(@"(password\s*=\s*)[^,]*", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);
    private static readonly Regex RedisUserInfo = new(@"(://[^:/@\s]*:)[^@\s]+@", RegexOptions.CultureInvariant);

    /// <summary>Creates an empty profile.</summary>
    /// <param name="name">The profile's name, e.g. <c>default</c> or <c>prod</c>.</param>
    /// <exception cref="ArgumentException"><paramref name="name"/> is empty or white space.</exception>
    public DataphinProfile(string name)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            throw new ArgumentException("A profile needs a name, e.g. default.", nameof(name));
        }

        Name = name.Trim();
    }

    /// <summary>The profile's name.</summary>
    public string Name { get; }

    /// <summary>The service endpoint, e.g. <c>https://dataphin-public.cn-hangzhou.aliyuncs.com</c> or a non-shared deployment's API domain; wins over <see cref="RegionId"/>.</summary>
    public Uri? Endpoint { get; set; }

    /// <summary>The region id, e.g. <c>cn-hangzhou</c>, used when there is no <see cref="Endpoint"/>.</summary>
    public string? RegionId { get; set; }

    /// <summary>The tenant id (the <c>tenantId</c> in the Dataphin URL), sent as <c>OpTenantId</c>.</summary>
    public long? TenantId { get; set; }

    /// <summary>The tenant's Dataphin edition, which sets the client-side quotas and edition checks.</summary>
    public DataphinEdition? Edition { get; set; }

    /// <summary>The section of the Alibaba Cloud credentials file (<c>~/.alibabacloud/credentials</c>) holding the AccessKey.</summary>
    public string? CredentialProfile { get; set; }

    /// <summary>The profile's own AccessKey id (with <see cref="AccessKeySecret"/>), e.g. a key issued by a semi-managed Dataphin.</summary>
    public string? AccessKeyId { get; set; }

    /// <summary>The profile's own AccessKey secret. It can be set, and is written to the file, but cannot be read back.</summary>
    public string? AccessKeySecret { internal get; set; }

    /// <summary><see langword="true"/> when the profile holds an AccessKey secret.</summary>
    public bool HasAccessKeySecret => AccessKeySecret is not null;

    /// <summary>A Redis connection string (StackExchange.Redis format) for fleet-wide rate limiting; a password in it is never shown.</summary>
    public string? Redis { get; set; }

    /// <summary><see langword="true"/> when the profile holds a secret: an AccessKey secret or a Redis password.</summary>
    public bool HoldsSecret => HasAccessKeySecret || (Redis is not null && MaskRedis(Redis) != Redis);

    /// <summary>The file the profile was read from, for messages.</summary>
    internal string? FilePath { get; set; }

    /// <summary>
    /// Reads the profile to use from the profile file: the file is <c>DATAPHIN_CONFIG</c>, else
    /// <c>~/.dataphin/config.json</c>; the profile is <paramref name="name"/>, else <c>DATAPHIN_PROFILE</c>, else the
    /// file's <c>current</c> profile, else <c>default</c> when it exists.
    /// </summary>
    /// <param name="name">The profile to read; <see langword="null"/> to choose as described.</param>
    /// <param name="environment">Where to read the variables and the home folder; <see langword="null"/> for the running process.</param>
    /// <returns>The profile, or <see langword="null"/> when none was asked for and the file has none to offer.</returns>
    /// <exception cref="DataphinProfileException">The file is malformed, or the profile asked for (by name, variable or <c>current</c>) is not in it.</exception>
    public static DataphinProfile? Load(string? name = null, DataphinProcessEnvironment? environment = null)
    {
        environment ??= DataphinProcessEnvironment.Current;
        name ??= environment.GetVariable(DataphinProfileFile.ProfileVariable);
        var path = DataphinProfileFile.GetDefaultPath(environment);
        if (path is null)
        {
            return name is null ? null : throw new DataphinProfileException(DataphinProfileFile.DefaultRelativePath, $"there is no home folder to find the profile file in, so there is no profile '{name}'; set {DataphinProfileFile.PathVariable}.");
        }

        return DataphinProfileFile.Load(path).Select(name);
    }

    /// <summary>Sets one setting from text, as <c>dataphin config set</c> does; an empty or null value removes it.</summary>
    /// <param name="setting">One of <see cref="SettingNames"/> (case-insensitive).</param>
    /// <param name="value">The value; <see langword="null"/> or empty removes the setting.</param>
    /// <exception cref="ArgumentException">The setting is unknown, or the value breaks its rule; the message names both.</exception>
    public void Set(string setting, string? value)
    {
        var name = SettingNames.FirstOrDefault(n => string.Equals(n, setting?.Trim(), StringComparison.OrdinalIgnoreCase))
            ?? throw new ArgumentException($"'{setting}' is not a profile setting; the settings are {string.Join(", ", SettingNames)}.", nameof(setting));
        var text = string.IsNullOrWhiteSpace(value) ? null : value!.Trim();
        switch (name)
        {
            case "endpoint":
                Endpoint = text is null ? null : ParseEndpoint(text) ?? throw new ArgumentException($"endpoint must be an http or https URL of a scheme and host (and port) only, such as https://dataphin-public.cn-hangzhou.aliyuncs.com; '{text}' is not.", nameof(value));
                break;
            case "regionId":
                RegionId = text is null ? null : IsRegionId(text) ? text : throw new ArgumentException($"regionId must be a region id such as cn-hangzhou (lower-case letters, digits and hyphens); '{text}' is not.", nameof(value));
                break;
            case "tenantId":
                TenantId = text is null ? null : ParseTenant(text) ?? throw new ArgumentException($"tenantId must be a positive whole number (the tenantId in the Dataphin URL); '{text}' is not.", nameof(value));
                break;
            case "edition":
                Edition = text is null ? null : ParseEdition(text) ?? throw new ArgumentException($"edition must be one of Personal, Agile, Basic, Intelligent; '{text}' is not.", nameof(value));
                break;
            case "credentialProfile":
                CredentialProfile = text is null ? null : text.IndexOfAny(['[', ']', '\n', '\r']) < 0 ? text : throw new ArgumentException("credentialProfile must be the name of a section of the credentials file, without brackets.", nameof(value));
                break;
            case "accessKeyId":
                AccessKeyId = text;
                break;
            case "accessKeySecret":
                // The value is a secret: the message must not repeat it.
                AccessKeySecret = text;
                break;
            default:
                Redis = text;
                break;
        }
    }

    /// <summary>
    /// Every setting with a value fit to show: the AccessKey id masked, the secret as <c>(set)</c>, a Redis password
    /// as <c>***</c>, unset settings as <see langword="null"/>; in the order of <see cref="SettingNames"/>.
    /// </summary>
    /// <returns>The settings and their display values.</returns>
    public IReadOnlyList<KeyValuePair<string, string?>> DescribeSettings() =>
    [
        new("endpoint", Endpoint?.OriginalString),
        new("regionId", RegionId),
        new("tenantId", TenantId?.ToString(CultureInfo.InvariantCulture)),
        new("edition", Edition?.ToString()),
        new("credentialProfile", CredentialProfile),
        new("accessKeyId", AccessKeyId is null ? null : DataphinCredential.Mask(AccessKeyId)),
        new("accessKeySecret", HasAccessKeySecret ? "(set)" : null),
        new("redis", Redis is null ? null : MaskRedis(Redis)),
    ];

    /// <summary>
    /// The profile's own AccessKey as a credential, or <see langword="null"/> when it has none. Sent as
    /// <c>x-acs-credentials-provider: static_ak</c>.
    /// </summary>
    /// <returns>The credential, or <see langword="null"/>.</returns>
    /// <exception cref="DataphinProfileException">Only one of <see cref="AccessKeyId"/> and <see cref="AccessKeySecret"/> is set, or <see cref="CredentialProfile"/> is set too.</exception>
    public DataphinCredential? CreateCredential()
    {
        if (AccessKeyId is null && AccessKeySecret is null)
        {
            return null;
        }

        if (AccessKeyId is null || AccessKeySecret is null)
        {
            throw Invalid($"profile '{Name}' has {(AccessKeyId is null ? "accessKeySecret but no accessKeyId" : "accessKeyId but no accessKeySecret")}; set both (dataphin config set {(AccessKeyId is null ? "accessKeyId" : "accessKeySecret")} ...) or neither.");
        }

        if (CredentialProfile is not null)
        {
            throw Invalid($"profile '{Name}' has both its own AccessKey and credentialProfile '{CredentialProfile}'; keep one of them.");
        }

        return new DataphinCredential(AccessKeyId, AccessKeySecret);
    }

    /// <summary>
    /// The credential provider the profile names: its own AccessKey, else the <see cref="CredentialProfile"/> section of
    /// the credentials file (<see cref="DataphinCredentialsFileProvider"/>), else <see langword="null"/> (use the default chain).
    /// </summary>
    /// <param name="options">The environment, clock and refresh interval for a file source; <see langword="null"/> for the defaults.</param>
    /// <returns>The provider, or <see langword="null"/> when the profile names no credential.</returns>
    /// <exception cref="DataphinProfileException">The profile's credential settings contradict each other.</exception>
    public DataphinCredentialProvider? CreateCredentialProvider(DataphinCredentialSourceOptions? options = null)
    {
        if (CreateCredential() is { } own)
        {
            return new ProfileKeyProvider(own, $"the AccessKey of Dataphin profile '{Name}'{(FilePath is null ? string.Empty : " in " + FilePath)}");
        }

        return CredentialProfile is null ? null : new DataphinCredentialsFileProvider(CredentialProfile, options: options);
    }

    /// <summary>
    /// Fills the settings of <paramref name="options"/> that are not set from this profile: the endpoint or region
    /// (only when neither is set), the edition, and the credential (only when neither a credential nor a provider is
    /// set: the profile's own, else its <see cref="CredentialProfile"/>, else the default chain). Settings already
    /// given win. The tenant id is not a client setting: pass <see cref="TenantId"/> to each call.
    /// </summary>
    /// <param name="options">The options to fill.</param>
    /// <param name="credentialSources">The environment, clock and refresh interval for file sources; <see langword="null"/> for the defaults.</param>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is null.</exception>
    /// <exception cref="DataphinProfileException">The profile's credential settings contradict each other.</exception>
    public void ApplyTo(DataphinClientOptions options, DataphinCredentialSourceOptions? credentialSources = null)
    {
        if (options is null)
        {
            throw new ArgumentNullException(nameof(options));
        }

        if (options.Endpoint is null && string.IsNullOrWhiteSpace(options.RegionId))
        {
            options.Endpoint = Endpoint;
            options.RegionId = Endpoint is null ? RegionId : null;
        }

        options.Edition ??= Edition;
        if (options.Credential is null && options.CredentialProvider is null)
        {
            options.CredentialProvider = CreateCredentialProvider(credentialSources) ?? new DataphinDefaultCredentialProvider(credentialSources);
        }
    }

    /// <summary>The profile's settings, the AccessKey id masked; never the secret or a Redis password.</summary>
    public override string ToString()
        => $"DataphinProfile {Name} {{ {string.Join(", ", DescribeSettings().Where(s => s.Value is not null).Select(s => $"{s.Key} = {s.Value}"))} }}";

    internal static string MaskRedis(string connection)
        => RedisUserInfo.Replace(RedisPassword.Replace(connection, "$1***"), "$1***@");

    internal static bool IsRegionId(string text)
    {
        try
        {
            _ = EndpointResolver.FromRegion(text);
            return true;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    internal static Uri? ParseEndpoint(string text)
        => Uri.TryCreate(text, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp)
           && uri.AbsolutePath == "/" && uri.Query.Length == 0 && uri.Fragment.Length == 0 ? uri : null;

    internal static long? ParseTenant(string text)
        => long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var tenant) && tenant > 0 ? tenant : null;

    internal static DataphinEdition? ParseEdition(string text)
    {
        foreach (var edition in new[] { DataphinEdition.Personal, DataphinEdition.Agile, DataphinEdition.Basic, DataphinEdition.Intelligent })
        {
            if (string.Equals(edition.ToString(), text, StringComparison.OrdinalIgnoreCase))
            {
                return edition;
            }
        }

        return null;
    }

    private DataphinProfileException Invalid(string message) => new(FilePath ?? DataphinProfileFile.DefaultRelativePath, message);

    /// <summary>The profile's own AccessKey, described as such.</summary>
    private sealed class ProfileKeyProvider(DataphinCredential credential, string source) : DataphinCredentialProvider
    {
        private readonly DataphinCredentialResolution _resolution = new(credential, source);

        public override ValueTask<DataphinCredential> GetCredentialAsync(CancellationToken cancellationToken) => new(credential);

        public override ValueTask<DataphinCredentialResolution> ResolveAsync(CancellationToken cancellationToken) => new(_resolution);

        public override string ToString() => source;
    }
}
