namespace Dataphin.OpenApi.Testing;

/// <summary>
/// An in-memory stand-in for the Dataphin OpenAPI at the HTTP level, for unit tests of code that calls Dataphin: it
/// records every request (action, decoded query and form, headers, body) and answers with scripted or canned
/// responses, Dataphin's errors included, without a network or a server. It speaks HTTP only and does not check
/// signatures or store lineage; for those, use <see cref="DataphinEmulator"/>.
/// </summary>
/// <remarks>
/// <para>
/// Plug it in where the client takes its HTTP handler: <c>new DataphinClient(new HttpClient(fake), options)</c>, or
/// with dependency injection <c>services.AddDataphinClient(...).ConfigurePrimaryHttpMessageHandler(_ =&gt; fake)</c>.
/// </para>
/// <para>
/// Each request is answered by the first of these that has an answer: the next answer queued for its action
/// (<see cref="Enqueue(string, FakeDataphinResponse[])"/>), the next answer queued for any request
/// (<see cref="Enqueue(FakeDataphinResponse[])"/>), the standing answer for its action (<see cref="Respond(string, FakeDataphinResponse)"/>),
/// the rules in the order they were added (<see cref="Respond(Func{FakeDataphinRequest, FakeDataphinResponse?})"/>),
/// and last <see cref="Fallback"/>, by default <see cref="FakeDataphinResponse.Success"/>.
/// </para>
/// <para>
/// Thread-safe. Disposing it (as an <see cref="HttpClient"/> that owns it does) releases nothing and does not stop
/// it answering, so one instance can serve several clients in a test.
/// </para>
/// </remarks>
/// <example>
/// <code>
/// var fake = new FakeDataphinTransport();
/// fake.Enqueue(FakeDataphinResponse.Throttled(retryAfter: TimeSpan.FromMilliseconds(10)));
/// using var client = new DataphinClient(new HttpClient(fake), options);
///
/// await client.AddRegisterLineageAsync(300001234, command);
///
/// Assert.Equal(2, fake.Requests.Count); // throttled once, then the fallback success
/// Assert.Equal("AddRegisterLineage", fake.Requests[1].Action);
/// Assert.Contains("dwd_trade_order_di", fake.Requests[1].Form["AddRegisterLineageCommand"]);
/// </code>
/// </example>
public sealed class FakeDataphinTransport : HttpMessageHandler
{
    private readonly object _gate = new();
    private readonly TimeProvider _time;
    private readonly List<FakeDataphinRequest> _requests = [];
    private readonly Queue<FakeDataphinResponse> _queue = new();
    private readonly Dictionary<string, Queue<FakeDataphinResponse>> _actionQueues = new(StringComparer.Ordinal);
    private readonly Dictionary<string, FakeDataphinResponse> _actionAnswers = new(StringComparer.Ordinal);
    private readonly List<Func<FakeDataphinRequest, FakeDataphinResponse?>> _rules = [];
    private readonly List<(int Count, TaskCompletionSource Reached)> _waiters = [];
    private FakeDataphinResponse _fallback = FakeDataphinResponse.Success();
    private volatile bool _simple;
    private volatile bool _recording = true;
    private int _received;

    /// <summary>A transport on the system clock.</summary>
    public FakeDataphinTransport()
        : this(TimeProvider.System)
    {
    }

    /// <summary>A transport on <paramref name="timeProvider"/>: it stamps <see cref="FakeDataphinRequest.ReceivedAt"/> and waits out <see cref="FakeDataphinResponse.DelayedBy"/> on it.</summary>
    /// <param name="timeProvider">The clock, e.g. the fake clock the client under test runs on.</param>
    public FakeDataphinTransport(TimeProvider timeProvider)
    {
        _time = timeProvider ?? throw new ArgumentNullException(nameof(timeProvider));
    }

    /// <summary>The answer for requests nothing else answers; <see cref="FakeDataphinResponse.Success"/> unless set.</summary>
    /// <exception cref="ArgumentNullException">Set to <see langword="null"/>.</exception>
    public FakeDataphinResponse Fallback
    {
        get => Volatile.Read(ref _fallback);
        set => Volatile.Write(ref _fallback, value ?? throw new ArgumentNullException(nameof(value)));
    }

    /// <summary>
    /// Whether requests are recorded in <see cref="Requests"/> (the default). Turn it off where only the answers
    /// matter, e.g. in a benchmark: an unrecorded request answered by <see cref="Fallback"/> costs one response object.
    /// </summary>
    public bool RecordsRequests
    {
        get => _recording;
        set
        {
            _recording = value;
            UpdateSimple();
        }
    }

    /// <summary>The requests received so far, in order of arrival (a copy; later requests do not change it).</summary>
    public IReadOnlyList<FakeDataphinRequest> Requests
    {
        get
        {
            lock (_gate)
            {
                return _requests.ToArray();
            }
        }
    }

    /// <summary>How many requests the transport has received, recorded or not.</summary>
    public int RequestCount => Volatile.Read(ref _received);

    /// <summary>Queues answers for the next requests, whatever their action, in order; each is used once.</summary>
    /// <param name="responses">The answers.</param>
    /// <returns>This transport.</returns>
    public FakeDataphinTransport Enqueue(params FakeDataphinResponse[] responses)
    {
        Check(responses);
        lock (_gate)
        {
            foreach (var response in responses)
            {
                _queue.Enqueue(response);
            }
        }

        UpdateSimple();
        return this;
    }

    /// <summary>Queues answers for the next requests of <paramref name="action"/>, in order; each is used once.</summary>
    /// <param name="action">The operation, e.g. <c>AddRegisterLineage</c> (compared exactly).</param>
    /// <param name="responses">The answers.</param>
    /// <returns>This transport.</returns>
    public FakeDataphinTransport Enqueue(string action, params FakeDataphinResponse[] responses)
    {
        CheckAction(action);
        Check(responses);
        lock (_gate)
        {
            if (!_actionQueues.TryGetValue(action, out var queue))
            {
                _actionQueues[action] = queue = new Queue<FakeDataphinResponse>();
            }

            foreach (var response in responses)
            {
                queue.Enqueue(response);
            }
        }

        UpdateSimple();
        return this;
    }

    /// <summary>Answers every request of <paramref name="action"/> with <paramref name="response"/> (replacing an earlier standing answer for it).</summary>
    /// <param name="action">The operation, e.g. <c>DeleteRegisterLineage</c> (compared exactly).</param>
    /// <param name="response">The answer.</param>
    /// <returns>This transport.</returns>
    public FakeDataphinTransport Respond(string action, FakeDataphinResponse response)
    {
        CheckAction(action);
        lock (_gate)
        {
            _actionAnswers[action] = response ?? throw new ArgumentNullException(nameof(response));
        }

        UpdateSimple();
        return this;
    }

    /// <summary>
    /// Adds a rule: <paramref name="answer"/> sees each request (not yet answered by a queue or a standing answer)
    /// and returns its answer, or <see langword="null"/> to leave it to the next rule or to <see cref="Fallback"/>.
    /// </summary>
    /// <param name="answer">The rule; it may run on several threads at once.</param>
    /// <returns>This transport.</returns>
    public FakeDataphinTransport Respond(Func<FakeDataphinRequest, FakeDataphinResponse?> answer)
    {
        if (answer is null)
        {
            throw new ArgumentNullException(nameof(answer));
        }

        lock (_gate)
        {
            _rules.Add(answer);
        }

        UpdateSimple();
        return this;
    }

    /// <summary>
    /// Completes when the transport has received <paramref name="count"/> requests in all, e.g. to know that a call is
    /// in flight before releasing an answer held with <see cref="FakeDataphinResponse.After"/>.
    /// </summary>
    /// <param name="count">The number of requests, from the transport's start.</param>
    /// <param name="cancellationToken">Stops waiting.</param>
    /// <returns>A task that completes when that many requests have arrived.</returns>
    public Task WaitForRequestsAsync(int count, CancellationToken cancellationToken = default)
    {
        if (count < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(count), count, "count must not be negative.");
        }

        Task reached;
        lock (_gate)
        {
            if (_received >= count)
            {
                return Task.CompletedTask;
            }

            var waiter = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Add((count, waiter));
            reached = waiter.Task;
        }

        UpdateSimple();
        return reached.WaitAsync(cancellationToken);
    }

    /// <summary>
    /// An <see cref="HttpClient"/> over this transport with no timeout of its own, so that only the timeouts of the
    /// client under test apply. Disposing it leaves the transport usable.
    /// </summary>
    /// <returns>A new <see cref="HttpClient"/>.</returns>
    public HttpClient CreateHttpClient() => new(this, disposeHandler: false) { Timeout = Timeout.InfiniteTimeSpan };

    /// <inheritdoc />
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (request is null)
        {
            throw new ArgumentNullException(nameof(request));
        }

        if (_simple)
        {
            // Nothing to record, match or notify: the canned path a benchmark measures.
            Interlocked.Increment(ref _received);
            var fallback = Fallback;
            return fallback.Delay is null && fallback.Release is null && !fallback.NeverAnswers && fallback.FailureMessage is null
                ? Task.FromResult(fallback.CreateMessage(request))
                : AnswerAsync(fallback, request, cancellationToken);
        }

        return ReceiveAsync(request, cancellationToken);
    }

    /// <inheritdoc />
    protected override HttpResponseMessage Send(HttpRequestMessage request, CancellationToken cancellationToken)
        => SendAsync(request, cancellationToken).GetAwaiter().GetResult();

    private async Task<HttpResponseMessage> ReceiveAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var body = request.Content is null ? [] : await request.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        var receivedAt = _time.GetUtcNow();
        FakeDataphinRequest recorded;
        FakeDataphinResponse? answer;
        List<TaskCompletionSource>? reached = null;
        Func<FakeDataphinRequest, FakeDataphinResponse?>[] rules;
        lock (_gate)
        {
            recorded = new FakeDataphinRequest(Interlocked.Increment(ref _received) - 1, receivedAt, request, body);
            if (_recording)
            {
                _requests.Add(recorded);
            }

            for (var i = _waiters.Count - 1; i >= 0; i--)
            {
                if (_waiters[i].Count <= _received)
                {
                    (reached ??= []).Add(_waiters[i].Reached);
                    _waiters.RemoveAt(i);
                }
            }

            answer = recorded.Action is { } action && _actionQueues.TryGetValue(action, out var queue) && queue.Count > 0 ? queue.Dequeue()
                : _queue.Count > 0 ? _queue.Dequeue()
                : recorded.Action is { } standing && _actionAnswers.TryGetValue(standing, out var fixedAnswer) ? fixedAnswer
                : null;
            rules = answer is null ? [.. _rules] : [];
        }

        UpdateSimple();
        if (reached is not null)
        {
            foreach (var waiter in reached)
            {
                waiter.TrySetResult();
            }
        }

        foreach (var rule in rules)
        {
            answer ??= rule(recorded);
        }

        return await AnswerAsync(answer ?? Fallback, request, cancellationToken).ConfigureAwait(false);
    }

    private async Task<HttpResponseMessage> AnswerAsync(FakeDataphinResponse answer, HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (answer.Delay is { } delay && delay > TimeSpan.Zero)
        {
            await Task.Delay(delay, _time, cancellationToken).ConfigureAwait(false);
        }

        if (answer.Release is { } release)
        {
            await release.WaitAsync(cancellationToken).ConfigureAwait(false);
        }

        if (answer.NeverAnswers)
        {
            await Task.Delay(Timeout.InfiniteTimeSpan, _time, cancellationToken).ConfigureAwait(false);
        }

        cancellationToken.ThrowIfCancellationRequested();
        if (answer.FailureMessage is { } failure)
        {
            throw new HttpRequestException(failure);
        }

        return answer.CreateMessage(request);
    }

    private void UpdateSimple()
    {
        lock (_gate)
        {
            _simple = !_recording && _queue.Count == 0 && _actionQueues.Count == 0 && _actionAnswers.Count == 0 && _rules.Count == 0 && _waiters.Count == 0;
        }
    }

    private static void Check(FakeDataphinResponse[] responses)
    {
        if (responses is null)
        {
            throw new ArgumentNullException(nameof(responses));
        }

        if (Array.IndexOf(responses, null) is var index and >= 0)
        {
            throw new ArgumentException($"responses[{index}] is null.", nameof(responses));
        }
    }

    private static void CheckAction(string action)
    {
        if (string.IsNullOrWhiteSpace(action))
        {
            throw new ArgumentException("action must not be empty.", nameof(action));
        }
    }
}
