using System.Collections.Concurrent;
using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using StackExchange.Redis;

namespace Dataphin.OpenApi.Redis;

/// <summary>
/// A <see cref="DataphinRateLimiterProvider"/> that shares each quota across processes and machines through Redis:
/// every process using the same endpoint, tenant, AccessKey id and throttling level draws its permits from one
/// adaptive budget kept in Redis (one atomic Lua script per permit), so a fleet together stays within the quota, and a
/// throttling answer seen by any process slows the whole fleet down (and the recovery is shared too).
/// <para>
/// While Redis cannot be reached, or answers later than <see cref="DataphinRedisRateLimitOptions.Timeout"/>, each
/// process paces itself with a local adaptive bucket at <see cref="DataphinRedisRateLimitOptions.FallbackShare"/> of
/// the quota (by default the quota divided by <see cref="DataphinRedisRateLimitOptions.ExpectedFleetSize"/>), logs
/// one warning per outage, counts the time in the <c>dataphin.client.rate_limit.fallback.duration</c> metric, and goes
/// back to the shared budget as soon as Redis answers. A Redis outage never fails or holds up a Dataphin call.
/// </para>
/// <para>Only a SHA-256 of the endpoint, tenant, AccessKey id and level goes to Redis (<see cref="DataphinRateLimitKey.ToHashedId"/>), never a secret.</para>
/// </summary>
public sealed class DataphinRedisRateLimiterProvider : DataphinRateLimiterProvider, IDisposable
{
    private readonly ConcurrentDictionary<(DataphinRateLimitKey Key, DataphinRateLimitQuota Quota, TimeProvider Time), RedisRateLimiter> _limiters = new();
    private readonly ConfigurationOptions? _configuration;
    private readonly object _gate = new();
    private readonly bool _ownsConnection;
    private readonly string _endpointText;
    private readonly string? _password;
    private Task<IConnectionMultiplexer>? _connection;
    private int _outage;
    private long _outageStarted;
    private TimeProvider? _outageClock;
    private bool _disposed;

    /// <summary>Creates a provider that connects to Redis with a StackExchange.Redis connection string (it connects in the background; calls pace themselves alone until it has).</summary>
    /// <param name="configuration">The connection string, e.g. <c>localhost:6379</c> or <c>redis1:6379,redis2:6379,password=...,ssl=true</c>.</param>
    /// <param name="options">The settings; <see langword="null"/> for the defaults.</param>
    /// <param name="loggerFactory">Where the outage warning goes; <see langword="null"/> logs nothing.</param>
    /// <exception cref="ArgumentNullException"><paramref name="configuration"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="configuration"/> is empty or not a connection string, or a setting is out of range.</exception>
    public DataphinRedisRateLimiterProvider(string configuration, DataphinRedisRateLimitOptions? options = null, ILoggerFactory? loggerFactory = null)
        : this(options, loggerFactory)
    {
        if (configuration is null)
        {
            throw new ArgumentNullException(nameof(configuration));
        }

        if (string.IsNullOrWhiteSpace(configuration))
        {
            throw new ArgumentException("The Redis connection string must not be empty; give host:port, e.g. localhost:6379.", nameof(configuration));
        }

        ConfigurationOptions parsed;
        try
        {
            parsed = ConfigurationOptions.Parse(configuration);
        }
        catch (Exception error) when (error is ArgumentException or FormatException or NotSupportedException)
        {
            var reason = error is ArgumentException { ParamName: { } name } ? error.Message.Replace($" (Parameter '{name}')", string.Empty) : error.Message;
            throw new ArgumentException($"The Redis connection string is not valid ({reason.TrimEnd('.')}); give host:port[,option=value...], e.g. localhost:6379.", nameof(configuration));
        }

        if (parsed.EndPoints.Count == 0)
        {
            throw new ArgumentException("The Redis connection string names no server; give host:port, e.g. localhost:6379.", nameof(configuration));
        }

        var timeout = (int)Math.Ceiling(Options.Timeout.TotalMilliseconds);
        parsed.AbortOnConnectFail = false;
        parsed.ConnectTimeout = (int)Math.Ceiling(Options.ConnectTimeout.TotalMilliseconds);
        parsed.SyncTimeout = timeout;
        parsed.AsyncTimeout = timeout;
        parsed.ConnectRetry = 1;
        parsed.BacklogPolicy = BacklogPolicy.FailFast;
        parsed.ReconnectRetryPolicy = new LinearRetry((int)Math.Ceiling(Options.RetryInterval.TotalMilliseconds));
        _configuration = parsed;
        _password = string.IsNullOrEmpty(parsed.Password) ? null : parsed.Password;
        _endpointText = string.Join(", ", parsed.EndPoints.Select(FormatEndPoint));
        _ownsConnection = true;
        _connection = ConnectAsync();
    }

    /// <summary>Creates a provider over a connection the application already has (it stays the application's to dispose).</summary>
    /// <param name="connection">The connection; create it with <c>AbortOnConnectFail=false</c> and short timeouts, as the connection-string constructor does.</param>
    /// <param name="options">The settings; <see langword="null"/> for the defaults.</param>
    /// <param name="loggerFactory">Where the outage warning goes; <see langword="null"/> logs nothing.</param>
    /// <exception cref="ArgumentNullException"><paramref name="connection"/> is null.</exception>
    /// <exception cref="ArgumentException">A setting is out of range.</exception>
    public DataphinRedisRateLimiterProvider(IConnectionMultiplexer connection, DataphinRedisRateLimitOptions? options = null, ILoggerFactory? loggerFactory = null)
        : this(options, loggerFactory)
    {
        if (connection is null)
        {
            throw new ArgumentNullException(nameof(connection));
        }

        _connection = Task.FromResult(connection);
        _endpointText = string.Join(", ", connection.GetEndPoints().Select(FormatEndPoint));
    }

    private DataphinRedisRateLimiterProvider(DataphinRedisRateLimitOptions? options, ILoggerFactory? loggerFactory)
    {
        Options = (options ?? new DataphinRedisRateLimitOptions()).Clone();
        Options.Validate();
        Logger = (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger("Dataphin.OpenApi.Redis");
        _endpointText = string.Empty;
    }

    /// <summary>A copy of the settings the provider was created with.</summary>
    public DataphinRedisRateLimitOptions Options { get; }

    internal ILogger Logger { get; }

    /// <summary>The connection (being made), for tests.</summary>
    internal Task<IConnectionMultiplexer>? Connection
    {
        get
        {
            lock (_gate)
            {
                return _connection;
            }
        }
    }

    /// <summary>Whether the provider has reported an outage that has not ended (some limiter paces itself alone).</summary>
    internal bool InOutage => Volatile.Read(ref _outage) == 1;

    /// <summary>The Redis key of <paramref name="key"/>'s budget: the prefix and, as a hash tag, the key's SHA-256.</summary>
    /// <param name="key">What the quota belongs to.</param>
    /// <returns>The Redis key.</returns>
    public string RedisKeyFor(DataphinRateLimitKey key) => Options.KeyPrefix + "{" + key.ToHashedId() + "}";

    /// <inheritdoc/>
    public override DataphinRateLimiter GetLimiter(DataphinRateLimitKey key, DataphinRateLimitQuota quota, TimeProvider timeProvider)
    {
        if (timeProvider is null)
        {
            throw new ArgumentNullException(nameof(timeProvider));
        }

        return _limiters.GetOrAdd((key, quota, timeProvider), id => new RedisRateLimiter(this, id.Key, RedisKeyFor(id.Key), id.Quota, id.Time));
    }

    /// <summary>Closes the connection the provider opened (not one it was given). Calls made afterwards pace themselves alone.</summary>
    public void Dispose()
    {
        Task<IConnectionMultiplexer>? connection;
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            connection = _connection;
            _connection = null;
        }

        if (_ownsConnection && connection is { Status: TaskStatus.RanToCompletion })
        {
            connection.Result.Dispose();
        }
        else if (_ownsConnection && connection is not null)
        {
            _ = connection.ContinueWith(static t => t.Result.Dispose(), CancellationToken.None, TaskContinuationOptions.OnlyOnRanToCompletion, TaskScheduler.Default);
        }
    }

    /// <summary>Runs the budget script; throws when Redis is not connected, fails, or answers later than the timeout.</summary>
    internal async Task<RedisResult[]> EvaluateAsync(RedisKey key, RedisValue[] arguments)
    {
        var connection = await GetConnectedAsync().ConfigureAwait(false);
        var evaluation = connection.GetDatabase().ScriptEvaluateAsync(RedisBudgetScript.Text, [key], arguments);
        var result = await WithTimeout(evaluation, Options.Timeout).ConfigureAwait(false);
        return (RedisResult[])result!;
    }

    /// <summary>A request failed (counted, logged at debug level); the first failure of an outage logs the warning, later ones do not.</summary>
    internal void ReportFailure(Exception error, TimeProvider time)
    {
        RedisTelemetry.RedisFailures.Add(1);
        RedisTelemetry.RequestFailed(Logger, _endpointText, Describe(error), null);
        if (Interlocked.CompareExchange(ref _outage, 1, 0) == 0)
        {
            lock (_gate)
            {
                _outageClock = time;
                _outageStarted = time.GetTimestamp();
            }

            RedisTelemetry.OutageStarted(Logger, _endpointText, Options.EffectiveFallbackShare, Describe(error), null);
        }
    }

    /// <summary>A limiter reached Redis again: the outage (if any) ends.</summary>
    internal void ReportAnswered()
    {
        if (Volatile.Read(ref _outage) == 1 && Interlocked.Exchange(ref _outage, 0) == 1)
        {
            double seconds;
            lock (_gate)
            {
                seconds = _outageClock?.GetElapsedTime(_outageStarted).TotalSeconds ?? 0;
            }

            RedisTelemetry.OutageEnded(Logger, _endpointText, seconds, null);
        }
    }

    private static string FormatEndPoint(System.Net.EndPoint endPoint) => endPoint switch
    {
        System.Net.DnsEndPoint dns => dns.Host + ":" + dns.Port.ToString(CultureInfo.InvariantCulture),
        System.Net.IPEndPoint ip => ip.ToString(),
        _ => endPoint.ToString() ?? "?",
    };

    private async Task<IConnectionMultiplexer> ConnectAsync()
        => await ConnectionMultiplexer.ConnectAsync(_configuration!).ConfigureAwait(false);

    private async Task<IConnectionMultiplexer> GetConnectedAsync()
    {
        Task<IConnectionMultiplexer> connecting;
        lock (_gate)
        {
            if (_disposed || _connection is null)
            {
                throw new RedisUnavailableException("The rate-limiter provider was disposed.");
            }

            if (_connection.IsFaulted && _ownsConnection)
            {
                // The first connection attempt failed outright (not merely "not connected yet"): try again.
                _connection = ConnectAsync();
            }

            connecting = _connection;
        }

        var connection = await WithTimeout(connecting, Options.ConnectTimeout).ConfigureAwait(false);
        if (!connection.IsConnected)
        {
            throw new RedisUnavailableException("Redis is not connected.");
        }

        return connection;
    }

    /// <summary>Bounds a Redis request by the timeout on the real clock (Redis runs in real time, whatever clock the client uses).</summary>
    private static Task<T> WithTimeout<T>(Task<T> task, TimeSpan limit)
    {
        if (task.IsCompleted)
        {
            return task;
        }

#if NET8_0_OR_GREATER
        return task.WaitAsync(limit, TimeProvider.System);
#else
        return TimeProviderTaskExtensions.WaitAsync(task, limit, TimeProvider.System, CancellationToken.None);
#endif
    }

    /// <summary>Why a request failed, for people (the client library's own message is full of counters): the password, if any, taken out.</summary>
    private string Describe(Exception error) => error switch
    {
        TimeoutException or RedisTimeoutException => FormattableString.Invariant($"It did not answer within {Options.Timeout.TotalMilliseconds:0} ms."),
        RedisUnavailableException => error.Message,
        RedisConnectionException => "It could not be reached.",
        RedisServerException => "It answered with an error: " + Redact(error.Message),
        _ => "The request failed: " + Redact(error.Message),
    };

    /// <summary>The text of an error with the connection string's password (if any) taken out.</summary>
    private string Redact(string text)
        => _password is null ? text : text.Replace(_password, "***");
}

/// <summary>Redis cannot be used now (not connected, or the provider was disposed): the limiter paces itself alone.</summary>
internal sealed class RedisUnavailableException(string message) : Exception(message);
