using System.Globalization;
using System.Text;
using Dataphin.OpenApi.Testing.Operations;
using Dataphin.OpenApi.Testing.Protocol;
using Microsoft.AspNetCore.Http;

namespace Dataphin.OpenApi.Testing.Hosting;

/// <summary>
/// Answers one request the way the service does: signature and header checks, AccessKey and tenant access, quota,
/// injected faults, then the action itself; records every request.
/// </summary>
internal sealed class EmulatorRequestHandler(EmulatorState state)
{
    private const string HtmlGatewayPage =
        "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>Tengine</center>\r\n</body>\r\n</html>\r\n";

    private readonly ActionExecutor _actions = new(state);

    public const string StatePath = "/_emulator/state";

    public async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        if (HttpMethods.IsGet(request.Method) && request.Path == StatePath)
        {
            var statistics = state.Counters.Snapshot(state.Lineage.Counts()).ToUtf8Json();
            context.Response.ContentType = "application/json;charset=utf-8";
            context.Response.ContentLength = statistics.Length;
            await context.Response.Body.WriteAsync(statistics, context.RequestAborted).ConfigureAwait(false);
            return;
        }

        var receivedAt = state.Time.GetUtcNow();
        var sequence = state.Log.NextSequence();
        var requestId = Guid.NewGuid().ToString("D").ToUpperInvariant();
        var rawTarget = context.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpRequestFeature>()?.RawTarget ?? string.Empty;
        var question = rawTarget.IndexOf('?', StringComparison.Ordinal);
        var query = Rfc3986.ParsePairs(question < 0 ? string.Empty : rawTarget[(question + 1)..]);
        var action = request.Headers["x-acs-action"].ToString();
        var tenantText = query.FirstOrDefault(p => p.Key == "OpTenantId").Value;
        long? tenantId = long.TryParse(tenantText, NumberStyles.None, CultureInfo.InvariantCulture, out var parsedTenant) ? parsedTenant : null;
        var exchange = new Exchange(action, tenantId ?? 0, tenantText, query, requestId);
        var counted = OperationCatalog.Levels.ContainsKey(action) ? action : State.EmulatorCounters.UnknownAction;
        state.Counters.Received(counted);

        var outcome = await DecideAsync(context, exchange).ConfigureAwait(false);
        Count(counted, outcome);
        // Recorded before the answer is written: a caller that has its answer finds the request in the log.
        state.Log.Add(new EmulatorRequest
        {
            Sequence = sequence,
            ReceivedAt = receivedAt,
            RequestId = requestId,
            Method = request.Method,
            Action = action.Length == 0 ? null : action,
            TenantId = tenantId,
            AccessKeyId = outcome.AccessKeyId,
            Query = query,
            Form = exchange.Form,
            Headers = MaskedHeaders(request),
            BodyLength = exchange.BodyLength,
            Status = outcome.Fault == EmulatorFaultKind.DroppedConnection ? 0 : outcome.Status,
            Code = outcome.Fault is EmulatorFaultKind.DroppedConnection or EmulatorFaultKind.MalformedBody ? null : outcome.Error?.Code ?? "OK",
            Fault = outcome.Fault,
            Applied = outcome.Applied,
        });

        if (outcome.Fault == EmulatorFaultKind.DroppedConnection)
        {
            context.Abort();
        }
        else
        {
            context.Response.Headers["x-acs-request-id"] = requestId;
            if (outcome.Error?.RetryAfterMilliseconds is { } retryAfter)
            {
                context.Response.Headers["x-acs-retry-after"] = retryAfter.ToString(CultureInfo.InvariantCulture);
            }

            if (!exchange.BodyRead && MayHaveBody(request))
            {
                // Answered without reading the body: close the connection rather than receive the rest of it.
                context.Response.Headers.Connection = "close";
            }

            context.Response.StatusCode = outcome.Status;
            context.Response.ContentType = outcome.ContentType;
            context.Response.ContentLength = outcome.Body.Length;
            await context.Response.Body.WriteAsync(outcome.Body, context.RequestAborted).ConfigureAwait(false);
        }
    }

    private async Task<Outcome> DecideAsync(HttpContext context, Exchange exchange)
    {
        var request = context.Request;
        var host = request.Headers.Host.ToString();
        Outcome Fail(ServiceError error, string? accessKeyId = null) => Outcome.ForError(error, exchange.RequestId, host, accessKeyId, applied: false);

        if (request.Path.Value is not (null or "" or "/"))
        {
            return Fail(new ServiceError(404, "InvalidAction.NotFound", $"Specified api is not found, please check your url and method. (RPC operations are served at '/', not '{request.Path}')"));
        }

        // Everything that can be checked from the headers is, before a byte of the body is read.
        var error = Acs3SignatureVerifier.Parse(request, out var authorization);
        if (error is not null)
        {
            return Fail(error);
        }

        var version = request.Headers["x-acs-version"].ToString();
        if (version != OperationCatalog.ApiVersion)
        {
            return Fail(ServiceError.InvalidVersion(version), authorization!.AccessKeyId);
        }

        if (!OperationCatalog.Levels.TryGetValue(exchange.Action, out var level))
        {
            return Fail(ServiceError.ActionNotFound(exchange.Action), authorization!.AccessKeyId);
        }

        if (!state.Keys.TryGetValue(authorization!.AccessKeyId, out var key))
        {
            return Fail(ServiceError.AccessKeyNotFound(), authorization.AccessKeyId);
        }

        error = Acs3SignatureVerifier.RequireSignedContentType(request, authorization, request.ContentLength ?? 0)
            ?? state.Verifier.AuthenticateHeaders(request, authorization, key);
        if (error is not null)
        {
            return Fail(error, key.AccessKeyId);
        }

        var body = await CappedBody.ReadAsync(request, state.MaxRequestBodyBytes, context.RequestAborted).ConfigureAwait(false);
        exchange.BodyLength = body.BytesRead;
        if (body.TooLarge)
        {
            return Fail(ServiceError.RequestBodyTooLarge(state.MaxRequestBodyBytes, request.ContentLength), key.AccessKeyId);
        }

        exchange.BodyRead = true;
        if (request.ContentType?.StartsWith("application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase) == true)
        {
            exchange.Form = Rfc3986.ParsePairs(Encoding.UTF8.GetString(body.Bytes.Span));
        }

        error = Acs3SignatureVerifier.RequireSignedContentType(request, authorization, body.Bytes.Length)
            ?? state.Verifier.AuthenticateBody(request, body.Bytes.Span, authorization);
        if (error is not null)
        {
            return Fail(error, key.AccessKeyId);
        }

        var call = new ActionCall(exchange.Action, exchange.TenantId, exchange.Query, exchange.Form);
        var requestId = exchange.RequestId;
        var tenantText = exchange.TenantText;

        if (!key.RamAuthorized)
        {
            return Fail(ServiceError.RamUnauthorized(key.AccessKeyId), key.AccessKeyId);
        }

        if (string.IsNullOrEmpty(tenantText))
        {
            return Fail(ServiceError.MissingParameter("OpTenantId"), key.AccessKeyId);
        }

        if (call.TenantId <= 0)
        {
            return Fail(ServiceError.InvalidParameter($"OpTenantId '{tenantText}' is not a tenant id (a positive integer)."), key.AccessKeyId);
        }

        if (!state.Tenants.ContainsKey(call.TenantId))
        {
            return Fail(ServiceError.Forbidden($"Tenant {call.TenantId} does not exist."), key.AccessKeyId);
        }

        if (!key.TenantIds.Contains(call.TenantId))
        {
            return Fail(ServiceError.Forbidden($"AccessKey {key.AccessKeyId} has no access to tenant {call.TenantId}."), key.AccessKeyId);
        }

        if (state.Quotas.TryAcquire(call.TenantId, level, state.Time.GetUtcNow()) is { } rejection)
        {
            return Fail(ServiceError.Throttled(rejection.RetryAfterMilliseconds, rejection.Message), key.AccessKeyId);
        }

        var fault = state.Faults.For(call.Action);
        var kind = EmulatorFaultKind.None;
        if (fault is not null)
        {
            if (fault.Latency > TimeSpan.Zero)
            {
                await Task.Delay(fault.Latency, state.Time, context.RequestAborted).ConfigureAwait(false);
            }

            kind = state.Faults.Draw(fault);
        }

        var applied = false;
        ActionResult? result = null;
        if (kind == EmulatorFaultKind.None || fault!.ApplyBeforeFault)
        {
            result = _actions.Execute(call with { Key = key });
            applied = result.Error is null;
        }

        switch (kind)
        {
            case EmulatorFaultKind.DroppedConnection:
                return new Outcome(0, "text/plain", [], null, key.AccessKeyId, kind, applied);
            case EmulatorFaultKind.ServerError:
                return Outcome.ForError(fault!.ServerErrorStatus == 500 ? ServiceError.InternalError() : ServiceError.ServiceUnavailable(), requestId, host, key.AccessKeyId, applied) with { Fault = kind };
            case EmulatorFaultKind.MalformedBody when fault!.MalformedBody == MalformedBodyKind.HtmlPage:
                return new Outcome(502, "text/html", Encoding.UTF8.GetBytes(HtmlGatewayPage), null, key.AccessKeyId, kind, applied);
            case EmulatorFaultKind.MalformedBody:
                var full = ResponseBodies.Success(requestId, null);
                return new Outcome(200, "application/json;charset=utf-8", full[..(full.Length / 2)], null, key.AccessKeyId, kind, applied);
        }

        return result!.Error is { } actionError
            ? Outcome.ForError(actionError, requestId, host, key.AccessKeyId, applied: false, fromAction: true)
            : new Outcome(200, "application/json;charset=utf-8", ResponseBodies.Success(requestId, result.WriteData), null, key.AccessKeyId, EmulatorFaultKind.None, true) { RepeatedRegistration = result.RepeatedRegistration };
    }

    private void Count(string action, Outcome outcome)
    {
        if (outcome.Fault != EmulatorFaultKind.None)
        {
            state.Counters.Faulted(action);
        }
        else if (outcome.Error is null)
        {
            state.Counters.Accepted(action);
            if (outcome.RepeatedRegistration)
            {
                state.Counters.RepeatedRegistration();
            }
        }
        else if (outcome.Error.Code.Contains("Throttling", StringComparison.Ordinal))
        {
            state.Counters.Throttled(action);
        }
        else
        {
            state.Counters.Rejected(action);
        }
    }

    /// <summary>Whether the request may carry body bytes not read yet: a positive <c>Content-Length</c> or a chunked body.</summary>
    private static bool MayHaveBody(HttpRequest request)
        => request.ContentLength is > 0 || (request.ContentLength is null && request.Headers.TransferEncoding.Count > 0);

    private static Dictionary<string, string> MaskedHeaders(HttpRequest request)
    {
        var headers = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var header in request.Headers)
        {
            var name = header.Key.ToLowerInvariant();
            var value = header.Value.ToString();
            if (name == "authorization")
            {
                var at = value.IndexOf("Signature=", StringComparison.Ordinal);
                value = at < 0 ? value : value[..(at + "Signature=".Length)] + "***";
            }
            else if (name == "x-acs-security-token")
            {
                value = "***";
            }

            headers[name] = value;
        }

        return headers;
    }

    /// <summary>What is known of a request as it is decided: from its start line and headers, then from its body.</summary>
    private sealed class Exchange(string action, long tenantId, string? tenantText, IReadOnlyList<KeyValuePair<string, string>> query, string requestId)
    {
        public string Action { get; } = action;

        public long TenantId { get; } = tenantId;

        public string? TenantText { get; } = tenantText;

        public IReadOnlyList<KeyValuePair<string, string>> Query { get; } = query;

        public string RequestId { get; } = requestId;

        /// <summary>Whether the whole body was read.</summary>
        public bool BodyRead { get; set; }

        /// <summary>The body bytes read.</summary>
        public int BodyLength { get; set; }

        public IReadOnlyList<KeyValuePair<string, string>> Form { get; set; } = [];
    }

    private sealed record Outcome(int Status, string ContentType, byte[] Body, ServiceError? Error, string? AccessKeyId, EmulatorFaultKind Fault, bool Applied)
    {
        public bool RepeatedRegistration { get; init; }

        public static Outcome ForError(ServiceError error, string requestId, string host, string? accessKeyId, bool applied, bool fromAction = false)
            => new(error.Status, "application/json;charset=utf-8", ResponseBodies.Error(error, requestId, host, fromAction), error, accessKeyId, EmulatorFaultKind.None, applied);
    }
}
