namespace Dataphin.OpenApi;

/// <summary>
/// A credential source holds no credential: its variables are not set, its file or profile does not exist, or the
/// profile is of a kind this package does not read. A chain such as <see cref="DataphinDefaultCredentialProvider"/>
/// moves on to its next source; when none has a credential it throws this exception with every source's reason in
/// <see cref="Attempts"/>.
/// </summary>
public sealed class DataphinCredentialUnavailableException : DataphinCredentialException
{
    /// <summary>Creates the exception for one source.</summary>
    /// <param name="credentialSource">The source.</param>
    /// <param name="reason">Why it has no credential.</param>
    public DataphinCredentialUnavailableException(string credentialSource, string reason)
        : base(credentialSource, reason)
    {
        Attempts = [];
    }

    /// <summary>Creates the exception of a chain in which no source had a credential.</summary>
    /// <param name="credentialSource">The chain, e.g. <c>default credential chain</c>.</param>
    /// <param name="attempts">Every source's failure, in the order tried.</param>
    /// <param name="advice">What to do, appended to the message.</param>
    public DataphinCredentialUnavailableException(string credentialSource, IReadOnlyList<DataphinCredentialException> attempts, string advice)
        : base(credentialSource, advice, Summarize(credentialSource, attempts, advice))
    {
        Attempts = attempts ?? throw new ArgumentNullException(nameof(attempts));
    }

    /// <summary>For a chain: each source's failure, in the order tried; empty for a single source.</summary>
    public IReadOnlyList<DataphinCredentialException> Attempts { get; }

    private static string Summarize(string credentialSource, IReadOnlyList<DataphinCredentialException> attempts, string advice)
    {
        if (attempts is null)
        {
            throw new ArgumentNullException(nameof(attempts));
        }

        var lines = attempts.Select((a, i) => $"{System.Environment.NewLine}  {i + 1}. {a.Message}");
        return $"No Dataphin credential found by the {credentialSource}. Tried, in order:{string.Concat(lines)}{System.Environment.NewLine}{advice}";
    }
}
