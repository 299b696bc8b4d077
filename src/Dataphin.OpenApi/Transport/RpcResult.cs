namespace Dataphin.OpenApi.Transport;

/// <summary>A successful answer: HTTP status, the parsed common fields and the raw body.</summary>
internal sealed class RpcResult(int status, ServiceAnswer answer, byte[] body)
{
    public int Status { get; } = status;

    public ServiceAnswer Answer { get; } = answer;

    public byte[] Body { get; } = body;

    public DataphinResponse ToResponse() => new(Status, Answer.RequestId, Answer.Code, Answer.Message, Answer.HttpStatusCode);
}
