using System.Net.Http;
using Dataphin.OpenApi.Bulk;

namespace Dataphin.OpenApi.Cli;

/// <summary>Error texts for people: no .NET type names, parameter names or reader positions, and advice that fits the tool.</summary>
internal static class CliText
{
    /// <summary>An argument error's message without the "(Parameter 'x')" .NET appends.</summary>
    public static string WithoutParameterName(ArgumentException error)
    {
        var message = error.Message;
        if (error.ParamName is { } name)
        {
            var suffix = $" (Parameter '{name}')";
            if (message.EndsWith(suffix, StringComparison.Ordinal))
            {
                message = message[..^suffix.Length];
            }
        }

        return message;
    }

    /// <summary>One line saying why a call failed, without the request id (so that identical failures fold together).</summary>
    public static string Failure(Exception error) => error switch
    {
        DataphinThrottledException { IsClientSide: true } => "not sent: the calls waiting for the quota would have waited too long",
        DataphinRequestException request => RequestFailure(request),
        DataphinCircuitOpenException => "not sent: the service kept failing and the client stopped calling for a while",
        DataphinTimeoutException timeout => timeout.Message,
        DataphinEditionException edition => EditionAdvice(edition),
        HttpRequestException http => "the connection failed: " + http.Message,
        OperationCanceledException => "not finished: the run stopped",
        _ => error.Message,
    };

    /// <summary>A stable word for the kind of failure, for --json.</summary>
    public static string Kind(Exception error) => error switch
    {
        DataphinThrottledException { IsClientSide: true } => "rateLimitRefused",
        DataphinThrottledException => "throttled",
        DataphinAuthenticationException => "authentication",
        DataphinForbiddenException => "forbidden",
        DataphinRequestException { Status: >= 500 } => "serverError",
        DataphinRequestException => "serviceError",
        DataphinCircuitOpenException => "circuitOpen",
        DataphinTimeoutException => "timeout",
        DataphinEditionException => "edition",
        HttpRequestException => "connection",
        OperationCanceledException => "cancelled",
        _ => "other",
    };

    /// <summary>Whether an error applies to every call (credential, tenant permission, edition).</summary>
    public static bool IsAccountWide(Exception error) => error is DataphinAuthenticationException or DataphinForbiddenException or DataphinEditionException;

    /// <summary>
    /// What to fix after an account-wide error stopped the run. <paramref name="credentialSource"/> says where the
    /// credential came from (e.g. "environment variables ALIBABA_CLOUD_ACCESS_KEY_ID and ALIBABA_CLOUD_ACCESS_KEY_SECRET",
    /// a credentials file section, a Dataphin profile), so the advice names what to check.
    /// </summary>
    public static string AccountAdvice(Exception error, long tenant, string? credentialSource) => error switch
    {
        DataphinAuthenticationException { ErrorCode: { } code } when code.StartsWith("InvalidAccessKeyId", StringComparison.Ordinal)
            => $"The service does not know the AccessKey ({code}): check the AccessKey id{From(credentialSource)}; the AccessKey may be deleted or disabled.",
        DataphinAuthenticationException { ErrorCode: { } code } when code.StartsWith("Signature", StringComparison.Ordinal) || code.StartsWith("IncompleteSignature", StringComparison.Ordinal)
            => $"The service did not accept the credential ({code}): check the AccessKey secret{From(credentialSource)}: it must belong to the AccessKey id; and check that this machine's clock is right.",
        DataphinAuthenticationException { ErrorCode: { } code } when code.StartsWith("InvalidTimeStamp", StringComparison.Ordinal)
            => $"The service did not accept the request's time ({code}): set this machine's clock right (within 15 minutes).",
        DataphinAuthenticationException { ErrorCode: { } code } when code.Contains("SecurityToken", StringComparison.Ordinal)
            => $"The service did not accept the security token ({code}): check the STS token{From(credentialSource)}; an STS token expires, so get a new one.",
        DataphinAuthenticationException { ErrorCode: { } code } when code.StartsWith("DataphinOpenAPIRamUnAuthorized", StringComparison.Ordinal)
            => $"The AccessKey is not authorized for the Dataphin OpenAPI ({code}): grant its RAM user the DataphinOpenAPIFullAccess permission (a RAM role cannot call the Dataphin OpenAPI).",
        DataphinAuthenticationException auth
            => $"The service did not accept the credential (HTTP {auth.Status} {auth.ErrorCode}): check the AccessKey id and secret{From(credentialSource)}.",
        DataphinForbiddenException forbidden
            => $"The service refused calls in tenant {tenant} (HTTP {forbidden.Status} {forbidden.ErrorCode}{(string.IsNullOrEmpty(forbidden.ServiceMessage) ? string.Empty : ": " + forbidden.ServiceMessage)}): check --tenant (the tenantId in the Dataphin URL), that the OpenAPI feature is enabled for the tenant, and that the user has the Dataphin role to register lineage.",
        DataphinEditionException edition => EditionAdvice(edition),
        _ => Failure(error),
    };

    /// <summary>What a bulk run's stop means for the user.</summary>
    public static string? StopExplanation(BulkStopReason reason, Exception? stopError, BulkOptions options, long tenant, string? credentialSource) => reason switch
    {
        BulkStopReason.AccountError when stopError is { } error
            => AccountAdvice(error, tenant, credentialSource) + " The run stopped after the first such answer; fix it and run the same command again to go on.",
        BulkStopReason.PauseBudgetExhausted
            => $"The service stayed unavailable or kept throttling for longer than the run may wait in all (--max-pause {Durations.Format(options.MaxPause)}): the run stopped. Run the same command again later to go on.",
        BulkStopReason.RunStoreFailed
            => $"The journal could not be written ({stopError?.Message}): the run stopped, so that it can be resumed. Free space or fix the permissions, then run the same command again.",
        BulkStopReason.Cancelled
            => "The run was interrupted: the calls in flight were finished and recorded, nothing more was sent.",
        _ => null,
    };

    private static string RequestFailure(DataphinRequestException request)
    {
        var text = $"{request.Operation} failed: HTTP {request.Status}";
        if (request.ErrorCode is not null)
        {
            text += " " + request.ErrorCode;
        }

        if (!string.IsNullOrEmpty(request.ServiceMessage))
        {
            text += ": " + request.ServiceMessage;
        }
        else if (request.ResponseSnippet is not null)
        {
            text += ": the answer was not the service's JSON: " + request.ResponseSnippet;
        }

        return text;
    }

    /// <summary>" (from the source)" when the credential's source is known: the place to look.</summary>
    private static string From(string? credentialSource) => credentialSource is null ? " (dataphin whoami shows where it comes from)" : $" (from {credentialSource})";

    private static string EditionAdvice(DataphinEditionException edition)
        => $"{edition.Operation} needs Dataphin {edition.MinimumEdition} edition or higher, but --edition says {edition.ConfiguredEdition}: nothing was sent. Pass the edition your tenant runs.";
}
