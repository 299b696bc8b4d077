namespace Dataphin.OpenApi;

/// <summary>The base of every failure this package raises apart from invalid arguments (see <see cref="DataphinValidationException"/>).</summary>
public class DataphinException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">What went wrong.</param>
    /// <param name="innerException">The cause, if any.</param>
    public DataphinException(string message, Exception? innerException = null)
        : base(message, innerException)
    {
    }
}
