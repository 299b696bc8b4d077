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
    /// stops reading the input; items already read are reported (calls in flight are cancelled and reported as
    /// <see cref="BulkItemStatus.Cancelled"/> with the parts that were done), and the stream then ends without throwing.
    /// </summary>
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
    /// write failures out). Cancellation ends the run cleanly with <see cref="BulkSummary.WasCancelled"/> set.
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
        await foreach (var result in RunAsync(items, options, progress, cancellationToken).ConfigureAwait(false))
        {
            summary.Add(result);
            if (onResult is not null)
            {
                await onResult(result).ConfigureAwait(false);
            }
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

    private sealed class BulkRun : IAsyncDisposable
    {
        private readonly DataphinBulkLineage _owner;
        private readonly IAsyncEnumerable<LineageItem> _items;
        private readonly BulkOptions _options;
        private readonly IProgress<BulkProgress>? _progress;
        private readonly ChannelWriter<BulkItemResult> _results;
        private readonly CancellationToken _abandoned;
        private readonly CancellationTokenSource _stop;
        private readonly SemaphoreSlim _sourceGate = new(1, 1);
        private IAsyncEnumerator<LineageItem>? _source;
        private bool _sourceDone;
        private Exception? _sourceError;
        private long _read;
        private long _succeeded;
        private long _failed;
        private long _skipped;
        private long _cancelled;
        private long _validated;
        private long _calls;

        public BulkRun(DataphinBulkLineage owner, IAsyncEnumerable<LineageItem> items, BulkOptions options, IProgress<BulkProgress>? progress, ChannelWriter<BulkItemResult> results, CancellationToken cancellation, CancellationToken abandoned)
        {
            _owner = owner;
            _items = items;
            _options = options;
            _progress = progress;
            _results = results;
            _abandoned = abandoned;
            _stop = CancellationTokenSource.CreateLinkedTokenSource(cancellation, abandoned);
        }

        public Task<bool> Start()
        {
            var workers = new Task[_options.MaxConcurrency];
            for (var i = 0; i < workers.Length; i++)
            {
                workers[i] = Task.Run(WorkAsync);
            }

            return Task.WhenAll(workers).ContinueWith(
                _ => _results.TryComplete(_sourceError),
                CancellationToken.None,
                TaskContinuationOptions.ExecuteSynchronously,
                TaskScheduler.Default);
        }

        public async ValueTask DisposeAsync()
        {
            if (_source is not null)
            {
                await _source.DisposeAsync().ConfigureAwait(false);
            }

            _stop.Dispose();
            _sourceGate.Dispose();
        }

        private async Task WorkAsync()
        {
            while (true)
            {
                var item = await NextAsync().ConfigureAwait(false);
                if (item is null)
                {
                    return;
                }

                var result = await _owner.ProcessAsync(item, _options, this, _stop.Token).ConfigureAwait(false);
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

        private async Task<LineageItem?> NextAsync()
        {
            await _sourceGate.WaitAsync().ConfigureAwait(false);
            try
            {
                if (_sourceDone || _stop.IsCancellationRequested)
                {
                    return null;
                }

                try
                {
                    _source ??= _items.GetAsyncEnumerator(_stop.Token);
                    if (!await _source.MoveNextAsync().ConfigureAwait(false))
                    {
                        _sourceDone = true;
                        return null;
                    }
                }
                catch (OperationCanceledException) when (_stop.IsCancellationRequested)
                {
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
                Interlocked.Increment(ref _read);
                return item;
            }
            finally
            {
                _sourceGate.Release();
            }
        }

        internal void CallSent() => Interlocked.Increment(ref _calls);

        private void Count(BulkItemResult result)
        {
            switch (result.Status)
            {
                case BulkItemStatus.Succeeded: Interlocked.Increment(ref _succeeded); break;
                case BulkItemStatus.Failed: Interlocked.Increment(ref _failed); break;
                case BulkItemStatus.SkippedInvalid: Interlocked.Increment(ref _skipped); break;
                case BulkItemStatus.Cancelled: Interlocked.Increment(ref _cancelled); break;
                case BulkItemStatus.Validated: Interlocked.Increment(ref _validated); break;
            }

            _progress?.Report(new BulkProgress(
                Interlocked.Read(ref _read),
                Interlocked.Read(ref _succeeded),
                Interlocked.Read(ref _failed),
                Interlocked.Read(ref _skipped),
                Interlocked.Read(ref _cancelled),
                Interlocked.Read(ref _validated),
                Interlocked.Read(ref _calls)));
        }
    }

    private async Task<BulkItemResult> ProcessAsync(LineageItem item, BulkOptions options, BulkRun run, CancellationToken cancellationToken)
    {
        var noParts = Array.Empty<BulkPartResult>();
        if (item.Command is not { } command)
        {
            return new BulkItemResult(item, BulkItemStatus.SkippedInvalid, noParts, item.ReadErrors, remainingCommand: null);
        }

        var errors = Validate(command, options);
        if (errors.Count > 0)
        {
            return new BulkItemResult(item, BulkItemStatus.SkippedInvalid, noParts, errors, command);
        }

        var parts = Split(command, options.MaxFieldLineagesPerCall);
        var outcomes = new BulkPartResult[parts.Count];
        for (var i = 0; i < parts.Count; i++)
        {
            var part = parts[i];
            if (options.DryRun || cancellationToken.IsCancellationRequested)
            {
                outcomes[i] = new BulkPartResult(i, part, BulkPartStatus.NotSent, null, null);
                continue;
            }

            run.CallSent();
            try
            {
                var response = await SendAsync(part, options.OpUserId, cancellationToken).ConfigureAwait(false);
                outcomes[i] = new BulkPartResult(i, part, BulkPartStatus.Succeeded, response.RequestId, null);
            }
            catch (OperationCanceledException error) when (cancellationToken.IsCancellationRequested)
            {
                outcomes[i] = new BulkPartResult(i, part, BulkPartStatus.Cancelled, null, error);
            }
#pragma warning disable CA1031 // Every failure of one item is reported in its result; one bad item must not end the run.
            catch (Exception error)
#pragma warning restore CA1031
            {
                outcomes[i] = new BulkPartResult(i, part, BulkPartStatus.Failed, null, error);
            }
        }

        var status = options.DryRun ? BulkItemStatus.Validated : StatusOf(outcomes);
        var remaining = status is BulkItemStatus.Failed or BulkItemStatus.Cancelled ? Remaining(outcomes) : null;
        return new BulkItemResult(item, status, outcomes, Array.Empty<DataphinValidationError>(), remaining);
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
