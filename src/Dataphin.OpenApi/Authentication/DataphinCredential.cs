namespace Dataphin.OpenApi;

/// <summary>
/// An Alibaba Cloud AccessKey pair, optionally with an STS security token, used to sign Dataphin requests.
/// The secret and the token can only be read by this package: they never appear in <see cref="ToString"/>,
/// logs or exception messages.
/// </summary>
/// <remarks>RAM roles cannot call the Dataphin OpenAPI; use the AccessKey of a RAM user or of the account.</remarks>
public sealed class DataphinCredential
{
    /// <summary>The environment variable holding the AccessKey id.</summary>
    public const string AccessKeyIdVariable = "ALIBABA_CLOUD_ACCESS_KEY_ID";

    /// <summary>The environment variable holding the AccessKey secret.</summary>
    public const string AccessKeySecretVariable = "ALIBABA_CLOUD_ACCESS_KEY_SECRET";

    /// <summary>The environment variable holding an optional STS security token.</summary>
    public const string SecurityTokenVariable = "ALIBABA_CLOUD_SECURITY_TOKEN";

    /// <summary>Creates a credential.</summary>
    /// <param name="accessKeyId">The AccessKey id.</param>
    /// <param name="accessKeySecret">The AccessKey secret.</param>
    /// <param name="securityToken">An STS security token, or <see langword="null"/> for a plain AccessKey.</param>
    /// <exception cref="ArgumentException">The id or the secret is null, empty or white space, or the token is empty or white space.</exception>
    public DataphinCredential(string accessKeyId, string accessKeySecret, string? securityToken = null)
    {
        if (string.IsNullOrWhiteSpace(accessKeyId))
        {
            throw new ArgumentException("The AccessKey id is missing or empty.", nameof(accessKeyId));
        }

        if (string.IsNullOrWhiteSpace(accessKeySecret))
        {
            throw new ArgumentException("The AccessKey secret is missing or empty.", nameof(accessKeySecret));
        }

        if (securityToken is not null && string.IsNullOrWhiteSpace(securityToken))
        {
            throw new ArgumentException("The security token is empty; pass null when there is none.", nameof(securityToken));
        }

        AccessKeyId = accessKeyId.Trim();
        AccessKeySecret = accessKeySecret;
        SecurityToken = securityToken;
    }

    /// <summary>The AccessKey id (not a secret; it is sent in every request).</summary>
    public string AccessKeyId { get; }

    /// <summary><see langword="true"/> when an STS security token is attached.</summary>
    public bool HasSecurityToken => SecurityToken is not null;

    internal string AccessKeySecret { get; }

    internal string? SecurityToken { get; }

    /// <summary>
    /// The name of the source the credential came from, sent (signed) as <c>x-acs-credentials-provider</c> as the
    /// official credential libraries do: <c>env</c>, <c>profile/static_ak</c>, <c>cli_profile/static_sts</c>, with a
    /// <c>default/</c> prefix through the default chain; <see langword="null"/> for a credential made in code
    /// (<c>static_ak</c> or <c>static_sts</c> is sent).
    /// </summary>
    internal string? ProviderName { get; private set; }

    /// <summary>A copy of this credential that names <paramref name="providerName"/> as its source.</summary>
    internal DataphinCredential WithProviderName(string providerName)
        => new(AccessKeyId, AccessKeySecret, SecurityToken) { ProviderName = providerName };

    /// <summary>The name sent as <c>x-acs-credentials-provider</c>.</summary>
    internal string WireProviderName => ProviderName ?? StaticProviderName;

    /// <summary><c>static_sts</c> with a security token, <c>static_ak</c> without.</summary>
    internal string StaticProviderName => HasSecurityToken ? "static_sts" : "static_ak";

    /// <summary>
    /// Reads the credential from <c>ALIBABA_CLOUD_ACCESS_KEY_ID</c>, <c>ALIBABA_CLOUD_ACCESS_KEY_SECRET</c> and
    /// the optional <c>ALIBABA_CLOUD_SECURITY_TOKEN</c>.
    /// </summary>
    /// <returns>The credential.</returns>
    /// <exception cref="InvalidOperationException">A required variable is missing or empty; the message names it.</exception>
    public static DataphinCredential FromEnvironment()
    {
        var id = System.Environment.GetEnvironmentVariable(AccessKeyIdVariable);
        var secret = System.Environment.GetEnvironmentVariable(AccessKeySecretVariable);
        var token = System.Environment.GetEnvironmentVariable(SecurityTokenVariable);
        var missing = new List<string>(2);
        if (string.IsNullOrWhiteSpace(id))
        {
            missing.Add(AccessKeyIdVariable);
        }

        if (string.IsNullOrWhiteSpace(secret))
        {
            missing.Add(AccessKeySecretVariable);
        }

        if (missing.Count > 0)
        {
            throw new InvalidOperationException(
                $"No Dataphin credential in the environment: {string.Join(" and ", missing)} {(missing.Count == 1 ? "is" : "are")} not set or empty.");
        }

        return new DataphinCredential(id!, secret!, string.IsNullOrWhiteSpace(token) ? null : token);
    }

    /// <summary>Returns a description with the AccessKey id partly masked and no secret.</summary>
    public override string ToString()
        => $"DataphinCredential {{ AccessKeyId = {MaskedAccessKeyId}, SecurityToken = {(HasSecurityToken ? "(set)" : "(none)")} }}";

    /// <summary>The AccessKey id with all but its first and last four characters hidden (all hidden when it is 8 characters or shorter), e.g. <c>LTAI****w9Xz</c>.</summary>
    public string MaskedAccessKeyId => Mask(AccessKeyId);

    internal static string Mask(string accessKeyId)
        => accessKeyId.Length <= 8 ? new string('*', accessKeyId.Length) : accessKeyId.Substring(0, 4) + "****" + accessKeyId.Substring(accessKeyId.Length - 4);
}
