namespace Dataphin.OpenApi.Testing;

/// <summary>The shapes of malformed answers the emulator can inject.</summary>
public enum MalformedBodyKind
{
    /// <summary>HTTP 200 with the success JSON cut off in the middle.</summary>
    TruncatedJson,

    /// <summary>HTTP 502 with an HTML error page, as a proxy or gateway in front of the service answers.</summary>
    HtmlPage,
}
