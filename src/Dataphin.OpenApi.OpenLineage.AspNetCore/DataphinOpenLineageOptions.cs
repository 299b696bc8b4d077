namespace Dataphin.OpenApi.OpenLineage.AspNetCore;

/// <summary>
/// Settings of the OpenLineage endpoint (<see cref="Microsoft.AspNetCore.Builder.OpenLineageEndpointRouteBuilderExtensions.MapDataphinOpenLineage"/>)
/// and of the worker that forwards what it accepts to Dataphin. Set them in
/// <see cref="Microsoft.Extensions.DependencyInjection.OpenLineageServiceCollectionExtensions.AddDataphinOpenLineage"/>; they are checked when the application
/// starts, and every problem is named.
/// </summary>
public sealed class DataphinOpenLineageOptions
{
    /// <summary>The Dataphin tenant lineage is registered in (the tenantId in the Dataphin URL, sent as <c>OpTenantId</c>). Required.</summary>
    public long TenantId { get; set; }

    /// <summary>
    /// The API keys a sender may present as <c>Authorization: Bearer &lt;key&gt;</c>. Compared in constant time; never
    /// logged. At least one is required unless <see cref="AllowAnonymousOnLoopback"/> is set.
    /// </summary>
    public IList<string> ApiKeys { get; } = new List<string>();

    /// <summary>
    /// Accept events without an API key from this machine (loopback addresses) only; a request from another machine
    /// still needs a key. Default <see langword="false"/>: every request needs a key.
    /// </summary>
    public bool AllowAnonymousOnLoopback { get; set; }

    /// <summary>The rules that map OpenLineage datasets to Dataphin tables (the rules of <see cref="OpenLineageImporter"/>). Required.</summary>
    public OpenLineageMappingRules? MappingRules { get; set; }

    /// <summary>How events become lineage (ignored event types, table-level lineage, symlinks); the importer's defaults when not changed.</summary>
    public OpenLineageImportOptions ImportOptions { get; set; } = new();

    /// <summary>The folder of the durable queue (<c>openlineage-queue.jsonl</c> and its lock file). Required; created if missing. One server per folder.</summary>
    public string? StateFolder { get; set; }

    /// <summary>The most events queued (accepted, not yet forwarded) at once; beyond it the endpoint answers 503 with <c>Retry-After</c>. Default 10,000.</summary>
    public int QueueCapacity { get; set; } = 10_000;

    /// <summary>The most bytes of queued events (as kept: only the parts lineage uses) at once; beyond it the endpoint answers 503. Default 64 MiB.</summary>
    public long QueueCapacityBytes { get; set; } = 64L * 1024 * 1024;

    /// <summary>The most bytes of a request body as sent (compressed or not); a larger one is refused with 413. Default 4 MiB.</summary>
    public long MaxRequestBodyBytes { get; set; } = 4L * 1024 * 1024;

    /// <summary>The most bytes a gzip request body may decompress to; a larger one (a gzip bomb) is refused with 413 as soon as it is exceeded. Default 32 MiB.</summary>
    public long MaxDecompressedBodyBytes { get; set; } = 32L * 1024 * 1024;

    /// <summary>The <c>Retry-After</c> of a 503 when the queue is full. Default 10 seconds.</summary>
    public TimeSpan RetryAfter { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>The most events the forwarder merges into one batch (their table pairs merged, each pair sent once). Default 1,000.</summary>
    public int MaxBatchEvents { get; set; } = 1_000;

    /// <summary>How long the forwarder waits for more events before it forwards a batch. Default 1 second; zero forwards at once.</summary>
    public TimeSpan BatchDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// How long the events of a run that has not ended (START or RUNNING without COMPLETE, FAIL or ABORT yet) are held,
    /// so that the run's table pairs are registered once with the column lineage of all its events. Default 5 minutes;
    /// zero forwards every event without waiting for the end of its run.
    /// </summary>
    public TimeSpan RunCompletionWait { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>The most table pairs sent at once (the client's rate limiter sets the pace). Default 4.</summary>
    public int MaxConcurrency { get; set; } = 4;

    /// <summary>How long forwarding may wait in all while Dataphin throttles or is unavailable, per batch, before the batch is tried again later. Default 5 minutes.</summary>
    public TimeSpan MaxPause { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How long the worker goes on forwarding when the application stops (what is left stays queued for the next start). Default 10 seconds.</summary>
    public TimeSpan ShutdownDrainTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How many distinct unmapped datasets are listed (the count goes on beyond it). Default 1,000.</summary>
    public int MaxUnmappedDatasetsListed { get; set; } = 1_000;

    /// <summary>The clock of batching, holding runs and queue timestamps; <see cref="TimeProvider.System"/> when <see langword="null"/> (tests replace it).</summary>
    public TimeProvider? TimeProvider { get; set; }

    /// <summary>Every problem with these settings, in words; empty when they are usable.</summary>
    internal List<string> Problems()
    {
        var problems = new List<string>();
        if (TenantId <= 0)
        {
            problems.Add("TenantId must be the positive tenant id of your Dataphin URL");
        }

        if (ApiKeys.Count == 0 && !AllowAnonymousOnLoopback)
        {
            problems.Add("ApiKeys is empty: give at least one API key, or set AllowAnonymousOnLoopback to accept events without a key from this machine only");
        }

        for (var i = 0; i < ApiKeys.Count; i++)
        {
            if (string.IsNullOrWhiteSpace(ApiKeys[i]))
            {
                problems.Add($"ApiKeys[{i}] is empty");
            }
            else if (ApiKeys[i].Length < 16)
            {
                problems.Add($"ApiKeys[{i}] is shorter than 16 characters; use a long random key (e.g. openssl rand -hex 32)");
            }
        }

        if (MappingRules is null)
        {
            problems.Add("MappingRules is not set: give the rules that map OpenLineage datasets to Dataphin tables");
        }

        if (ImportOptions is null)
        {
            problems.Add("ImportOptions is null");
        }

        if (string.IsNullOrWhiteSpace(StateFolder))
        {
            problems.Add("StateFolder is not set: give the folder of the durable queue");
        }

        Positive(problems, QueueCapacity, nameof(QueueCapacity));
        Positive(problems, QueueCapacityBytes, nameof(QueueCapacityBytes));
        Positive(problems, MaxRequestBodyBytes, nameof(MaxRequestBodyBytes));
        Positive(problems, MaxDecompressedBodyBytes, nameof(MaxDecompressedBodyBytes));
        Positive(problems, MaxBatchEvents, nameof(MaxBatchEvents));
        Positive(problems, MaxUnmappedDatasetsListed, nameof(MaxUnmappedDatasetsListed));
        if (MaxConcurrency is < 1 or > 256)
        {
            problems.Add($"MaxConcurrency must be between 1 and 256; it is {MaxConcurrency}");
        }

        NotNegative(problems, RetryAfter, nameof(RetryAfter));
        NotNegative(problems, BatchDelay, nameof(BatchDelay));
        NotNegative(problems, RunCompletionWait, nameof(RunCompletionWait));
        NotNegative(problems, MaxPause, nameof(MaxPause));
        NotNegative(problems, ShutdownDrainTimeout, nameof(ShutdownDrainTimeout));
        return problems;
    }

    private static void Positive(List<string> problems, long value, string name)
    {
        if (value <= 0)
        {
            problems.Add($"{name} must be positive; it is {value}");
        }
    }

    private static void NotNegative(List<string> problems, TimeSpan value, string name)
    {
        if (value < TimeSpan.Zero)
        {
            problems.Add($"{name} must not be negative; it is {value}");
        }
    }
}
