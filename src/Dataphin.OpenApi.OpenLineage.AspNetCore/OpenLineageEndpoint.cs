using System.Globalization;
using System.IO.Compression;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Dataphin.OpenApi.OpenLineage.AspNetCore.Queue;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Dataphin.OpenApi.OpenLineage.AspNetCore;

/// <summary>
/// What the endpoint does with a request: authenticate (Bearer API key, compared in constant time), read the body
/// (size cap; gzip with a cap on what it decompresses to), validate every event (400 naming the field), map it with the
/// import rules (unmapped datasets recorded), and append it to the durable queue before answering 200 (503 with
/// <c>Retry-After</c> when the queue is full).
/// </summary>
internal sealed class OpenLineageEndpoint
{
    private const int ReadChunk = 81920;
    private readonly DataphinOpenLineageOptions _options;
    private readonly OpenLineageQueueHolder _queue;
    private readonly OpenLineageImporter _importer;
    private readonly OpenLineageUnmappedDatasets _unmapped;
    private readonly OpenLineageServerMetrics _metrics;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly byte[][] _keyHashes;

    public OpenLineageEndpoint(
        IOptions<DataphinOpenLineageOptions> options,
        OpenLineageQueueHolder queue,
        OpenLineageUnmappedDatasets unmapped,
        OpenLineageServerMetrics metrics,
        ILogger<OpenLineageEndpoint> logger)
    {
        _options = options.Value;
        _queue = queue;
        _importer = new OpenLineageImporter(_options.MappingRules!, _options.ImportOptions);
        _unmapped = unmapped;
        _metrics = metrics;
        _logger = logger;
        _time = _options.TimeProvider ?? TimeProvider.System;
        _keyHashes = _options.ApiKeys.Select(k => SHA256.HashData(Encoding.UTF8.GetBytes(k))).ToArray();
    }

    public async Task PostAsync(HttpContext context)
    {
        var result = await HandlePostAsync(context).ConfigureAwait(false);
        await result.ExecuteAsync(context).ConfigureAwait(false);
    }

    public async Task UnmappedAsync(HttpContext context)
    {
        var result = (IResult?)Authenticate(context) ?? TypedResults.Json(_unmapped.Snapshot(), OpenLineageServerJsonContext.Default.OpenLineageUnmappedListResponse);
        await result.ExecuteAsync(context).ConfigureAwait(false);
    }

    public async Task StatusAsync(HttpContext context)
    {
        IResult? result = Authenticate(context);
        if (result is null)
        {
            var queue = _queue.Get();
            var oldest = queue.OldestAccepted;
            result = TypedResults.Json(
                new OpenLineageStatusResponse
                {
                    Queued = queue.Count,
                    Capacity = queue.Capacity,
                    LagSeconds = oldest is { } o ? Math.Max(0, (_time.GetUtcNow() - o).TotalSeconds) : 0,
                    Accepted = _metrics.Accepted,
                    Forwarded = _metrics.Forwarded,
                    PairsRegistered = _metrics.PairsRegistered,
                    PairsFailed = _metrics.PairsFailed,
                    UnmappedDatasets = _unmapped.Distinct,
                    Journal = queue.Path,
                    Replayed = queue.Replayed,
                },
                OpenLineageServerJsonContext.Default.OpenLineageStatusResponse);
        }

        await result.ExecuteAsync(context).ConfigureAwait(false);
    }

    private async Task<IResult> HandlePostAsync(HttpContext context)
    {
        if (Authenticate(context) is { } refused)
        {
            return refused;
        }

        var (body, bodyError) = await ReadBodyAsync(context).ConfigureAwait(false);
        if (bodyError is not null)
        {
            return bodyError;
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body, new JsonDocumentOptions { MaxDepth = 128 });
        }
        catch (JsonException error)
        {
            return Invalid(1, [new("body", $"The body is not JSON: {error.Message}")]);
        }

        using (document)
        {
            var root = document.RootElement;
            var elements = new List<(JsonElement Element, string Prefix)>();
            if (root.ValueKind == JsonValueKind.Array)
            {
                var i = 0;
                foreach (var element in root.EnumerateArray())
                {
                    elements.Add((element, $"[{i++}]."));
                }

                if (elements.Count == 0)
                {
                    return Invalid(1, [new("body", "The body is an empty array; post one event, or an array of events.")]);
                }
            }
            else
            {
                elements.Add((root, string.Empty));
            }

            var problems = new List<KeyValuePair<string, string>>();
            foreach (var (element, prefix) in elements)
            {
                if (!OpenLineageEventValidator.IsDatasetEvent(element))
                {
                    OpenLineageEventValidator.Validate(element, prefix, problems);
                }
            }

            if (problems.Count > 0)
            {
                return Invalid(elements.Count, problems);
            }

            var events = new List<OpenLineageRunEvent>(elements.Count);
            foreach (var (element, prefix) in elements)
            {
                if (OpenLineageEventValidator.IsDatasetEvent(element))
                {
                    continue; // A DatasetEvent has no job, so no lineage: accepted and left out.
                }

                try
                {
                    events.Add(OpenLineageServerJsonContext.Deserialize(element));
                }
                catch (JsonException error)
                {
                    var field = prefix + (error.Path ?? "$").TrimStart('$').TrimStart('.');
                    return Invalid(elements.Count, [new(field.Length == 0 ? "event" : field, $"{(field.Length == 0 ? "the event" : field)} does not have the OpenLineage shape: {error.Message}")]);
                }
            }

            return await QueueAsync(elements.Count, events).ConfigureAwait(false);
        }
    }

    private async Task<IResult> QueueAsync(int received, List<OpenLineageRunEvent> events)
    {
        var now = _time.GetUtcNow();
        var toQueue = new List<(byte[] Json, string? RunKey, bool EndsRun)>(events.Count);
        var unmapped = new List<string>();
        foreach (var e in events)
        {
            var imported = _importer.Import([e]);
            foreach (var dataset in imported.UnmappedDatasets)
            {
                _metrics.AddUnmapped(dataset.Occurrences);
                unmapped.Add($"{dataset.Namespace} {dataset.Name}");
                if (_unmapped.Add(dataset, now))
                {
                    OpenLineageServerLog.UnmappedDataset(_logger, dataset.Namespace, dataset.Name, dataset.Reason);
                }
            }

            var runKey = QueuedEvent.RunKeyOf(e);
            var endsRun = QueuedEvent.IsEnd(e.EventType);

            // An event that gives no lineage is not queued, except the end of a run: it releases the run's held events.
            if (imported.Items.Count > 0 || (endsRun && runKey is not null))
            {
                toQueue.Add((OpenLineageServerJsonContext.Serialize(e), runKey, endsRun));
            }
        }

        var queue = _queue.Get();
        bool appended;
        try
        {
            appended = await queue.TryAppendAsync(toQueue).ConfigureAwait(false);
        }
        catch (IOException error)
        {
            OpenLineageServerLog.QueueWriteFailed(_logger, error);
            _metrics.AddRejected(received, "queue_error");
            return Unavailable("The events could not be written to the queue; nothing was queued. Try again later.");
        }

        if (!appended)
        {
            _metrics.AddRejected(received, "queue_full");
            OpenLineageServerLog.QueueFull(_logger, queue.Count, RetryAfterSeconds);
            return Unavailable($"The queue is full ({queue.Count.ToString("N0", CultureInfo.InvariantCulture)} events waiting to be forwarded to Dataphin); nothing was queued. Try again in {RetryAfterSeconds} s.");
        }

        _metrics.AddAccepted(received);
        return TypedResults.Json(
            new OpenLineageAcceptedResponse { Received = received, Queued = toQueue.Count, Unmapped = unmapped.Distinct(StringComparer.Ordinal).ToList() },
            OpenLineageServerJsonContext.Default.OpenLineageAcceptedResponse);
    }

    private int RetryAfterSeconds => (int)Math.Max(1, Math.Ceiling(_options.RetryAfter.TotalSeconds));

    private WithHeader Unavailable(string detail)
        => new WithHeader(
            TypedResults.Problem(detail, statusCode: StatusCodes.Status503ServiceUnavailable, title: "The OpenLineage endpoint cannot take events now."),
            "Retry-After",
            RetryAfterSeconds.ToString(CultureInfo.InvariantCulture));

    private ValidationProblem Invalid(int count, List<KeyValuePair<string, string>> problems)
    {
        _metrics.AddRejected(count, "invalid");
        var detail = string.Join("; ", problems.Take(5).Select(p => p.Value)) + (problems.Count > 5 ? $"; and {problems.Count - 5} more" : string.Empty);
        OpenLineageServerLog.Rejected(_logger, 400, detail);
        var errors = problems.GroupBy(p => p.Key, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Select(p => p.Value).ToArray(), StringComparer.Ordinal);
        return TypedResults.ValidationProblem(errors, detail, title: "The OpenLineage event is not valid; nothing was queued.");
    }

    private ProblemHttpResult Refuse(int status, string reason, string title, string detail)
    {
        _metrics.AddRejected(1, reason);
        OpenLineageServerLog.Rejected(_logger, status, detail);
        return TypedResults.Problem(detail, statusCode: status, title: title);
    }

    /// <summary>Null when the request may go on; otherwise the 401 to answer. The presented key is never logged nor echoed.</summary>
    private WithHeader? Authenticate(HttpContext context)
    {
        var header = context.Request.Headers.Authorization.ToString();
        if (header.Length == 0)
        {
            if (_options.AllowAnonymousOnLoopback && context.Connection.RemoteIpAddress is { } remote && IsLoopback(remote))
            {
                return null;
            }

            return Unauthorized("An API key is required: send the header 'Authorization: Bearer <api key>'.");
        }

        const string scheme = "Bearer ";
        if (!header.StartsWith(scheme, StringComparison.OrdinalIgnoreCase))
        {
            return Unauthorized("Only Bearer API keys are accepted: send the header 'Authorization: Bearer <api key>'.");
        }

        var presented = SHA256.HashData(Encoding.UTF8.GetBytes(header[scheme.Length..].Trim()));
        var match = false;
        foreach (var key in _keyHashes)
        {
            // Every key is compared, in constant time, so the answer's timing tells nothing about the keys.
            match |= CryptographicOperations.FixedTimeEquals(presented, key);
        }

        return match ? null : Unauthorized("The API key is not accepted.");
    }

    private WithHeader Unauthorized(string detail)
        => new WithHeader(Refuse(StatusCodes.Status401Unauthorized, "unauthorized", "Unauthorized.", detail), "WWW-Authenticate", "Bearer");

    private static bool IsLoopback(IPAddress address)
        => IPAddress.IsLoopback(address) || (address.IsIPv4MappedToIPv6 && IPAddress.IsLoopback(address.MapToIPv4()));

    private async Task<(byte[] Body, IResult? Error)> ReadBodyAsync(HttpContext context)
    {
        var request = context.Request;
        var max = _options.MaxRequestBodyBytes;
        if (request.ContentLength > max)
        {
            return ([], TooLarge($"The body is {request.ContentLength.Value.ToString("N0", CultureInfo.InvariantCulture)} bytes; at most {max.ToString("N0", CultureInfo.InvariantCulture)} are accepted. Send fewer events per request."));
        }

        var encoding = request.Headers.ContentEncoding.ToString().Trim();
        var gzip = encoding.Equals("gzip", StringComparison.OrdinalIgnoreCase) || encoding.Equals("x-gzip", StringComparison.OrdinalIgnoreCase);
        if (!gzip && encoding.Length > 0 && !encoding.Equals("identity", StringComparison.OrdinalIgnoreCase))
        {
            return ([], Refuse(StatusCodes.Status415UnsupportedMediaType, "unsupported_encoding", "Unsupported Content-Encoding.", $"The Content-Encoding '{encoding}' is not supported; send the body as it is, or gzip it (Content-Encoding: gzip)."));
        }

        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = max;
        }

        byte[]? raw;
        try
        {
            raw = await ReadLimitedAsync(request.Body, max, context.RequestAborted).ConfigureAwait(false);
        }
        catch (BadHttpRequestException error) when (error.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            raw = null;
        }

        if (raw is null)
        {
            return ([], TooLarge($"The body is larger than {max.ToString("N0", CultureInfo.InvariantCulture)} bytes, the most accepted. Send fewer events per request."));
        }

        if (!gzip)
        {
            return (raw, null);
        }

        var decompressedMax = _options.MaxDecompressedBodyBytes;
        try
        {
            using var input = new GZipStream(new MemoryStream(raw, writable: false), CompressionMode.Decompress);
            var body = await ReadLimitedAsync(input, decompressedMax, context.RequestAborted).ConfigureAwait(false);
            return body is null
                ? ([], TooLarge($"The gzip body decompresses to more than {decompressedMax.ToString("N0", CultureInfo.InvariantCulture)} bytes, the most accepted; nothing was queued."))
                : (body, null);
        }
        catch (InvalidDataException error)
        {
            return ([], Invalid(1, [new("body", $"The body is not valid gzip (Content-Encoding: gzip): {error.Message}")]));
        }
    }

    private ProblemHttpResult TooLarge(string detail) => Refuse(StatusCodes.Status413PayloadTooLarge, "too_large", "The request body is too large.", detail);

    /// <summary>Reads at most <paramref name="max"/> bytes; <see langword="null"/> as soon as there are more.</summary>
    private static async Task<byte[]?> ReadLimitedAsync(Stream stream, long max, CancellationToken cancellationToken)
    {
        using var output = new MemoryStream();
        var buffer = new byte[ReadChunk];
        while (true)
        {
            var read = await stream.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                return output.ToArray();
            }

            if (output.Length + read > max)
            {
                return null;
            }

            output.Write(buffer, 0, read);
        }
    }

    /// <summary>A result with one more response header.</summary>
    private sealed class WithHeader(IResult inner, string name, string value) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext)
        {
            httpContext.Response.Headers[name] = value;
            return inner.ExecuteAsync(httpContext);
        }
    }
}
