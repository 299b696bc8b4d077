using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Reflection;
using System.Security.Cryptography;
using Dataphin.OpenApi.Authentication;
using Dataphin.OpenApi.Diagnostics;
using Dataphin.OpenApi.Internal;
using Dataphin.OpenApi.Resilience;
using Microsoft.Extensions.Logging;
using Polly;

namespace Dataphin.OpenApi.Transport;

/// <summary>
/// One attempt of a call, the innermost step of the level's pipeline (after the rate limiter's permit): takes the
/// attempt's credential (fetched once per attempt, see <see cref="DataphinCall.GetAttemptCredentialAsync"/>), builds
/// a new <see cref="HttpRequestMessage"/> from the call's kept body bytes, signs it with a fresh date and nonce,
/// sends it, and maps the answer to a result or a typed exception.
/// </summary>
internal sealed class AttemptInvoker
{
    private const string FormContentType = "application/x-www-form-urlencoded";
    private const int NonceLength = 16;

#if NET9_0_OR_GREATER
    [ThreadStatic]
    private static byte[]? t_nonceBytes;

    [ThreadStatic]
    private static int t_nonceOffset;
#endif

    private static readonly string DefaultUserAgent =
        $"Dataphin.OpenApi/{typeof(AttemptInvoker).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0"} ({System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription}; {System.Runtime.InteropServices.RuntimeInformation.OSDescription.Split(' ')[0]})";

    private readonly Func<HttpClient> _http;
    private readonly TimeProvider _time;
    private readonly string _userAgent;
    private readonly DiagnosticsObserver? _observer;

    /// <summary>Creates the attempt step over an HTTP client source asked once per attempt (for example <c>IHttpClientFactory</c>, so handlers rotate).</summary>
    /// <param name="http">The HTTP client source.</param>
    /// <param name="endpoint">The endpoint (scheme, host and port).</param>
    /// <param name="time">The clock of the <c>x-acs-date</c> header and of the attempt's duration.</param>
    /// <param name="userAgentSuffix">Text appended to the <c>User-Agent</c> header.</param>
    /// <param name="observer">Receives each attempt's end, for logs and metrics; <see langword="null"/> for none.</param>
    public AttemptInvoker(Func<HttpClient> http, Uri endpoint, TimeProvider time, string? userAgentSuffix, DiagnosticsObserver? observer)
    {
        _http = http;
        _observer = observer;
        Endpoint = endpoint;
        _time = time;
        _userAgent = string.IsNullOrWhiteSpace(userAgentSuffix) ? DefaultUserAgent : DefaultUserAgent + " " + userAgentSuffix!.Trim();
    }

    public Uri Endpoint { get; }

    /// <summary>Makes the <c>x-acs-signature-nonce</c> of each attempt; replaced only by known-answer tests.</summary>
    internal Func<string> NonceFactory { get; set; } = NewNonce;

    /// <summary>A new <c>x-acs-signature-nonce</c>: 16 bytes from the cryptographic random number generator, as lower-case hex.</summary>
    public static string NewNonce()
    {
#if NET9_0_OR_GREATER
        // Random bytes are fetched 1 KiB at a time per thread: one system call for 64 nonces instead of one each.
        // Nonces are sent in the clear, so holding the next ones in memory reveals nothing.
        var bytes = t_nonceBytes ??= new byte[NonceLength * 64];
        if (t_nonceOffset == 0)
        {
            RandomNumberGenerator.Fill(bytes);
        }

        var nonce = Convert.ToHexStringLower(bytes, t_nonceOffset, NonceLength);
        t_nonceOffset = (t_nonceOffset + NonceLength) % bytes.Length;
        return nonce;
#elif NET6_0_OR_GREATER
        var bytes = new byte[NonceLength];
        RandomNumberGenerator.Fill(bytes);
        return HexEncoding.ToLowerHex(bytes);
#else
        var bytes = new byte[NonceLength];
        using (var rng = RandomNumberGenerator.Create())
        {
            rng.GetBytes(bytes);
        }

        return HexEncoding.ToLowerHex(bytes);
#endif
    }

    public static string FormatDate(DateTimeOffset now) => now.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    /// <summary>Runs one attempt of <paramref name="call"/>: the pipeline's innermost callback. Never throws: a failure is the outcome.</summary>
    /// <param name="context">The pipeline's context; its token cancels the attempt (attempt and total timeouts, the caller).</param>
    /// <param name="call">The call.</param>
    public async ValueTask<Outcome<RpcResult>> SendAsync(ResilienceContext context, DataphinCall call)
    {
        var started = _time.GetTimestamp();
        var operation = call.Operation;
        var retryAttempt = call.RetryAttempt;
        using var activity = DataphinTelemetry.Source.HasListeners() ? DataphinTelemetry.Source.StartActivity("Dataphin." + operation.Name + " attempt", ActivityKind.Client) : null;
        if (activity is { IsAllDataRequested: true } && retryAttempt > 0)
        {
            activity.SetTag("http.request.resend_count", retryAttempt);
        }

        try
        {
            var credential = await call.GetAttemptCredentialAsync(context.CancellationToken).ConfigureAwait(false);
            var result = await SendSignedAsync(call.Request, credential, operation.Level, retryAttempt, call.RetryDelay, context.CancellationToken).ConfigureAwait(false);
            _observer?.OnAttempt(operation.Name, operation.Level, retryAttempt, result.Status, null, _time.GetElapsedTime(started));
            activity?.SetTag("http.response.status_code", result.Status);
            return Outcome.FromResult(result);
        }
        catch (Exception exception)
        {
            var request = exception as DataphinRequestException;
            _observer?.OnAttempt(operation.Name, operation.Level, retryAttempt, request?.Status ?? 0, request?.ErrorCode, _time.GetElapsedTime(started));
            if (activity is not null)
            {
                if (request is { Status: > 0 })
                {
                    activity.SetTag("http.response.status_code", request.Status);
                }

                activity.SetStatus(ActivityStatusCode.Error, exception.GetType().Name);
            }

            return Outcome.FromException<RpcResult>(exception);
        }
        finally
        {
            call.EndAttempt();
        }
    }

    /// <summary>Signs, sends and maps one attempt with <paramref name="credential"/>.</summary>
    private async Task<RpcResult> SendSignedAsync(RpcRequest request, DataphinCredential credential, ThrottlingLevel level, int retryAttempt, TimeSpan retryDelay, CancellationToken cancellationToken)
    {
        using var message = CreateSignedMessage(request, credential, retryAttempt, retryDelay, out var signature);
        var logger = _observer?.Logger;
        if (logger is not null && logger.IsEnabled(LogLevel.Trace))
        {
#pragma warning disable CA1873 // Guarded by IsEnabled(Trace) just above; the analyzer does not see through the generated method.
            DataphinLog.SendingRequest(logger, request.Action, retryAttempt + 1, LogRedaction.Query(request.Query), request.Body.Length, LogRedaction.Headers(message));
#pragma warning restore CA1873
        }

        using var response = await _http().SendAsync(message, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
#if NET5_0_OR_GREATER
        var body = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
#else
        var body = await response.Content.ReadAsByteArrayAsync().ConfigureAwait(false);
#endif
        var status = (int)response.StatusCode;
        var answer = ServiceAnswer.TryParse(body);
        var redactor = SecretRedactor.For(credential, signature);
        if (status is >= 200 and < 300 && answer is not null && answer.Success != false)
        {
            return new RpcResult(status, answer.Redact(redactor), body);
        }

        throw ErrorMapper.Create(request.Action, status, answer, body, response.Headers, level, redactor);
    }

    /// <summary>Builds the HTTP request of one attempt and signs it (ACS3-HMAC-SHA256).</summary>
    internal HttpRequestMessage CreateSignedMessage(RpcRequest request, DataphinCredential credential, int retryAttempt, TimeSpan retryDelay, out string signature)
    {
        var uri = new Uri(Endpoint, request.PathAndQuery);
        var message = new HttpRequestMessage(HttpMethod.Post, uri);
        var signed = new List<KeyValuePair<string, string>>(12)
        {
            new("host", uri.Authority),
            new("x-acs-version", DataphinClientOptions.ApiVersion),
            new("x-acs-action", request.Action),
            new("x-acs-date", FormatDate(_time.GetUtcNow())),
            new("x-acs-signature-nonce", NonceFactory()),
            new("x-acs-content-sha256", request.BodySha256),
            new("x-acs-credentials-provider", credential.WireProviderName),
        };
        if (credential.SecurityToken is { } token)
        {
            signed.Add(new("x-acs-accesskey-id", credential.AccessKeyId));
            signed.Add(new("x-acs-security-token", token));
        }

        if (retryAttempt > 0)
        {
            signed.Add(new("x-acs-retry-attempts", retryAttempt.ToString(CultureInfo.InvariantCulture)));
            signed.Add(new("x-acs-retry-delay", ((long)retryDelay.TotalMilliseconds).ToString(CultureInfo.InvariantCulture)));
        }

        foreach (var header in signed)
        {
            if (header.Key != "host")
            {
                message.Headers.TryAddWithoutValidation(header.Key, header.Value);
            }
        }

        if (request.Body.Length > 0)
        {
            message.Content = new ByteArrayContent(request.Body);
            message.Content.Headers.ContentType = new MediaTypeHeaderValue(FormContentType);
            signed.Add(new("content-type", FormContentType));
        }

        message.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        message.Headers.TryAddWithoutValidation("User-Agent", _userAgent);

        var canonical = Acs3Signer.CanonicalRequest("POST", "/", request.CanonicalQueryString, signed, request.BodySha256, out var signedHeaders);
        signature = Acs3Signer.Signature(Acs3Signer.StringToSign(canonical), credential.AccessKeySecret);
        message.Headers.TryAddWithoutValidation("Authorization", Acs3Signer.Authorization(credential.AccessKeyId, signedHeaders, signature));
        return message;
    }
}
