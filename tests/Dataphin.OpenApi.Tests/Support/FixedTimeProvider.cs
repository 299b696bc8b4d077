namespace Dataphin.OpenApi.Tests.Support;

/// <summary>A clock pinned to one instant, for known-answer signature tests.</summary>
internal sealed class FixedTimeProvider(DateTimeOffset now) : TimeProvider
{
    public DateTimeOffset Now { get; set; } = now;

    public override DateTimeOffset GetUtcNow() => Now;
}
