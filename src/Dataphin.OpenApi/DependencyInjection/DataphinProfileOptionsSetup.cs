using Dataphin.OpenApi.Authentication.Sources;
using Microsoft.Extensions.DependencyInjection;

namespace Dataphin.OpenApi.DependencyInjection;

/// <summary>
/// Applies a Dataphin profile to a registered client's options after every other configuration step, filling only what
/// configuration and code left unset; problems become configuration errors, reported when the host starts.
/// </summary>
internal static class DataphinProfileOptionsSetup
{
    public static void Apply(DataphinClientOptions options, IServiceProvider services)
    {
        if (!options.ProfileRequested)
        {
            return;
        }

        var environment = Environment(services);
        DataphinProfile? profile;
        try
        {
            profile = DataphinProfile.Load(options.ProfileName, environment);
        }
        catch (DataphinProfileException invalid)
        {
            options.ConfigurationErrors.Add("Dataphin profile: " + invalid.Message);
            return;
        }

        if (profile is null)
        {
            var path = DataphinProfileFile.GetDefaultPath(environment) ?? DataphinProfileFile.DefaultRelativePath;
            options.ConfigurationErrors.Add($"Dataphin profile: a profile was asked for, but {path} names none: name one (UseProfile(\"name\") or the Profile setting), set {DataphinProfileFile.ProfileVariable}, or set current in the file.");
            return;
        }

        if (options.Endpoint is null && string.IsNullOrWhiteSpace(options.RegionId))
        {
            options.Endpoint = profile.Endpoint;
            options.RegionId = profile.Endpoint is null ? profile.RegionId : null;
        }

        options.Edition ??= profile.Edition;
        if (options.Credential is not null || options.CredentialProvider is not null || services.GetService<DataphinCredentialProvider>() is not null)
        {
            return;
        }

        try
        {
            var provider = profile.CreateCredentialProvider(SourceOptions(services));
            if (provider is ISyncCredentialSource source)
            {
                _ = source.Resolve();
            }

            options.CredentialProvider = provider;
        }
        catch (DataphinProfileException invalid)
        {
            options.ConfigurationErrors.Add("Dataphin profile: " + invalid.Message);
        }
        catch (DataphinCredentialException unusable)
        {
            options.ConfigurationErrors.Add($"Dataphin profile '{profile.Name}' names credentialProfile '{profile.CredentialProfile}', which cannot be used: {unusable.Message}");
        }
    }

    /// <summary>The environment to read: a registered <see cref="DataphinProcessEnvironment"/>, else the process.</summary>
    public static DataphinProcessEnvironment Environment(IServiceProvider services)
        => services.GetService<DataphinProcessEnvironment>() ?? DataphinProcessEnvironment.Current;

    /// <summary>The credential sources' settings: the container's environment and clock.</summary>
    public static DataphinCredentialSourceOptions SourceOptions(IServiceProvider services) => new()
    {
        Environment = Environment(services),
        TimeProvider = services.GetService<TimeProvider>() ?? TimeProvider.System,
    };
}
