namespace Dataphin.OpenApi;

/// <summary>
/// The Dataphin profile file (<c>~/.dataphin/config.json</c> or <c>DATAPHIN_CONFIG</c>) cannot be used: it is not
/// well-formed, a setting has a bad value (named by its path, e.g. <c>profiles.prod.tenantId</c>), or the profile asked
/// for is not in it. The message never holds a secret.
/// </summary>
public sealed class DataphinProfileException : DataphinException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="path">The file.</param>
    /// <param name="message">What is wrong (the file's path is prefixed).</param>
    /// <param name="innerException">The cause, if any.</param>
    public DataphinProfileException(string path, string message, Exception? innerException = null)
        : base($"{path}: {message}", innerException)
    {
        Path = path;
    }

    /// <summary>The profile file.</summary>
    public string Path { get; }
}
