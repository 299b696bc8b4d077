using Dataphin.OpenApi.Authentication.Sources;

namespace Dataphin.OpenApi;

/// <summary>
/// Reads the credential from <c>ALIBABA_CLOUD_ACCESS_KEY_ID</c>, <c>ALIBABA_CLOUD_ACCESS_KEY_SECRET</c> and the optional
/// <c>ALIBABA_CLOUD_SECURITY_TOKEN</c> on every request, so changed values are used at once. Sent as
/// <c>x-acs-credentials-provider: env</c>.
/// </summary>
/// <remarks>
/// When the AccessKey variables are not set but the variables of an OIDC role (<c>ALIBABA_CLOUD_ROLE_ARN</c>,
/// <c>ALIBABA_CLOUD_OIDC_PROVIDER_ARN</c>, <c>ALIBABA_CLOUD_OIDC_TOKEN_FILE</c>) or of an ECS instance RAM role
/// (<c>ALIBABA_CLOUD_ECS_METADATA</c>) are, it throws <see cref="DataphinRamRoleNotSupportedException"/>: the Dataphin
/// OpenAPI does not accept RAM roles.
/// </remarks>
public sealed class DataphinEnvironmentCredentialProvider : DataphinCredentialProvider, ISyncCredentialSource
{
    /// <summary>The provider name sent as <c>x-acs-credentials-provider</c>.</summary>
    internal const string ProviderName = "env";

    private const string SourceName = "environment variables";
    private readonly DataphinProcessEnvironment _environment;
    private Cached? _cached;

    /// <summary>Creates the provider.</summary>
    /// <param name="environment">Where to read the variables; <see langword="null"/> for the running process.</param>
    public DataphinEnvironmentCredentialProvider(DataphinProcessEnvironment? environment = null)
    {
        _environment = environment ?? DataphinProcessEnvironment.Current;
    }

    /// <inheritdoc/>
    /// <exception cref="DataphinCredentialUnavailableException">The AccessKey variables are not set.</exception>
    /// <exception cref="DataphinRamRoleNotSupportedException">Only the variables of an OIDC or ECS RAM role are set.</exception>
    /// <exception cref="DataphinCredentialException">Only one of the AccessKey variables, or only the token, is set.</exception>
    public override ValueTask<DataphinCredential> GetCredentialAsync(CancellationToken cancellationToken) => new(Resolve().Credential);

    /// <inheritdoc/>
    public override ValueTask<DataphinCredentialResolution> ResolveAsync(CancellationToken cancellationToken) => new(Resolve());

    /// <inheritdoc/>
    public DataphinCredentialResolution Resolve()
    {
        var id = _environment.GetVariable(DataphinCredential.AccessKeyIdVariable);
        var secret = _environment.GetVariable(DataphinCredential.AccessKeySecretVariable);
        var token = _environment.GetVariable(DataphinCredential.SecurityTokenVariable);
        if (id is not null && secret is not null)
        {
            // Reuse the last credential while the variables are unchanged: no allocation per request.
            if (_cached is { } cached && cached.Id == id && cached.Secret == secret && cached.Token == token)
            {
                return cached.Resolution;
            }

            var credential = new DataphinCredential(id, secret, token).WithProviderName(ProviderName);
            var source = $"{SourceName} {DataphinCredential.AccessKeyIdVariable} and {DataphinCredential.AccessKeySecretVariable}"
                + (token is null ? string.Empty : $" with {DataphinCredential.SecurityTokenVariable}");
            var resolution = new DataphinCredentialResolution(credential, source);
            _cached = new Cached(id, secret, token, resolution);
            return resolution;
        }

        if (id is not null || secret is not null)
        {
            var (set, unset) = id is not null
                ? (DataphinCredential.AccessKeyIdVariable, DataphinCredential.AccessKeySecretVariable)
                : (DataphinCredential.AccessKeySecretVariable, DataphinCredential.AccessKeyIdVariable);
            throw new DataphinCredentialException(SourceName, $"{set} is set but {unset} is not; set both {DataphinCredential.AccessKeyIdVariable} and {DataphinCredential.AccessKeySecretVariable}, or neither.");
        }

        if (token is not null)
        {
            throw new DataphinCredentialException(SourceName, $"{DataphinCredential.SecurityTokenVariable} is set but {DataphinCredential.AccessKeyIdVariable} and {DataphinCredential.AccessKeySecretVariable} are not; an STS token needs its AccessKey id and secret.");
        }

        string[] oidc = ["ALIBABA_CLOUD_ROLE_ARN", "ALIBABA_CLOUD_OIDC_PROVIDER_ARN", "ALIBABA_CLOUD_OIDC_TOKEN_FILE"];
        if (oidc.All(v => _environment.GetVariable(v) is not null))
        {
            throw new DataphinRamRoleNotSupportedException(
                $"{SourceName} {string.Join(", ", oidc)}",
                "oidc_role_arn",
                $"Set {DataphinCredential.AccessKeyIdVariable} and {DataphinCredential.AccessKeySecretVariable} to a RAM user's AccessKey.");
        }

        if (_environment.GetVariable("ALIBABA_CLOUD_ECS_METADATA") is not null)
        {
            throw new DataphinRamRoleNotSupportedException(
                $"{SourceName} ALIBABA_CLOUD_ECS_METADATA",
                "ecs_ram_role",
                $"Set {DataphinCredential.AccessKeyIdVariable} and {DataphinCredential.AccessKeySecretVariable} to a RAM user's AccessKey.");
        }

        throw new DataphinCredentialUnavailableException(SourceName, $"{DataphinCredential.AccessKeyIdVariable} and {DataphinCredential.AccessKeySecretVariable} are not set.");
    }

    /// <summary>Names the source; never a value.</summary>
    public override string ToString() => "DataphinEnvironmentCredentialProvider(ALIBABA_CLOUD_ACCESS_KEY_ID, ALIBABA_CLOUD_ACCESS_KEY_SECRET, ALIBABA_CLOUD_SECURITY_TOKEN)";

    /// <summary>The last values read and what they gave (a class, not a record: no generated ToString to print the secret).</summary>
    private sealed class Cached(string id, string secret, string? token, DataphinCredentialResolution resolution)
    {
        public string Id { get; } = id;

        public string Secret { get; } = secret;

        public string? Token { get; } = token;

        public DataphinCredentialResolution Resolution { get; } = resolution;
    }
}
