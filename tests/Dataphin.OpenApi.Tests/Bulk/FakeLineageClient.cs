using System.Collections.Concurrent;

namespace Dataphin.OpenApi.Tests.Bulk;

/// <summary>A DataphinClient whose calls are answered by a function, recording every command sent.</summary>
internal sealed class FakeLineageClient : DataphinClient
{
    private readonly Func<LineageCommand, CancellationToken, Task> _answer;
    private int _calls;

    public FakeLineageClient(Func<LineageCommand, CancellationToken, Task>? answer = null)
    {
        _answer = answer ?? ((_, _) => Task.CompletedTask);
    }

    public ConcurrentQueue<LineageCommand> Sent { get; } = new();

    public int Calls => Volatile.Read(ref _calls);

    public override async Task<DataphinResponse> AddRegisterLineageAsync(long opTenantId, AddRegisterLineageCommand command, CancellationToken cancellationToken = default)
        => await AnswerAsync(command, cancellationToken);

    public override async Task<DataphinResponse> DeleteRegisterLineageAsync(long opTenantId, DeleteRegisterLineageCommand command, CancellationToken cancellationToken = default)
        => await AnswerAsync(command, cancellationToken);

    public static DataphinRequestException ServerError(string operation = "AddRegisterLineage")
        => new(new DataphinErrorDetails(operation, 503) { ErrorCode = "ServiceUnavailable", RequestId = "req-503" });

    private async Task<DataphinResponse> AnswerAsync(LineageCommand command, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _calls);
        Sent.Enqueue(command);
        await _answer(command, cancellationToken);
        return new DataphinResponse(200, "req-" + command.Target?.Name, "OK", null, 200);
    }
}
