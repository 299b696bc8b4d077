using Microsoft.Extensions.Logging.Testing;

namespace Dataphin.OpenApi.Tests.Support;

/// <summary>What a log sink can see of captured entries: the message, every structured state value (collections expanded) and the exception.</summary>
internal static class LogText
{
    public static string Of(FakeLogRecord entry)
        => $"{entry.Message} || {string.Join(" | ", (entry.StructuredState ?? []).Select(p => $"{p.Key}={p.Value}"))} || {entry.Exception}";

    public static string All(FakeLogCollector logs) => string.Join("\n", logs.GetSnapshot().Select(Of));
}
