namespace Dataphin.OpenApi.Bulk;

/// <summary>Settings of a bulk run (<see cref="DataphinBulkLineage"/>).</summary>
public sealed class BulkOptions
{
    private int _maxConcurrency = 8;
    private int _maxFieldLineagesPerCall = LineageLimits.MaxFieldLineagesPerCall;
    private TimeSpan _maxPause = TimeSpan.FromMinutes(5);
    private TimeSpan _stopTimeout = TimeSpan.FromSeconds(30);
    private int _transientFailureRetries = 2;
    private TimeProvider _timeProvider = TimeProvider.System;

    /// <summary>
    /// The most items in progress at once (1 to 256; default 8). The client's rate limiter decides how fast calls
    /// actually go; this bounds how many wait at once, and so how far the input is read ahead.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is not between 1 and 256.</exception>
    public int MaxConcurrency
    {
        get => _maxConcurrency;
        set => _maxConcurrency = value is >= 1 and <= 256 ? value : throw new ArgumentOutOfRangeException(nameof(value), value, "MaxConcurrency must be between 1 and 256.");
    }

    /// <summary>The most field lineages per call (1 to 100; default 100). Items with more are split into several calls.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is not between 1 and 100.</exception>
    public int MaxFieldLineagesPerCall
    {
        get => _maxFieldLineagesPerCall;
        set => _maxFieldLineagesPerCall = value >= 1 && value <= LineageLimits.MaxFieldLineagesPerCall
            ? value
            : throw new ArgumentOutOfRangeException(nameof(value), value, $"MaxFieldLineagesPerCall must be between 1 and {LineageLimits.MaxFieldLineagesPerCall}.");
    }

    /// <summary>When <see langword="true"/>, items are validated and split but nothing is sent; valid items are reported as <see cref="BulkItemStatus.Validated"/>.</summary>
    public bool DryRun { get; set; }

    /// <summary>The Dataphin user id sent as <c>OpUserId</c> with every call, or <see langword="null"/> to leave it out.</summary>
    public string? OpUserId { get; set; }

    /// <summary>
    /// Where the run records every item's outcome as it happens, and learns which items an earlier run already did:
    /// items the store records as succeeded are reported as <see cref="BulkItemStatus.AlreadyDone"/> and not sent
    /// again. <see cref="FileBulkRunStore"/> keeps a journal file. Default: <see langword="null"/>, nothing recorded.
    /// An item's outcome is recorded before its worker takes the next item, so at any moment at most
    /// <see cref="MaxConcurrency"/> items are done but not yet recorded (a crash then sends those again).
    /// </summary>
    public IBulkRunStore? RunStore { get; set; }

    /// <summary>
    /// The HTTP handler the run's <see cref="DataphinClient"/> sends through, when you built the client over one. With
    /// it the run counts the requests that actually left the process and the service's throttling answers
    /// (<see cref="BulkProgress.RequestsSent"/>, <see cref="BulkProgress.ThrottledAnswers"/>), and a stop is clean:
    /// nothing more is sent, and the requests already on the wire get up to <see cref="StopTimeout"/> to finish and be
    /// recorded. Without it, a stop cancels the calls in progress at once. Default: <see langword="null"/>.
    /// </summary>
    public BulkRequestTracker? RequestTracker { get; set; }

    /// <summary>
    /// The most time the run may spend paused in all (default 5 minutes; zero: never pause). While the client's
    /// circuit breaker is open, or the service keeps answering with throttling, the run takes no new items and waits
    /// as long as it is told (<see cref="DataphinCircuitOpenException.RetryAfter"/>, <see cref="DataphinThrottledException.RetryAfter"/>),
    /// then sends the item again: an item fails only on an error of its own. When the pauses would add up to more than
    /// this, the run stops (<see cref="BulkStopReason.PauseBudgetExhausted"/>) and the items not done are left for a later run.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is negative.</exception>
    public TimeSpan MaxPause
    {
        get => _maxPause;
        set => _maxPause = value >= TimeSpan.Zero ? value : throw new ArgumentOutOfRangeException(nameof(value), value, "MaxPause must not be negative.");
    }

    /// <summary>
    /// How long a stopping run waits for the requests already on the wire to be answered (and recorded) before it
    /// cancels them (default 30 s). Used only with a <see cref="RequestTracker"/>.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is negative.</exception>
    public TimeSpan StopTimeout
    {
        get => _stopTimeout;
        set => _stopTimeout = value >= TimeSpan.Zero ? value : throw new ArgumentOutOfRangeException(nameof(value), value, "StopTimeout must not be negative.");
    }

    /// <summary>
    /// How many more times a call is made when it still fails with a server error (5xx), a connection failure or a
    /// timeout after the client's own retries (0 to 10; default 2). The run waits a short backoff in between.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is not between 0 and 10.</exception>
    public int TransientFailureRetries
    {
        get => _transientFailureRetries;
        set => _transientFailureRetries = value is >= 0 and <= 10 ? value : throw new ArgumentOutOfRangeException(nameof(value), value, "TransientFailureRetries must be between 0 and 10.");
    }

    /// <summary>The clock pauses and backoffs wait on; replace it in tests. Default: <see cref="TimeProvider.System"/>.</summary>
    /// <exception cref="ArgumentNullException">The value is null.</exception>
    public TimeProvider TimeProvider
    {
        get => _timeProvider;
        set => _timeProvider = value ?? throw new ArgumentNullException(nameof(value));
    }
}
