using System.Text;
using Dataphin.OpenApi.Testing.Protocol;

namespace Dataphin.OpenApi.Testing;

/// <summary>
/// A request a <see cref="FakeDataphinTransport"/> received, as it went over the wire: the action, the decoded query
/// and form fields, every header (signature included) and the exact body bytes. Immutable.
/// </summary>
public sealed class FakeDataphinRequest
{
    private static readonly IReadOnlyDictionary<string, string> NoFields = new Dictionary<string, string>(0);

    private readonly byte[] _body;

    internal FakeDataphinRequest(int index, DateTimeOffset receivedAt, HttpRequestMessage request, byte[] body)
    {
        Index = index;
        ReceivedAt = receivedAt;
        Method = request.Method.Method;
        Uri = request.RequestUri ?? throw new ArgumentException("The request has no RequestUri.", nameof(request));
        _body = body;

        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var header in request.Headers)
        {
            headers[header.Key.ToLowerInvariant()] = string.Join(", ", header.Value);
        }

        if (request.Content is not null)
        {
            foreach (var header in request.Content.Headers)
            {
                headers[header.Key.ToLowerInvariant()] = string.Join(", ", header.Value);
            }
        }

        Headers = headers;
        Action = headers.TryGetValue("x-acs-action", out var action) ? action : null;
        Query = Fields(Uri.Query);
        Form = headers.TryGetValue("content-type", out var type) && type.StartsWith("application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase)
            ? Fields(Encoding.UTF8.GetString(body))
            : NoFields;
    }

    /// <summary>The position of the request among those the transport received, from 0.</summary>
    public int Index { get; }

    /// <summary>When the transport received the request, on its <see cref="TimeProvider"/>.</summary>
    public DateTimeOffset ReceivedAt { get; }

    /// <summary>The HTTP method, e.g. <c>POST</c>.</summary>
    public string Method { get; }

    /// <summary>The request URI, query included.</summary>
    public Uri Uri { get; }

    /// <summary>The operation called (the <c>x-acs-action</c> header), e.g. <c>AddRegisterLineage</c>; <see langword="null"/> if the header is missing.</summary>
    public string? Action { get; }

    /// <summary>The query parameters, decoded (e.g. <c>OpTenantId</c>). A name given twice keeps its last value; <see cref="Uri"/> has the exact text.</summary>
    public IReadOnlyDictionary<string, string> Query { get; }

    /// <summary>
    /// The fields of an <c>application/x-www-form-urlencoded</c> body, decoded (e.g. <c>AddRegisterLineageCommand</c> and
    /// its JSON); empty for any other body. A name given twice keeps its last value; <see cref="Body"/> has the exact bytes.
    /// </summary>
    public IReadOnlyDictionary<string, string> Form { get; }

    /// <summary>Every request and content header, by lower-case name (looked up ignoring case); several values are joined with <c>", "</c>.</summary>
    public IReadOnlyDictionary<string, string> Headers { get; }

    /// <summary>The body bytes exactly as sent.</summary>
    public ReadOnlyMemory<byte> Body => _body;

    /// <summary>The body as text (UTF-8).</summary>
    public string BodyText => Encoding.UTF8.GetString(_body);

    /// <summary>The value of one header, or <see langword="null"/> if the request did not have it.</summary>
    /// <param name="name">The header name, in any case.</param>
    /// <returns>The value; several values are joined with <c>", "</c>.</returns>
    public string? Header(string name) => Headers.TryGetValue(name, out var value) ? value : null;

    /// <summary>The method, action and URI, for test output (headers are left out: they hold the signature).</summary>
    /// <returns>A short description.</returns>
    public override string ToString() => $"#{Index} {Method} {Action ?? "(no x-acs-action)"} {Uri}";

    private static Dictionary<string, string> Fields(string text)
    {
        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, value) in Rfc3986.ParsePairs(text))
        {
            fields[name] = value;
        }

        return fields;
    }
}
