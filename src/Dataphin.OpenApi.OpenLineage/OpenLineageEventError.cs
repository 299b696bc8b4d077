namespace Dataphin.OpenApi.OpenLineage;

/// <summary>An event line that could not be read.</summary>
public sealed class OpenLineageEventError
{
    internal OpenLineageEventError(int lineNumber, string message)
    {
        LineNumber = lineNumber;
        Message = message;
    }

    /// <summary>The 1-based line of the event.</summary>
    public int LineNumber { get; }

    /// <summary>What is wrong.</summary>
    public string Message { get; }

    /// <inheritdoc />
    public override string ToString() => $"line {LineNumber}: {Message}";
}
