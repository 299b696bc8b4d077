namespace Dataphin.OpenApi.Transport;

/// <summary>
/// The body of a successful answer given by <see cref="DataphinPipelineHandler"/>: the service's JSON, byte for byte, and
/// what the call was (the operation, the status, the answer's common fields), so that
/// <see cref="DataphinOperationJson.ReadResponseAsync{TResponse}(HttpContent, CancellationToken)"/> can report a body
/// that does not fit the typed response the way a generated method reports it.
/// </summary>
internal sealed class PipelineResponseContent(string action, RpcResult result) : ByteArrayContent(result.Body)
{
    public string Action { get; } = action;

    public RpcResult Result { get; } = result;
}
