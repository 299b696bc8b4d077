namespace Dataphin.OpenApi;

/// <summary>Settings of a <see cref="DataphinClient"/>. The client copies them when it is created.</summary>
public class DataphinClientOptions
{
    /// <summary>The API version every operation is called with: <c>2023-06-30</c>.</summary>
    public const string ApiVersion = "2023-06-30";

    /// <summary>
    /// The largest request body, form-encoded, a call may send: 10 MiB (10,485,760 bytes), the cap of the emulator
    /// (<c>DataphinEmulatorOptions.DefaultMaxRequestBodyBytes</c>). The service documents no limit of its own; a lineage
    /// call of 100 field lineages is a few tens of kilobytes. A larger body is refused before the first attempt with a
    /// <see cref="DataphinValidationException"/> (rule <see cref="DataphinValidationRules.TooLarge"/>): it is not sent,
    /// so it is not resent by the retries either.
    /// </summary>
    public const int MaxRequestBodyBytes = 10 * 1024 * 1024;

    /// <summary>
    /// The service endpoint, e.g. <c>https://dataphin-public.cn-hangzhou.aliyuncs.com</c>, or the API domain of a
    /// non-shared (independent) Dataphin deployment as shown on its AccessKey page. Wins over <see cref="RegionId"/>.
    /// </summary>
    public Uri? Endpoint { get; set; }

    /// <summary>The region id, e.g. <c>cn-hangzhou</c>; the endpoint is then <c>https://dataphin-public.&lt;region&gt;.aliyuncs.com</c>.</summary>
    public string? RegionId { get; set; }

    /// <summary>A fixed AccessKey credential. Use <see cref="CredentialProvider"/> for rotating or STS credentials.</summary>
    public DataphinCredential? Credential { get; set; }

    /// <summary>Supplies the credential for every attempt; wins over <see cref="Credential"/>.</summary>
    public DataphinCredentialProvider? CredentialProvider { get; set; }

    /// <summary>
    /// Allows plain <c>http://</c> to a host that is not a loopback address. Off by default: AccessKey-signed requests
    /// and their answers should not cross a network unencrypted. Loopback (the emulator) may always use http.
    /// </summary>
    public bool AllowInsecureHttp { get; set; }

    /// <summary>Text appended to the <c>User-Agent</c> header, e.g. your application's name and version.</summary>
    public string? UserAgentSuffix { get; set; }

    /// <summary>
    /// Where the client logs: one line per call (action, level, attempts, status, code, RequestId, duration), retries,
    /// rate-limit waits and refusals, at their own event ids. Header and query values are logged only from an
    /// allow-list; the secret, the security token and the signature never. Set by dependency injection automatically.
    /// </summary>
    public Microsoft.Extensions.Logging.ILoggerFactory? LoggerFactory { get; set; }

    /// <summary>The clock used for request dates and all waits; replace it in tests. Defaults to <see cref="TimeProvider.System"/>.</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>
    /// The Dataphin edition of the tenant, which sets the client-side quotas (<see cref="RateLimit"/>) and turns on
    /// edition checks: calling an operation the edition does not offer fails at once with <see cref="DataphinEditionException"/>.
    /// Default: <see langword="null"/>, not configured: no edition checks, and the quotas of Basic R&amp;D (50 / 20 / 5 QPS).
    /// </summary>
    public DataphinEdition? Edition { get; set; }

    /// <summary>The client-side rate limiter (token buckets per throttling level, shared in the process). See <see cref="DataphinRateLimitOptions"/> for the defaults.</summary>
    public DataphinRateLimitOptions RateLimit { get; set; } = new();

    /// <summary>Retries: up to 4 attempts in all, backoff from 200 ms to 20 s with jitter, <c>x-acs-retry-after</c> honoured up to 30 s. See <see cref="DataphinRetryOptions"/>.</summary>
    public DataphinRetryOptions Retry { get; set; } = new();

    /// <summary>Timeouts: 30 s per attempt, 2 min per call. See <see cref="DataphinTimeoutOptions"/>.</summary>
    public DataphinTimeoutOptions Timeouts { get; set; } = new();

    /// <summary>The circuit breaker for server errors, timeouts and connection failures (never throttling). See <see cref="DataphinCircuitBreakerOptions"/>.</summary>
    public DataphinCircuitBreakerOptions CircuitBreaker { get; set; } = new();

    /// <summary>
    /// Replaces the resilience pipeline: called once per throttling level (the client keeps the result) to build the
    /// Polly pipeline every attempt of that level runs through; <see cref="RateLimit"/>, <see cref="Retry"/>,
    /// <see cref="Timeouts"/> and <see cref="CircuitBreaker"/> then apply only through
    /// <see cref="DataphinPipelineContext.CreateDefaultPipeline"/> and <see cref="DataphinPipelineContext.AddClientRateLimiter"/>.
    /// Default: <see langword="null"/>, the built-in pipeline.
    /// </summary>
    public Func<DataphinPipelineContext, Polly.ResiliencePipeline>? PipelineFactory { get; set; }

    /// <summary>Receives attempts, retries and rate-limit waits, for logging and metrics.</summary>
    internal Resilience.IResilienceObserver? Observer { get; set; }

    /// <summary>Set by <c>UseProfile</c> or the <c>Profile</c> configuration key: fill unset settings from the Dataphin profile file.</summary>
    internal bool ProfileRequested { get; set; }

    /// <summary>The Dataphin profile to fill settings from; <see langword="null"/> for <c>DATAPHIN_PROFILE</c>, else the file's current one.</summary>
    internal string? ProfileName { get; set; }

    /// <summary>Problems found while binding these options from configuration; reported by start-up validation.</summary>
    internal List<string> ConfigurationErrors { get; } = [];

    /// <summary>Returns a copy of these options; the nested settings objects are copied too.</summary>
    /// <returns>The copy.</returns>
    public virtual DataphinClientOptions Clone()
    {
        var copy = (DataphinClientOptions)MemberwiseClone();
        copy.RateLimit = RateLimit?.Clone()!;
        copy.Retry = Retry?.Clone()!;
        copy.Timeouts = Timeouts?.Clone()!;
        copy.CircuitBreaker = CircuitBreaker?.Clone()!;
        return copy;
    }
}
