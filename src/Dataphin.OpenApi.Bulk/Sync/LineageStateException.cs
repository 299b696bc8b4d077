namespace Dataphin.OpenApi.Bulk;

/// <summary>A lineage state file cannot be read: it is not JSON, not a state file, or of a version this library does not know.</summary>
public sealed class LineageStateException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">What is wrong, naming the file and the member.</param>
    /// <param name="innerException">The parser's error, if any.</param>
    public LineageStateException(string message, Exception? innerException = null)
        : base(message, innerException)
    {
    }
}
