using System.CommandLine;
using System.Globalization;

namespace Dataphin.OpenApi.Cli;

/// <summary>
/// The Dataphin profile and the credential chain behind the connection options: which profile a command uses, and
/// where each setting comes from. The order, first wins: the command line, then the DATAPHIN_* variables, then the
/// profile; the credential is the profile's own AccessKey or its credentialProfile section, else the default chain.
/// </summary>
internal sealed partial class ConnectionOptions
{
    public Option<string?> Profile { get; } = new("--profile")
    {
        Description = $"The Dataphin profile (in ~/.dataphin/config.json, or ${DataphinProfileFile.PathVariable}) to take the endpoint, tenant, edition and credential from. Default: ${DataphinProfileFile.ProfileVariable}, else the file's current profile.",
        HelpName = "name",
    };

    private (ParseResult Parse, ProfileChoice Choice)? _profile;
    private (ParseResult Parse, CredentialChoice Choice)? _credential;

    /// <summary>The profile this command uses (loaded once per command line); its warnings go to standard error once.</summary>
    public ProfileChoice ChooseProfile(ParseResult parse, CliEnvironment environment)
    {
        if (_profile is { } known && ReferenceEquals(known.Parse, parse))
        {
            return known.Choice;
        }

        var process = environment.ToProcessEnvironment();
        var path = DataphinProfileFile.GetDefaultPath(process);
        var (name, why) = parse.GetValue(Profile) is { } fromOption ? (fromOption, "--profile")
            : process.GetVariable(DataphinProfileFile.ProfileVariable) is { } fromVariable ? (fromVariable, "$" + DataphinProfileFile.ProfileVariable)
            : ((string?)null, (string?)null);
        ProfileChoice choice;
        if (path is null)
        {
            choice = name is null
                ? new ProfileChoice(null, null, null, "no profile file: there is no home folder")
                : throw new CliUsageException($"No profile '{name}' ({why}): there is no home folder to find ~/.dataphin/config.json in; set ${DataphinProfileFile.PathVariable}.");
        }
        else
        {
            DataphinProfileFile file;
            DataphinProfile? profile;
            try
            {
                file = DataphinProfileFile.Load(path);
                profile = file.Select(name);
            }
            catch (DataphinProfileException invalid)
            {
                throw new CliUsageException($"The Dataphin profile cannot be used: {invalid.Message}", invalid);
            }

            foreach (var warning in file.Warnings)
            {
                environment.Warnings.WriteLine("Warning: " + warning);
            }

            why ??= file.Current is not null ? "the file's current profile" : "the profile named default";
            choice = profile is null
                ? new ProfileChoice(file.Path, null, null, file.Exists ? $"{file.Path} has no profile to use (no current, no default)" : $"no profile file at {file.Path}") { Warnings = file.Warnings }
                : new ProfileChoice(file.Path, profile, why, null) { Warnings = file.Warnings };
        }

        _profile = (parse, choice);
        return choice;
    }

    /// <summary>The endpoint or region and where it came from; <see langword="null"/> when nothing names one.</summary>
    public Setting<(Uri? Endpoint, string? Region)>? ResolveEndpoint(ParseResult parse, CliEnvironment environment)
    {
        static Uri ParseUri(string text, string origin)
            => Uri.TryCreate(text.Trim(), UriKind.Absolute, out var uri) ? CheckEndpoint(uri, text, origin)
                : throw new CliUsageException($"The endpoint '{text}' ({origin}) is not an absolute URL such as https://dataphin-public.cn-hangzhou.aliyuncs.com.");

        if (parse.GetValue(Endpoint) is { } endpoint && !string.IsNullOrWhiteSpace(endpoint))
        {
            return new((ParseUri(endpoint, "--endpoint"), null), "--endpoint");
        }

        if (parse.GetValue(Region) is { } region && !string.IsNullOrWhiteSpace(region))
        {
            return new((null, CheckRegion(region.Trim(), "--region")), "--region");
        }

        if (environment.GetVariable(EndpointVariable) is { } endpointVariable && !string.IsNullOrWhiteSpace(endpointVariable))
        {
            return new((ParseUri(endpointVariable, "$" + EndpointVariable), null), "$" + EndpointVariable);
        }

        if (environment.GetVariable(RegionVariable) is { } regionVariable && !string.IsNullOrWhiteSpace(regionVariable))
        {
            return new((null, CheckRegion(regionVariable.Trim(), "$" + RegionVariable)), "$" + RegionVariable);
        }

        var choice = ChooseProfile(parse, environment);
        if (choice.Profile?.Endpoint is { } profileEndpoint)
        {
            return new((CheckEndpoint(profileEndpoint, profileEndpoint.OriginalString, choice.Origin), null), choice.Origin);
        }

        return choice.Profile?.RegionId is { } profileRegion ? new((null, CheckRegion(profileRegion, choice.Origin)), choice.Origin) : null;
    }

    /// <summary>The tenant and where it came from; <see langword="null"/> when nothing names one.</summary>
    public Setting<long>? ResolveTenantSetting(ParseResult parse, CliEnvironment environment)
    {
        if (parse.GetValue(Tenant) is { } tenant)
        {
            return tenant > 0 ? new(tenant, "--tenant") : throw new CliUsageException($"--tenant must be a positive tenant id; it was {tenant}.");
        }

        var text = environment.GetVariable(TenantVariable);
        if (!string.IsNullOrWhiteSpace(text))
        {
            return long.TryParse(text.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var fromEnvironment) && fromEnvironment > 0
                ? new(fromEnvironment, "$" + TenantVariable)
                : throw new CliUsageException($"${TenantVariable} must be a positive tenant id; it was '{text}'.");
        }

        var choice = ChooseProfile(parse, environment);
        return choice.Profile?.TenantId is { } fromProfile ? new(fromProfile, choice.Origin) : null;
    }

    /// <summary>The edition the profile names (used when --edition is not given; see <see cref="ResolveEdition"/>).</summary>
    public Setting<DataphinEdition>? ProfileEdition(ParseResult parse, CliEnvironment environment)
    {
        var choice = ChooseProfile(parse, environment);
        return choice.Profile?.Edition is { } edition ? new(edition, choice.Origin) : null;
    }

    /// <summary>
    /// The credential: the profile's own AccessKey or its credentialProfile section when it names one, else the default
    /// chain (environment variables, credentials file, aliyun CLI profiles). Resolved once per command line, to fail
    /// before any work; the provider is then asked on every request, so a key rotated in a file during a long run is used.
    /// </summary>
    public CredentialChoice ResolveCredential(ParseResult parse, CliEnvironment environment)
    {
        if (_credential is { } known && ReferenceEquals(known.Parse, parse))
        {
            return known.Choice;
        }

        var profile = ChooseProfile(parse, environment);
        var sources = new DataphinCredentialSourceOptions { Environment = environment.ToProcessEnvironment() };
        DataphinCredentialProvider provider;
        string why;
        try
        {
            if (profile.Profile?.CreateCredentialProvider(sources) is { } named)
            {
                provider = named;
                why = profile.Profile.CredentialProfile is { } section
                    ? $"{profile.Origin} names credentialProfile [{section}]"
                    : $"{profile.Origin} has its own AccessKey";
            }
            else
            {
                provider = new DataphinDefaultCredentialProvider(sources);
                why = profile.Profile is null ? "no Dataphin profile names one, so the default chain" : $"{profile.Origin} names none, so the default chain";
            }
        }
        catch (DataphinProfileException invalid)
        {
            throw new CliUsageException($"The Dataphin profile cannot be used: {invalid.Message}", invalid);
        }

        DataphinCredentialResolution resolution;
        try
        {
            var pending = provider.ResolveAsync(CancellationToken.None);
            resolution = pending.IsCompleted ? pending.Result : pending.AsTask().GetAwaiter().GetResult();
        }
        catch (DataphinCredentialException unusable)
        {
            throw new CliUsageException(profile.Profile?.CredentialProfile is not null ? $"No usable credential: {why}, but {unusable.Message}" : unusable.Message, unusable);
        }

        foreach (var warning in resolution.Warnings)
        {
            environment.Warnings.WriteLine("Warning: " + warning);
        }

        var choice = new CredentialChoice(provider, resolution, why);
        _credential = (parse, choice);
        return choice;
    }
}

/// <summary>A setting's value and where it came from (an option, a variable, or a profile).</summary>
internal sealed record Setting<T>(T Value, string Origin);

/// <summary>The profile a command uses: the file, the profile (or none), and why it was chosen or why there is none.</summary>
internal sealed record ProfileChoice(string? Path, DataphinProfile? Profile, string? Why, string? NoneBecause)
{
    /// <summary>Warnings about the file, e.g. that other users can read it.</summary>
    public IReadOnlyList<string> Warnings { get; init; } = [];

    /// <summary>How settings taken from the profile are attributed, e.g. "profile 'prod' (--profile)".</summary>
    public string Origin => Profile is null ? "no profile" : $"profile '{Profile.Name}'";
}

/// <summary>The credential chosen, and why that source.</summary>
internal sealed record CredentialChoice(DataphinCredentialProvider Provider, DataphinCredentialResolution Resolution, string Why);
