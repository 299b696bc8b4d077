namespace Dataphin.OpenApi;

/// <summary>
/// Supplies the credential for each request. The client asks for it on every attempt, so a provider can hand
/// out rotated AccessKeys or refreshed STS tokens without the client being rebuilt.
/// </summary>
public abstract class DataphinCredentialProvider
{
    /// <summary>Returns the credential to sign the next attempt with.</summary>
    /// <param name="cancellationToken">Cancels the lookup.</param>
    /// <returns>The credential.</returns>
    public abstract ValueTask<DataphinCredential> GetCredentialAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Returns the credential together with where it came from and, for a chain, why the sources before it were
    /// passed over. The built-in sources describe themselves; for another provider the description is its
    /// <see cref="object.ToString"/>.
    /// </summary>
    /// <param name="cancellationToken">Cancels the lookup.</param>
    /// <returns>The credential and its description.</returns>
    /// <exception cref="DataphinCredentialException">The provider has no usable credential; the message says why.</exception>
    public virtual async ValueTask<DataphinCredentialResolution> ResolveAsync(CancellationToken cancellationToken)
    {
        var credential = await GetCredentialAsync(cancellationToken).ConfigureAwait(false);
        return new DataphinCredentialResolution(credential, ToString() ?? GetType().Name);
    }

    /// <summary>A provider that always returns <paramref name="credential"/>.</summary>
    /// <param name="credential">The credential.</param>
    /// <exception cref="ArgumentNullException"><paramref name="credential"/> is null.</exception>
    public static DataphinCredentialProvider FromCredential(DataphinCredential credential)
        => new StaticProvider(credential ?? throw new ArgumentNullException(nameof(credential)));

    /// <summary>
    /// A provider that reads <c>ALIBABA_CLOUD_ACCESS_KEY_ID</c>, <c>ALIBABA_CLOUD_ACCESS_KEY_SECRET</c> and
    /// <c>ALIBABA_CLOUD_SECURITY_TOKEN</c> of the process on every request, so rotated values are picked up
    /// (a <see cref="DataphinEnvironmentCredentialProvider"/>).
    /// </summary>
    /// <param name="validateNow">Check the variables at once and throw if they are missing (the default), rather than at the first request.</param>
    /// <exception cref="InvalidOperationException"><paramref name="validateNow"/> is set and a variable is missing.</exception>
    public static DataphinCredentialProvider FromEnvironment(bool validateNow = true)
    {
        if (validateNow)
        {
            _ = DataphinCredential.FromEnvironment();
        }

        return new DataphinEnvironmentCredentialProvider();
    }

    /// <summary>A provider that calls <paramref name="factory"/> for every attempt.</summary>
    /// <param name="factory">Returns the current credential.</param>
    /// <exception cref="ArgumentNullException"><paramref name="factory"/> is null.</exception>
    public static DataphinCredentialProvider FromFactory(Func<CancellationToken, ValueTask<DataphinCredential>> factory)
        => new FactoryProvider(factory ?? throw new ArgumentNullException(nameof(factory)));

    private sealed class StaticProvider(DataphinCredential credential) : DataphinCredentialProvider
    {
        internal DataphinCredential Credential { get; } = credential;

        public override ValueTask<DataphinCredential> GetCredentialAsync(CancellationToken cancellationToken) => new(Credential);

        public override ValueTask<DataphinCredentialResolution> ResolveAsync(CancellationToken cancellationToken)
            => new(new DataphinCredentialResolution(Credential, "a credential given in code"));

        public override string ToString() => Credential.ToString();
    }

    private sealed class FactoryProvider(Func<CancellationToken, ValueTask<DataphinCredential>> factory) : DataphinCredentialProvider
    {
        public override async ValueTask<DataphinCredential> GetCredentialAsync(CancellationToken cancellationToken)
            => await factory(cancellationToken).ConfigureAwait(false)
               ?? throw new InvalidOperationException("The credential factory returned null.");

        public override string ToString() => "DataphinCredentialProvider(factory)";
    }
}
