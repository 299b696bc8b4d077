using System.Runtime.CompilerServices;
using System.Threading.Channels;
using Dataphin.OpenApi.Internal;

namespace Dataphin.OpenApi.Bulk;

/// <summary>
/// Registers or deletes lineage for many table pairs: streams the input with bounded concurrency (memory does not
/// grow with the input), validates every item before sending it, splits items with more than 100 field lineages
/// into several calls, and reports one <see cref="BulkItemResult"/> per input item, so nothing is lost.
/// </summary>
/// <remarks>
/// Calls go through the <see cref="DataphinClient"/> given, which waits for rate-limit permits and retries what is
/// safe to retry; the runner only bounds how many items are in progress at once. Results arrive in completion
/// order, not input order; use <see cref="BulkItemResult.Id"/> to match them.
/// </remarks>
/// <example>
/// <code>
/// var bulk = new DataphinBulkLineage(client, opTenantId: 300001234);
/// await foreach (var result in bulk.RunAsync(items, new BulkOptions { MaxConcurrency = 8 }))
/// {
///     if (result.Status != BulkItemStatus.Succeeded) Console.WriteLine(result);
/// }
/// </code>
/// </example>
public class DataphinBulkLineage
{
    private readonly DataphinClient _client;
    private readonly long _opTenantId;

    /// <summary>Creates a runner sending through <paramref name="client"/> for tenant <paramref name="opTenantId"/>.</summary>
    /// <param name="client">The client that makes the calls.</param>
    /// <param name="opTenantId">The tenant every call is for (<c>OpTenantId</c>).</param>
    /// <exception cref="ArgumentNullException"><paramref name="client"/> is null.</exception>
    public DataphinBulkLineage(DataphinClient client, long opTenantId)
    {
        _client = Guard.NotNull(client, nameof(client));
        _opTenantId = opTenantId;
    }

    /// <summary>
    /// Runs every item and streams one result per item as it completes. Cancelling <paramref name="cancellationToken"/>
    /// stops reading the input; items already read are reported, and the stream then ends without throwing. With a
    /// <see cref="BulkOptions.RequestTracker"/> nothing more is sent and the requests on the wire get
    /// <see cref="BulkOptions.StopTimeout"/> to finish; otherwise the calls in progress are cancelled at once. Items
    /// not finished are reported as <see cref="BulkItemStatus.Cancelled"/> with the parts that were done.
    /// </summary>
    /// <remarks>
    /// While the client's circuit is open or the service keeps throttling, the run pauses instead of failing items
    /// (<see cref="BulkOptions.MaxPause"/>). An error that applies to every call (authentication, tenant permission,
    /// edition) fails its item and stops the run. The run's own figures (requests sent, pauses, why it stopped) come
    /// in the last <see cref="BulkProgress"/> (<see cref="BulkProgress.IsFinal"/>), and in the summary of
    /// <see cref="RunToSummaryAsync(IAsyncEnumerable{LineageItem}, BulkOptions?, IProgress{BulkProgress}?, Func{BulkItemResult, ValueTask}?, CancellationToken)"/>.
    /// </remarks>
    /// <param name="items">The items; read lazily, at most a few times <see cref="BulkOptions.MaxConcurrency"/> ahead of the results consumed.</param>
    /// <param name="options">Settings; defaults when <see langword="null"/>.</param>
    /// <param name="progress">Receives a snapshot after every item, or <see langword="null"/>.</param>
    /// <param name="cancellationToken">Stops the run cleanly.</param>
    /// <returns>The results, in completion order. An exception thrown by <paramref name="items"/> itself ends the stream with that exception, after the results of the items already read.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="items"/> is null.</exception>
    public IAsyncEnumerable<BulkItemResult> RunAsync(IAsyncEnumerable<LineageItem> items, BulkOptions? options = null, IProgress<BulkProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        Guard.NotNull(items, nameof(items));
        return RunCoreAsync(items, options ?? new BulkOptions(), progress, cancellationToken);
    }

    /// <summary>Runs every item of a synchronous sequence; see the <see cref="IAsyncEnumerable{T}"/> overload.</summary>
    /// <param name="items">The items; read lazily.</param>
    /// <param name="options">Settings; defaults when <see langword="null"/>.</param>
    /// <param name="progress">Receives a snapshot after every item, or <see langword="null"/>.</param>
    /// <param name="cancellationToken">Stops the run cleanly.</param>
    /// <returns>The results, in completion order.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="items"/> is null.</exception>
    public IAsyncEnumerable<BulkItemResult> RunAsync(IEnumerable<LineageItem> items, BulkOptions? options = null, IProgress<BulkProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        Guard.NotNull(items, nameof(items));
        return RunCoreAsync(ToAsync(items), options ?? new BulkOptions(), progress, cancellationToken);
    }

    /// <summary>
    /// Runs every item and returns the totals, handing each result to <paramref name="onResult"/> (for example to
    /// write failures out). Cancellation ends the run cleanly with <see cref="BulkSummary.WasCancelled"/> set; the
    /// summary also says whether the run stopped early and why (<see cref="BulkSummary.StopReason"/>).
    /// </summary>
    /// <param name="items">The items.</param>
    /// <param name="options">Settings; defaults when <see langword="null"/>.</param>
    /// <param name="progress">Receives a snapshot after every item, or <see langword="null"/>.</param>
    /// <param name="onResult">Called with each result in turn (never concurrently), or <see langword="null"/>.</param>
    /// <param name="cancellationToken">Stops the run cleanly.</param>
    /// <returns>The totals, which add up to the items read.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="items"/> is null.</exception>
    public async Task<BulkSummary> RunToSummaryAsync(
        IAsyncEnumerable<LineageItem> items,
        BulkOptions? options = null,
        IProgress<BulkProgress>? progress = null,
        Func<BulkItemResult, ValueTask>? onResult = null,
        CancellationToken cancellationToken = default)
    {
        var summary = new BulkSummary();
        var final = new FinalProgress(progress);
        await foreach (var result in RunAsync(items, options, final, cancellationToken).ConfigureAwait(false))
        {
            summary.Add(result);
            if (onResult is not null)
            {
                await onResult(result).ConfigureAwait(false);
            }
        }

        if (final.Last is { } last)
        {
            summary.ApplyRun(last);
        }

        summary.WasCancelled = cancellationToken.IsCancellationRequested;
        return summary;
    }

    /// <summary>Runs every item of a synchronous sequence and returns the totals; see the <see cref="IAsyncEnumerable{T}"/> overload.</summary>
    /// <param name="items">The items.</param>
    /// <param name="options">Settings; defaults when <see langword="null"/>.</param>
    /// <param name="progress">Receives a snapshot after every item, or <see langword="null"/>.</param>
    /// <param name="onResult">Called with each result in turn, or <see langword="null"/>.</param>
    /// <param name="cancellationToken">Stops the run cleanly.</param>
    /// <returns>The totals.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="items"/> is null.</exception>
    public Task<BulkSummary> RunToSummaryAsync(
        IEnumerable<LineageItem> items,
        BulkOptions? options = null,
        IProgress<BulkProgress>? progress = null,
        Func<BulkItemResult, ValueTask>? onResult = null,
        CancellationToken cancellationToken = default)
    {
        Guard.NotNull(items, nameof(items));
        return RunToSummaryAsync(ToAsync(items), options, progress, onResult, cancellationToken);
    }

    /// <summary>Sends one part; the seam tests and subclasses can use. Calls the client's Add or Delete method.</summary>
    /// <param name="command">The part to send (at most 100 field lineages).</param>
    /// <param name="opUserId">The user id, or <see langword="null"/>.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The service's answer.</returns>
    protected virtual Task<DataphinResponse> SendAsync(LineageCommand command, string? opUserId, CancellationToken cancellationToken) => command switch
    {
        AddRegisterLineageCommand add => opUserId is null
            ? _client.AddRegisterLineageAsync(_opTenantId, add, cancellationToken)
            : _client.AddRegisterLineageAsync(_opTenantId, add, opUserId, cancellationToken),
        DeleteRegisterLineageCommand delete => opUserId is null
            ? _client.DeleteRegisterLineageAsync(_opTenantId, delete, cancellationToken)
            : _client.DeleteRegisterLineageAsync(_opTenantId, delete, opUserId, cancellationToken),
        _ => throw new ArgumentException($"Unknown command type {command?.GetType().Name}.", nameof(command)),
    };

    private static async IAsyncEnumerable<LineageItem> ToAsync(IEnumerable<LineageItem> items)
    {
        foreach (var item in items)
        {
            yield return item;
        }

        await Task.CompletedTask.ConfigureAwait(false);
    }

    private async IAsyncEnumerable<BulkItemResult> RunCoreAsync(
        IAsyncEnumerable<LineageItem> items,
        BulkOptions options,
        IProgress<BulkProgress>? progress,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var results = Channel.CreateBounded<BulkItemResult>(new BoundedChannelOptions(options.MaxConcurrency)
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.Wait,
        });

        // 'abandoned' fires only when the consumer stops enumerating early, so that blocked workers can exit.
        using var abandoned = new CancellationTokenSource();
        var run = new BulkRun(this, items, options, progress, results.Writer, cancellationToken, abandoned.Token);
        var workers = run.Start();
        var completed = false;
        try
        {
            while (await results.Reader.WaitToReadAsync(CancellationToken.None).ConfigureAwait(false))
            {
                while (results.Reader.TryRead(out var result))
                {
                    yield return result;
                }
            }

            completed = true;
        }
        finally
        {
            if (!completed)
            {
#if NET8_0_OR_GREATER
                await abandoned.CancelAsync().ConfigureAwait(false);
#else
                abandoned.Cancel();
#endif
            }

            await workers.ConfigureAwait(false);
            await run.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>Whether an error applies to every call rather than to one item, so that sending more would fail the same way.</summary>
    internal static bool IsAccountWide(Exception error) => error is DataphinAuthenticationException or DataphinForbiddenException or DataphinEditionException;

    /// <summary>Whether an error says the service or the network had trouble, not that the item is wrong.</summary>
    internal static bool IsTransient(Exception error) => error switch
    {
        DataphinThrottledException => false,
        DataphinRequestException request => request.Status >= 500 || request.ResponseSnippet is not null,
        DataphinTimeoutException => true,
        HttpRequestException => true,
        _ => false,
    };

    private sealed class BulkRun : IAsyncDisposable
    {
        /// <summary>The pause when the client or the service asks to wait but does not say how long.</summary>
        private static readonly TimeSpan DefaultPause = TimeSpan.FromSeconds(1);

        /// <summary>The shortest pause, so that a tiny retry-after does not make the run spin.</summary>
        private static readonly TimeSpan MinimumPause = TimeSpan.FromMilliseconds(50);

        private readonly DataphinBulkLineage _owner;
        private readonly IAsyncEnumerable<LineageItem> _items;
        private readonly BulkOptions _options;
        private readonly IProgress<BulkProgress>? _progress;
        private readonly ChannelWriter<BulkItemResult> _results;
        private readonly CancellationToken _abandoned;
        private readonly CancellationToken _cancellation;
        private readonly IBulkRunStore? _store;
        private readonly BulkRequestTracker? _tracker;
        private readonly TimeProvider _time;

        /// <summary>Cancelled when the run stops: no new item is taken, pauses and backoffs end.</summary>
        private readonly CancellationTokenSource _stopTaking = new();

        /// <summary>Cancelled when the calls still in progress are to be abandoned.</summary>
        private readonly CancellationTokenSource _abortCalls = new();

        private readonly SemaphoreSlim _sourceGate = new(1, 1);
        private readonly object _pauseGate = new();
        private readonly object _stopGate = new();
        private readonly long _requestsAtStart;
        private readonly long _throttledAtStart;
        private CancellationTokenRegistration _onCancel;
        private CancellationTokenRegistration _onAbandon;
        private IAsyncEnumerator<LineageItem>? _source;
        private bool _sourceDone;
        private Exception? _sourceError;
        private DateTimeOffset _pauseUntil;
        private TimeSpan _paused;
        private BulkStopReason _stopReason;
        private Exception? _stopError;
        private Task _drain = Task.CompletedTask;
        private long _read;
        private long _succeeded;
        private long _failed;
        private long _skipped;
        private long _cancelled;
        private long _validated;
        private long _alreadyDone;
        private long _calls;
        private long _shortCircuited;

        public BulkRun(DataphinBulkLineage owner, IAsyncEnumerable<LineageItem> items, BulkOptions options, IProgress<BulkProgress>? progress, ChannelWriter<BulkItemResult> results, CancellationToken cancellation, CancellationToken abandoned)
        {
            _owner = owner;
            _items = items;
            _options = options;
            _progress = progress;
            _results = results;
            _abandoned = abandoned;
            _cancellation = cancellation;
            _store = options.DryRun ? null : options.RunStore;
            _tracker = options.DryRun ? null : options.RequestTracker;
            _time = options.TimeProvider;
            _pauseUntil = _time.GetUtcNow();
            if (_tracker is not null)
            {
                _tracker.Open();
                _requestsAtStart = _tracker.RequestsSent;
                _throttledAtStart = _tracker.ThrottledAnswers;
            }

            _onCancel = cancellation.Register(static state => ((BulkRun)state!).BeginStop(BulkStopReason.Cancelled, null), this);
            _onAbandon = abandoned.Register(static state => ((BulkRun)state!).Abandon(), this);
        }

        public Task Start()
        {
            var workers = new Task[_options.MaxConcurrency];
            for (var i = 0; i < workers.Length; i++)
            {
                workers[i] = Task.Run(WorkAsync);
            }

            return FinishAsync(workers);
        }

        public async ValueTask DisposeAsync()
        {
            _onCancel.Dispose();
            _onAbandon.Dispose();
            if (_source is not null)
            {
                await _source.DisposeAsync().ConfigureAwait(false);
            }

            _stopTaking.Dispose();
            _abortCalls.Dispose();
            _sourceGate.Dispose();
        }

        private async Task FinishAsync(Task[] workers)
        {
            try
            {
                await Task.WhenAll(workers).ConfigureAwait(false);
            }
            finally
            {
                // Every worker has ended, so nothing is in progress: end the wait for the wire, if a stop started one.
                CancelQuietly(_abortCalls);
                try
                {
                    await _drain.ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                }

                _progress?.Report(Snapshot(isFinal: true));
                _results.TryComplete(_sourceError);
            }
        }

        /// <summary>
        /// Stops the run: no new item is taken, no pause or backoff goes on, and (with a tracker) nothing more is sent;
        /// the requests on the wire get <see cref="BulkOptions.StopTimeout"/> to finish, then whatever is left is cancelled.
        /// Without a tracker the calls in progress are cancelled at once. The first reason wins.
        /// </summary>
        private void BeginStop(BulkStopReason reason, Exception? error)
        {
            lock (_stopGate)
            {
                if (_stopReason != BulkStopReason.None)
                {
                    return;
                }

                _stopReason = reason;
                _stopError = error;
            }

            CancelQuietly(_stopTaking);
            if (_tracker is null)
            {
                CancelQuietly(_abortCalls);
                return;
            }

            _tracker.Close();
            _drain = DrainAsync(_tracker);
        }

        private async Task DrainAsync(BulkRequestTracker tracker)
        {
            try
            {
                var idle = tracker.WhenIdleAsync();
                if (!idle.IsCompleted)
                {
                    using var timeout = CancellationTokenSource.CreateLinkedTokenSource(_abortCalls.Token);
                    var delay = DelayAsync(_time, _options.StopTimeout, timeout.Token);
                    await Task.WhenAny(idle, delay).ConfigureAwait(false);
                    CancelQuietly(timeout);
                }
            }
            catch (ObjectDisposedException)
            {
                return;
            }

            // Nothing is on the wire any more; calls still waiting for a rate-limit permit or a retry would be refused.
            CancelQuietly(_abortCalls);
        }

        private void Abandon()
        {
            BeginStop(BulkStopReason.Cancelled, null);
            CancelQuietly(_stopTaking);
            CancelQuietly(_abortCalls);
        }

        private static Task DelayAsync(TimeProvider time, TimeSpan delay, CancellationToken cancellationToken)
#if NET8_0_OR_GREATER
            => Task.Delay(delay, time, cancellationToken);
#else
            => time.Delay(delay, cancellationToken);
#endif

        private static void CancelQuietly(CancellationTokenSource source)
        {
            try
            {
                source.Cancel();
            }
            catch (ObjectDisposedException)
            {
            }
        }

        private async Task WorkAsync()
        {
            while (true)
            {
                var next = await NextAsync().ConfigureAwait(false);
                if (next is not { } taken)
                {
                    return;
                }

                var (item, index) = taken;
                BulkItemResult result;
                if (_store is not null && _store.IsSucceeded(index, item.Id))
                {
                    result = new BulkItemResult(index, item, BulkItemStatus.AlreadyDone, Array.Empty<BulkPartResult>(), Array.Empty<DataphinValidationError>(), remainingCommand: null);
                }
                else
                {
                    result = await ProcessAsync(item, index).ConfigureAwait(false);
                    await RecordAsync(result).ConfigureAwait(false);
                }

                Count(result);
                try
                {
                    await _results.WriteAsync(result, _abandoned).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (_abandoned.IsCancellationRequested)
                {
                    return;
                }
            }
        }

        /// <summary>Records an outcome before the worker goes on, so that at most one finished item per worker is unrecorded.</summary>
        private async Task RecordAsync(BulkItemResult result)
        {
            if (_store is null || result.Status == BulkItemStatus.Validated)
            {
                return;
            }

            try
            {
                await _store.RecordAsync(result, CancellationToken.None).ConfigureAwait(false);
            }
#pragma warning disable CA1031 // Any failure to record stops the run; it is reported as the stop error.
            catch (Exception error)
#pragma warning restore CA1031
            {
                BeginStop(BulkStopReason.RunStoreFailed, error);
            }
        }

        private async Task<(LineageItem Item, long Index)?> NextAsync()
        {
            await _sourceGate.WaitAsync().ConfigureAwait(false);
            try
            {
                if (_sourceDone || _stopTaking.IsCancellationRequested || !await WaitOutPauseAsync().ConfigureAwait(false))
                {
                    return null;
                }

                try
                {
                    _source ??= _items.GetAsyncEnumerator(_stopTaking.Token);
                    if (!await _source.MoveNextAsync().ConfigureAwait(false))
                    {
                        _sourceDone = true;
                        return null;
                    }
                }
                catch (OperationCanceledException) when (_stopTaking.IsCancellationRequested || _cancellation.IsCancellationRequested)
                {
                    // The input observed the run's cancellation (perhaps before the run's own callback did): a stop, not an error.
                    BeginStop(BulkStopReason.Cancelled, null);
                    _sourceDone = true;
                    return null;
                }
                catch (Exception error)
                {
                    _sourceDone = true;
                    _sourceError = error;
                    return null;
                }

                var item = _source.Current ?? throw new InvalidOperationException("The input sequence yielded a null item.");
                var index = Interlocked.Increment(ref _read) - 1;
                return (item, index);
            }
            finally
            {
                _sourceGate.Release();
            }
        }

        /// <summary>Waits while the run is paused; <see langword="false"/> when the run stops meanwhile.</summary>
        private async Task<bool> WaitOutPauseAsync()
        {
            while (true)
            {
                DateTimeOffset until;
                lock (_pauseGate)
                {
                    until = _pauseUntil;
                }

                var wait = until - _time.GetUtcNow();
                if (wait <= TimeSpan.Zero)
                {
                    return !_stopTaking.IsCancellationRequested;
                }

                try
                {
                    await DelayAsync(_time, wait, _stopTaking.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return false;
                }
            }
        }

        /// <summary>
        /// Pauses the whole run for <paramref name="requested"/> (extending a pause already running), within the budget
        /// of <see cref="BulkOptions.MaxPause"/>; <see langword="false"/> when the budget is spent or the run stops.
        /// </summary>
        private async Task<bool> PauseAsync(TimeSpan? requested, Exception cause)
        {
            var delay = requested is { } asked && asked > MinimumPause ? asked : requested is null ? DefaultPause : MinimumPause;
            var exhausted = false;
            lock (_pauseGate)
            {
                var now = _time.GetUtcNow();
                var wanted = now + delay;
                if (wanted > _pauseUntil)
                {
                    var extra = wanted - (_pauseUntil > now ? _pauseUntil : now);
                    if (_paused + extra > _options.MaxPause)
                    {
                        exhausted = true;
                    }
                    else
                    {
                        _paused += extra;
                        _pauseUntil = wanted;
                    }
                }
            }

            if (exhausted)
            {
                BeginStop(BulkStopReason.PauseBudgetExhausted, cause);
                return false;
            }

            _progress?.Report(Snapshot(isFinal: false));
            return await WaitOutPauseAsync().ConfigureAwait(false);
        }

        private async Task<bool> BackoffAsync(int retry)
        {
            var delay = TimeSpan.FromMilliseconds(500 * Math.Pow(2, retry - 1));
            try
            {
                await DelayAsync(_time, delay, _stopTaking.Token).ConfigureAwait(false);
                return true;
            }
            catch (OperationCanceledException)
            {
                return false;
            }
        }

        private async Task<BulkItemResult> ProcessAsync(LineageItem item, long index)
        {
            var noParts = Array.Empty<BulkPartResult>();
            if (item.Command is not { } command)
            {
                return new BulkItemResult(index, item, BulkItemStatus.SkippedInvalid, noParts, item.ReadErrors, remainingCommand: null);
            }

            var errors = _owner.Validate(command, _options);
            if (errors.Count > 0)
            {
                return new BulkItemResult(index, item, BulkItemStatus.SkippedInvalid, noParts, errors, command);
            }

            var parts = Split(command, _options.MaxFieldLineagesPerCall);
            var outcomes = new BulkPartResult[parts.Count];
            for (var i = 0; i < parts.Count; i++)
            {
                outcomes[i] = _options.DryRun
                    ? new BulkPartResult(i, parts[i], BulkPartStatus.NotSent, null, null)
                    : await SendPartAsync(i, parts[i]).ConfigureAwait(false);
            }

            var status = _options.DryRun ? BulkItemStatus.Validated : StatusOf(outcomes);
            var remaining = status is BulkItemStatus.Failed or BulkItemStatus.Cancelled ? Remaining(outcomes) : null;
            return new BulkItemResult(index, item, status, outcomes, Array.Empty<DataphinValidationError>(), remaining);
        }

        /// <summary>
        /// Sends one part until it succeeds or fails on an error of its own: an open circuit or throttling pauses the run
        /// and sends it again, a server or network failure is retried after a backoff, an account-wide error stops the run.
        /// </summary>
        private async Task<BulkPartResult> SendPartAsync(int index, LineageCommand part)
        {
            var transientRetries = 0;
            Exception? lastError = null;
            while (true)
            {
                if (_stopTaking.IsCancellationRequested)
                {
                    return new BulkPartResult(index, part, lastError is null ? BulkPartStatus.NotSent : BulkPartStatus.Cancelled, null, lastError);
                }

                try
                {
                    var response = await _owner.SendAsync(part, _options.OpUserId, _abortCalls.Token).ConfigureAwait(false);
                    Interlocked.Increment(ref _calls);
                    return new BulkPartResult(index, part, BulkPartStatus.Succeeded, response.RequestId, null);
                }
                catch (BulkRequestRefusedException error)
                {
                    // The stopping run's tracker refused the request: nothing was sent for this attempt.
                    return new BulkPartResult(index, part, lastError is null ? BulkPartStatus.NotSent : BulkPartStatus.Cancelled, null, lastError ?? error);
                }
                catch (OperationCanceledException error) when (_abortCalls.IsCancellationRequested)
                {
                    Interlocked.Increment(ref _calls);
                    return new BulkPartResult(index, part, BulkPartStatus.Cancelled, null, error);
                }
                catch (DataphinCircuitOpenException error)
                {
                    Interlocked.Increment(ref _shortCircuited);
                    lastError ??= error;
                    if (!await PauseAsync(error.RetryAfter, error).ConfigureAwait(false))
                    {
                        return new BulkPartResult(index, part, BulkPartStatus.NotSent, null, error);
                    }
                }
                catch (DataphinThrottledException error)
                {
                    if (error.IsClientSide)
                    {
                        Interlocked.Increment(ref _shortCircuited);
                    }
                    else
                    {
                        Interlocked.Increment(ref _calls);
                    }

                    lastError ??= error;
                    if (!await PauseAsync(error.RetryAfter, error).ConfigureAwait(false))
                    {
                        return new BulkPartResult(index, part, BulkPartStatus.NotSent, null, error);
                    }
                }
                catch (Exception error) when (IsAccountWide(error))
                {
                    if (error is DataphinEditionException)
                    {
                        Interlocked.Increment(ref _shortCircuited);
                    }
                    else
                    {
                        Interlocked.Increment(ref _calls);
                    }

                    BeginStop(BulkStopReason.AccountError, error);
                    return new BulkPartResult(index, part, BulkPartStatus.Failed, null, error);
                }
                catch (Exception error) when (IsTransient(error) && transientRetries < _options.TransientFailureRetries)
                {
                    Interlocked.Increment(ref _calls);
                    lastError = error;
                    transientRetries++;
                    if (!await BackoffAsync(transientRetries).ConfigureAwait(false))
                    {
                        return new BulkPartResult(index, part, BulkPartStatus.Cancelled, null, error);
                    }
                }
#pragma warning disable CA1031 // Every failure of one item is reported in its result; one bad item must not end the run.
                catch (Exception error)
#pragma warning restore CA1031
                {
                    Interlocked.Increment(ref _calls);
                    return new BulkPartResult(index, part, BulkPartStatus.Failed, null, error);
                }
            }
        }

        private void Count(BulkItemResult result)
        {
            switch (result.Status)
            {
                case BulkItemStatus.Succeeded: Interlocked.Increment(ref _succeeded); break;
                case BulkItemStatus.Failed: Interlocked.Increment(ref _failed); break;
                case BulkItemStatus.SkippedInvalid: Interlocked.Increment(ref _skipped); break;
                case BulkItemStatus.Cancelled: Interlocked.Increment(ref _cancelled); break;
                case BulkItemStatus.Validated: Interlocked.Increment(ref _validated); break;
                case BulkItemStatus.AlreadyDone: Interlocked.Increment(ref _alreadyDone); break;
            }

            _progress?.Report(Snapshot(isFinal: false));
        }

        private BulkProgress Snapshot(bool isFinal)
        {
            var counts = new BulkProgress.Counts
            {
                Read = Interlocked.Read(ref _read),
                Succeeded = Interlocked.Read(ref _succeeded),
                Failed = Interlocked.Read(ref _failed),
                SkippedInvalid = Interlocked.Read(ref _skipped),
                Cancelled = Interlocked.Read(ref _cancelled),
                Validated = Interlocked.Read(ref _validated),
                AlreadyDone = Interlocked.Read(ref _alreadyDone),
                CallsSent = Interlocked.Read(ref _calls),
                CallsShortCircuited = Interlocked.Read(ref _shortCircuited),
                RequestsSent = _tracker is null ? null : _tracker.RequestsSent - _requestsAtStart,
                ThrottledAnswers = _tracker is null ? null : _tracker.ThrottledAnswers - _throttledAtStart,
            };
            bool paused;
            TimeSpan pausedFor;
            lock (_pauseGate)
            {
                paused = !isFinal && _pauseUntil > _time.GetUtcNow();
                pausedFor = _paused;
            }

            BulkStopReason reason;
            Exception? error;
            lock (_stopGate)
            {
                reason = _stopReason;
                error = _stopError;
            }

            return new BulkProgress(counts, paused, pausedFor, reason, error, isFinal);
        }
    }

    /// <summary>Passes every snapshot on and keeps the final one.</summary>
    private sealed class FinalProgress(IProgress<BulkProgress>? inner) : IProgress<BulkProgress>
    {
        public BulkProgress? Last { get; private set; }

        public void Report(BulkProgress value)
        {
            if (value.IsFinal)
            {
                Last = value;
            }

            inner?.Report(value);
        }
    }

    private List<DataphinValidationError> Validate(LineageCommand command, BulkOptions options)
    {
        var errors = new List<DataphinValidationError>();
        foreach (var error in LineageCommandValidator.Validate(_opTenantId, command))
        {
            // More than 100 field lineages is fine here: the item is split into several calls.
            if (!(error.Rule == DataphinValidationRules.TooMany && error.Path == "DetailedLineages"))
            {
                errors.Add(error);
            }
        }

        if (options.OpUserId is not null && string.IsNullOrWhiteSpace(options.OpUserId))
        {
            errors.Add(new DataphinValidationError("OpUserId", DataphinValidationRules.Required, "OpUserId, when given, must not be empty."));
        }

        return errors;
    }

    private static IReadOnlyList<LineageCommand> Split(LineageCommand command, int maxFieldLineages) => command switch
    {
        AddRegisterLineageCommand add => add.SplitByFieldLineageLimit(maxFieldLineages),
        DeleteRegisterLineageCommand delete => delete.SplitByFieldLineageLimit(maxFieldLineages),
        _ => throw new ArgumentException($"Unknown command type {command.GetType().Name}.", nameof(command)),
    };

    private static BulkItemStatus StatusOf(BulkPartResult[] outcomes)
    {
        var status = BulkItemStatus.Succeeded;
        foreach (var outcome in outcomes)
        {
            if (outcome.Status == BulkPartStatus.Failed)
            {
                return BulkItemStatus.Failed;
            }

            if (outcome.Status is BulkPartStatus.Cancelled or BulkPartStatus.NotSent)
            {
                status = BulkItemStatus.Cancelled;
            }
        }

        return status;
    }

    private static LineageCommand? Remaining(BulkPartResult[] outcomes)
    {
        LineageCommand? remaining = null;
        foreach (var outcome in outcomes)
        {
            if (outcome.Status == BulkPartStatus.Succeeded)
            {
                continue;
            }

            if (remaining is null)
            {
                remaining = Split(outcome.Command, LineageLimits.MaxFieldLineagesPerCall)[0];
                remaining.DetailedLineages = new List<FieldLineage>(remaining.DetailedLineages);
            }
            else
            {
                foreach (var lineage in outcome.Command.DetailedLineages)
                {
                    remaining.DetailedLineages.Add(lineage.Clone());
                }
            }
        }

        return remaining;
    }
}
