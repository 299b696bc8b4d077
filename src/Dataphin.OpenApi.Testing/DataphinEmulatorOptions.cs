namespace Dataphin.OpenApi.Testing;

/// <summary>Settings of a <see cref="DataphinEmulator"/>. Every setting has a default that works for a test.</summary>
public sealed class DataphinEmulatorOptions
{
    /// <summary>The default AccessKey id: <c>testAccessKeyId</c> (the one the official clients' golden vectors use).</summary>
    public const string DefaultAccessKeyId = "testAccessKeyId";

    /// <summary>The default AccessKey secret: <c>testAccessKeySecret</c>.</summary>
    public const string DefaultAccessKeySecret = "testAccessKeySecret";

    /// <summary>The default tenant id: <c>300001234</c>.</summary>
    public const long DefaultTenant = 300001234;

    /// <summary>
    /// The default of <see cref="MaxRequestBodyBytes"/>: 10 MiB (10,485,760 bytes). The service documents no body size
    /// limit; a lineage command of 100 field lineages is a few tens of kilobytes, so this is far above any real call.
    /// It is also the client's limit, <c>DataphinClientOptions.MaxRequestBodyBytes</c> (the emulator does not reference
    /// the client, so a test keeps the two equal): the client refuses a larger body before sending it.
    /// </summary>
    public const int DefaultMaxRequestBodyBytes = 10 * 1024 * 1024;

    /// <summary>The largest <see cref="MaxRequestBodyBytes"/> allowed: 1 GiB.</summary>
    public const int MaxRequestBodyBytesLimit = 1024 * 1024 * 1024;

    /// <summary>The default of <see cref="MaxRecordedRequestBytes"/>: 64 MiB.</summary>
    public const long DefaultMaxRecordedRequestBytes = 64L * 1024 * 1024;

    /// <summary>The TCP port to listen on, on 127.0.0.1; 0 (the default) picks a free port.</summary>
    public int Port { get; set; }

    /// <summary>The tenant created at start, which the default AccessKey may access.</summary>
    public long DefaultTenantId { get; set; } = DefaultTenant;

    /// <summary>The id of the AccessKey created at start.</summary>
    public string AccessKeyId { get; set; } = DefaultAccessKeyId;

    /// <summary>The secret of the AccessKey created at start.</summary>
    public string AccessKeySecret { get; set; } = DefaultAccessKeySecret;

    /// <summary>
    /// When set, the AccessKey created at start is an STS credential: every request signed with it must carry this
    /// token in a signed <c>x-acs-security-token</c> header. <see langword="null"/> (the default) for a plain AccessKey.
    /// </summary>
    public string? SecurityToken { get; set; }

    /// <summary>The clock used for the 15-minute date check, nonce memory, quotas and injected latency. Defaults to <see cref="TimeProvider.System"/>.</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>The quotas enforced per tenant and throttling level. Defaults to the Basic R&amp;D edition's QPS (50 / 20 / 5).</summary>
    public EmulatorQuotas Quotas { get; set; } = EmulatorQuotas.ForEdition(EmulatorEdition.Basic);

    /// <summary>The seed of the random choices of fault injection; set it for reproducible fault sequences.</summary>
    public int? FaultSeed { get; set; }

    /// <summary>How long a signature nonce is remembered, and how far <c>x-acs-date</c> may be from the emulator's clock. Defaults to 15 minutes, as the service.</summary>
    public TimeSpan RequestDateTolerance { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>The most requests kept for <see cref="DataphinEmulator.Requests"/> (oldest dropped first). Defaults to 10,000.</summary>
    public int MaxRecordedRequests { get; set; } = 10_000;

    /// <summary>
    /// The most memory, in bytes, the requests kept for <see cref="DataphinEmulator.Requests"/> may take (their decoded
    /// query, form fields and headers, estimated as UTF-16 text plus a fixed overhead per request and per field); the
    /// oldest are dropped first. The newest request is always kept, so the log may exceed this by that one request,
    /// which <see cref="MaxRequestBodyBytes"/> bounds. Defaults to <see cref="DefaultMaxRecordedRequestBytes"/> (64 MiB).
    /// </summary>
    public long MaxRecordedRequestBytes { get; set; } = DefaultMaxRecordedRequestBytes;

    /// <summary>
    /// The largest request body, in bytes, the emulator reads. A larger one is answered with HTTP 413, code
    /// <c>RequestBodyTooLarge</c>, in the service's error shape, after reading at most this many bytes (at once, when
    /// <c>Content-Length</c> announces it). The headers of a request, its signature included, are checked before
    /// any of its body is read, so an unsigned or badly signed request is answered without reading its body.
    /// Defaults to <see cref="DefaultMaxRequestBodyBytes"/> (10 MiB).
    /// </summary>
    public int MaxRequestBodyBytes { get; set; } = DefaultMaxRequestBodyBytes;

    internal DataphinEmulatorOptions Validate()
    {
        var problems = new List<string>();
        if (Port is < 0 or > 65535)
        {
            problems.Add($"Port must be between 0 and 65535 (was {Port}).");
        }

        if (DefaultTenantId <= 0)
        {
            problems.Add($"DefaultTenantId must be positive (was {DefaultTenantId}).");
        }

        if (string.IsNullOrWhiteSpace(AccessKeyId))
        {
            problems.Add("AccessKeyId must not be empty.");
        }

        if (string.IsNullOrEmpty(AccessKeySecret))
        {
            problems.Add("AccessKeySecret must not be empty.");
        }

        if (SecurityToken is not null && SecurityToken.Length == 0)
        {
            problems.Add("SecurityToken must be null or non-empty.");
        }

        if (TimeProvider is null)
        {
            problems.Add("TimeProvider must not be null.");
        }

        if (Quotas is null)
        {
            problems.Add("Quotas must not be null (use EmulatorQuotas.Disabled to switch quotas off).");
        }
        else
        {
            problems.AddRange(Quotas.Problems());
        }

        if (RequestDateTolerance <= TimeSpan.Zero)
        {
            problems.Add("RequestDateTolerance must be positive.");
        }

        if (MaxRecordedRequests < 0)
        {
            problems.Add("MaxRecordedRequests must not be negative.");
        }

        if (MaxRecordedRequestBytes <= 0)
        {
            problems.Add($"MaxRecordedRequestBytes must be positive (was {MaxRecordedRequestBytes}).");
        }

        if (MaxRequestBodyBytes is <= 0 or > MaxRequestBodyBytesLimit)
        {
            problems.Add($"MaxRequestBodyBytes must be from 1 to {MaxRequestBodyBytesLimit} (1 GiB) (was {MaxRequestBodyBytes}).");
        }

        if (problems.Count > 0)
        {
            throw new ArgumentException("Invalid DataphinEmulatorOptions: " + string.Join(" ", problems));
        }

        return this;
    }
}
