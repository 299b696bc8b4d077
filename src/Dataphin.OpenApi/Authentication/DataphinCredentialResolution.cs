namespace Dataphin.OpenApi;

/// <summary>
/// Which credential a provider chose and why: the credential, a description of where it came from, the sources tried
/// before it and why they were passed over, and warnings (such as a key file that other users can read). Returned by
/// <see cref="DataphinCredentialProvider.ResolveAsync"/>; <c>dataphin whoami</c> prints it. It never holds the
/// secret or the token in its text.
/// </summary>
public sealed class DataphinCredentialResolution
{
    /// <summary>Creates a resolution.</summary>
    /// <param name="credential">The credential chosen.</param>
    /// <param name="source">Where it came from, e.g. <c>credentials file /home/me/.alibabacloud/credentials, section [default] (type access_key)</c>.</param>
    /// <param name="skipped">The sources tried before, with why each had no usable credential; <see langword="null"/> for none.</param>
    /// <param name="warnings">Warnings about the source, e.g. file permissions; <see langword="null"/> for none.</param>
    /// <exception cref="ArgumentNullException"><paramref name="credential"/> or <paramref name="source"/> is null.</exception>
    public DataphinCredentialResolution(DataphinCredential credential, string source, IReadOnlyList<DataphinCredentialException>? skipped = null, IReadOnlyList<string>? warnings = null)
    {
        Credential = credential ?? throw new ArgumentNullException(nameof(credential));
        Source = source ?? throw new ArgumentNullException(nameof(source));
        Skipped = skipped ?? [];
        Warnings = warnings ?? [];
    }

    /// <summary>The credential chosen.</summary>
    public DataphinCredential Credential { get; }

    /// <summary>Where the credential came from.</summary>
    public string Source { get; }

    /// <summary>The sources tried before <see cref="Source"/>, in order, each with why it was passed over.</summary>
    public IReadOnlyList<DataphinCredentialException> Skipped { get; }

    /// <summary>Warnings about the source, e.g. a key file that group or other users can read.</summary>
    public IReadOnlyList<string> Warnings { get; }

    internal DataphinCredentialResolution WithSkipped(IReadOnlyList<DataphinCredentialException> skipped, DataphinCredential credential)
        => new(credential, Source, skipped, Warnings);

    /// <summary>The source and the masked AccessKey id; never the secret or the token.</summary>
    public override string ToString() => $"{Source} (AccessKey {Credential.MaskedAccessKeyId}{(Credential.HasSecurityToken ? ", with an STS token" : string.Empty)})";
}
