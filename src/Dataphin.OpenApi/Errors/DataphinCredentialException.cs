namespace Dataphin.OpenApi;

/// <summary>
/// A credential source could not supply a credential: its file is malformed, a setting is half given, or (through the
/// subclasses) it holds no credential or one of a kind Dataphin does not accept. The message names the source (a
/// variable, a file and its section or profile) and what to fix; it never holds a secret or a token.
/// </summary>
public class DataphinCredentialException : DataphinException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="credentialSource">The source, e.g. <c>credentials file /home/me/.alibabacloud/credentials, section [default]</c>.</param>
    /// <param name="reason">What is wrong and what to do about it.</param>
    /// <param name="innerException">The cause, if any.</param>
    public DataphinCredentialException(string credentialSource, string reason, Exception? innerException = null)
        : base($"{credentialSource}: {reason}", innerException)
    {
        CredentialSource = credentialSource;
        Reason = reason;
    }

    /// <summary>Creates the exception with a message that is not prefixed by the source (a chain's summary).</summary>
    /// <param name="credentialSource">The source.</param>
    /// <param name="reason">The reason, shown as is.</param>
    /// <param name="message">The whole message.</param>
    private protected DataphinCredentialException(string credentialSource, string reason, string message)
        : base(message)
    {
        CredentialSource = credentialSource;
        Reason = reason;
    }

    /// <summary>The source that failed, e.g. <c>environment variables</c> or <c>aliyun CLI profile 'dev' in /home/me/.aliyun/config.json</c>.</summary>
    public string CredentialSource { get; }

    /// <summary>What is wrong, without the source's name.</summary>
    public string Reason { get; }
}
