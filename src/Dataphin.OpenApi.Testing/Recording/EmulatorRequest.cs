namespace Dataphin.OpenApi.Testing;

/// <summary>
/// A request the emulator received and how it answered. Secret material is masked: the <c>Signature=</c> part of
/// <c>Authorization</c> and the value of <c>x-acs-security-token</c> read <c>***</c>.
/// </summary>
public sealed record EmulatorRequest
{
    /// <summary>The order of arrival, from 1.</summary>
    public required long Sequence { get; init; }

    /// <summary>When it arrived, on the emulator's clock.</summary>
    public required DateTimeOffset ReceivedAt { get; init; }

    /// <summary>The request id the emulator answered with.</summary>
    public required string RequestId { get; init; }

    /// <summary>The HTTP method.</summary>
    public required string Method { get; init; }

    /// <summary>The <c>x-acs-action</c> header, if sent.</summary>
    public string? Action { get; init; }

    /// <summary>The <c>OpTenantId</c> query parameter, if it was a number.</summary>
    public long? TenantId { get; init; }

    /// <summary>The AccessKey id from the Authorization header, if present.</summary>
    public string? AccessKeyId { get; init; }

    /// <summary>The query parameters, decoded, in the order sent.</summary>
    public required IReadOnlyList<KeyValuePair<string, string>> Query { get; init; }

    /// <summary>The form fields of the body, decoded, in the order sent; empty when the body was not read (see <see cref="BodyLength"/>).</summary>
    public required IReadOnlyList<KeyValuePair<string, string>> Form { get; init; }

    /// <summary>The request headers (names lower case; secrets masked).</summary>
    public required IReadOnlyDictionary<string, string> Headers { get; init; }

    /// <summary>
    /// The number of body bytes read: 0 when the request was answered from its headers alone (for example unsigned,
    /// badly signed, or announcing a body over <see cref="DataphinEmulatorOptions.MaxRequestBodyBytes"/>).
    /// </summary>
    public int BodyLength { get; init; }

    /// <summary>The HTTP status answered; 0 when the connection was dropped.</summary>
    public int Status { get; init; }

    /// <summary>The <c>Code</c> answered (<c>OK</c> on success), or <see langword="null"/> for a dropped connection or a malformed body.</summary>
    public string? Code { get; init; }

    /// <summary>The fault injected, if any.</summary>
    public EmulatorFaultKind Fault { get; init; }

    /// <summary>Whether the action was executed (for lineage commands: the store was updated).</summary>
    public bool Applied { get; init; }

    /// <inheritdoc />
    public override string ToString() => $"#{Sequence} {Action} tenant {TenantId} -> {(Status == 0 ? "dropped" : Status.ToString(System.Globalization.CultureInfo.InvariantCulture))} {Code}{(Fault == EmulatorFaultKind.None ? string.Empty : " fault " + Fault)}";
}
