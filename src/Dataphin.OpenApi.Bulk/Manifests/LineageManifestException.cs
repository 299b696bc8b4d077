using Dataphin.OpenApi.Bulk;
namespace Dataphin.OpenApi;

/// <summary>
/// A manifest cannot be read any further: its overall structure is broken (for example a JSON manifest that is not
/// well-formed, or a CSV header with an unknown column). Bad items or rows in an otherwise readable manifest are
/// not exceptions: they become <see cref="LineageItem.Unreadable"/> items, reported by the bulk run.
/// </summary>
public sealed class LineageManifestException : DataphinException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">What is wrong, including the line.</param>
    /// <param name="lineNumber">The 1-based line where the problem is, if known.</param>
    /// <param name="innerException">The cause, if any.</param>
    public LineageManifestException(string message, int? lineNumber, Exception? innerException = null)
        : base(message, innerException)
    {
        LineNumber = lineNumber;
    }

    /// <summary>The 1-based line where the problem is, if known.</summary>
    public int? LineNumber { get; }
}
