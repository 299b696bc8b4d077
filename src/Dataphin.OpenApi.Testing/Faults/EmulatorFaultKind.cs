namespace Dataphin.OpenApi.Testing;

/// <summary>The fault injected into the answer of a recorded request.</summary>
public enum EmulatorFaultKind
{
    /// <summary>No fault.</summary>
    None,

    /// <summary>Answered with HTTP 500 or 503.</summary>
    ServerError,

    /// <summary>The connection was aborted without an answer.</summary>
    DroppedConnection,

    /// <summary>Answered with a malformed body.</summary>
    MalformedBody,
}
