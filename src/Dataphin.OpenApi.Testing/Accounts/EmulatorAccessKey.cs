namespace Dataphin.OpenApi.Testing;

/// <summary>
/// An AccessKey the emulator accepts: its secret, the tenants it may call, whether it has RAM authorization
/// for the Dataphin OpenAPI, and, for an STS credential, the security token it must present.
/// </summary>
/// <example>
/// <code>
/// emulator.AddAccessKey(new EmulatorAccessKey("otherKeyId", "otherKeySecret", 300009999));
/// emulator.AddAccessKey(new EmulatorAccessKey("STS.key", "stsSecret", emulator.DefaultTenantId) { SecurityToken = "token" });
/// </code>
/// </example>
public sealed class EmulatorAccessKey
{
    /// <summary>Creates an AccessKey description.</summary>
    /// <param name="accessKeyId">The AccessKey id.</param>
    /// <param name="accessKeySecret">The AccessKey secret.</param>
    /// <param name="tenantIds">The tenants this key may call (they are created if the emulator does not have them yet).</param>
    /// <exception cref="ArgumentException">The id or the secret is empty, or a tenant id is not positive.</exception>
    public EmulatorAccessKey(string accessKeyId, string accessKeySecret, params long[] tenantIds)
    {
        if (string.IsNullOrWhiteSpace(accessKeyId))
        {
            throw new ArgumentException("The AccessKey id must not be empty.", nameof(accessKeyId));
        }

        if (string.IsNullOrEmpty(accessKeySecret))
        {
            throw new ArgumentException("The AccessKey secret must not be empty.", nameof(accessKeySecret));
        }

        foreach (var tenant in tenantIds ?? [])
        {
            if (tenant <= 0)
            {
                throw new ArgumentException($"Tenant ids must be positive (got {tenant}).", nameof(tenantIds));
            }
        }

        AccessKeyId = accessKeyId;
        AccessKeySecret = accessKeySecret;
        TenantIds = [.. tenantIds ?? []];
    }

    /// <summary>The AccessKey id.</summary>
    public string AccessKeyId { get; }

    /// <summary>The AccessKey secret.</summary>
    public string AccessKeySecret { get; }

    /// <summary>The tenants this key may call; calls for other tenants get <c>DataphinOpenApiForbidden</c> (HTTP 403).</summary>
    public IReadOnlyList<long> TenantIds { get; }

    /// <summary>
    /// For an STS credential, the security token every request must carry in a signed <c>x-acs-security-token</c>
    /// header; <see langword="null"/> for a plain AccessKey.
    /// </summary>
    public string? SecurityToken { get; init; }

    /// <summary>
    /// Whether the key's RAM identity is authorized to call the Dataphin OpenAPI. When <see langword="false"/>,
    /// authenticated calls get <c>DataphinOpenAPIRamUnAuthorized</c> (HTTP 401). Defaults to <see langword="true"/>.
    /// </summary>
    public bool RamAuthorized { get; init; } = true;

    /// <summary>A description without the secret or the token.</summary>
    public override string ToString() => $"EmulatorAccessKey {{ AccessKeyId = {AccessKeyId}, Tenants = [{string.Join(", ", TenantIds)}], Sts = {SecurityToken is not null}, RamAuthorized = {RamAuthorized} }}";
}
