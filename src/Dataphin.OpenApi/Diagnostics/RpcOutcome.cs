namespace Dataphin.OpenApi.Diagnostics;

/// <summary>How a call ended, for its log line, metrics and span.</summary>
internal readonly struct RpcOutcome(int status, string? code, string? requestId, Exception? error)
{
    public int Status { get; } = status;

    public string? Code { get; } = code;

    public string? RequestId { get; } = requestId;

    public Exception? Error { get; } = error;

    /// <summary>The outcome tag: success, throttled, client_throttled, unauthenticated, forbidden, timeout, circuit_open, canceled, server_error, client_error or network_error.</summary>
    public string Name => Error switch
    {
        null => "success",
        DataphinThrottledException { IsClientSide: true } => "client_throttled",
        DataphinThrottledException => "throttled",
        DataphinAuthenticationException => "unauthenticated",
        DataphinForbiddenException => "forbidden",
        DataphinTimeoutException => "timeout",
        DataphinCircuitOpenException => "circuit_open",
        DataphinEditionException => "edition",
        OperationCanceledException => "canceled",
        DataphinRequestException { Status: >= 500 } => "server_error",
        DataphinRequestException => "client_error",
        DataphinTransportException => "network_error",
        _ => "network_error",
    };

    public static RpcOutcome From(Exception error) => error is DataphinRequestException request
        ? new RpcOutcome(request.Status, request.ErrorCode, request.RequestId, error)
        : new RpcOutcome(0, null, null, error);
}
