namespace Dataphin.OpenApi.Testing;

/// <summary>
/// Faults to inject into the answers to one action (see <see cref="DataphinEmulator.SetFault"/>). For each
/// authenticated, unthrottled request one random draw picks at most one of: a dropped connection, a 5xx answer or a
/// malformed body, with the given shares; <see cref="Latency"/> is added to every request of the action. Faulted
/// requests are not executed unless <see cref="ApplyBeforeFault"/> is set.
/// </summary>
/// <example>
/// <code>
/// emulator.SetFault("AddRegisterLineage", new EmulatorFault { ServerErrorRate = 0.3, Latency = TimeSpan.FromMilliseconds(200) });
/// </code>
/// </example>
public sealed class EmulatorFault
{
    /// <summary>The share (0 to 1) of requests answered with <see cref="ServerErrorStatus"/>.</summary>
    public double ServerErrorRate { get; set; }

    /// <summary>The status of injected server errors: 503 (<c>ServiceUnavailable</c>, the default) or 500 (<c>InternalError</c>).</summary>
    public int ServerErrorStatus { get; set; } = 503;

    /// <summary>The share (0 to 1) of requests whose connection is aborted without an answer.</summary>
    public double DroppedConnectionRate { get; set; }

    /// <summary>The share (0 to 1) of requests answered with a malformed body (<see cref="MalformedBody"/>).</summary>
    public double MalformedBodyRate { get; set; }

    /// <summary>What a malformed answer looks like. Defaults to <see cref="MalformedBodyKind.TruncatedJson"/>.</summary>
    public MalformedBodyKind MalformedBody { get; set; } = MalformedBodyKind.TruncatedJson;

    /// <summary>Delay added before answering every request of the action, measured on the emulator's <see cref="TimeProvider"/>.</summary>
    public TimeSpan Latency { get; set; }

    /// <summary>
    /// When <see langword="true"/>, a faulted request is executed (a write lands in the store) before the fault is
    /// answered, as when a write succeeds but its answer is lost. Off by default: faulted requests change nothing.
    /// </summary>
    public bool ApplyBeforeFault { get; set; }

    /// <summary>Makes every request of the action fail with the given status (503 by default).</summary>
    /// <param name="status">500 or 503.</param>
    /// <returns>A fault with <see cref="ServerErrorRate"/> 1.</returns>
    public static EmulatorFault AlwaysServerError(int status = 503) => new() { ServerErrorRate = 1, ServerErrorStatus = status };

    internal void Validate()
    {
        foreach (var (name, rate) in new[] { ("ServerErrorRate", ServerErrorRate), ("DroppedConnectionRate", DroppedConnectionRate), ("MalformedBodyRate", MalformedBodyRate) })
        {
            if (!(rate >= 0 && rate <= 1))
            {
                throw new ArgumentException($"EmulatorFault.{name} must be between 0 and 1 (was {rate}).");
            }
        }

        if (ServerErrorRate + DroppedConnectionRate + MalformedBodyRate > 1.000001)
        {
            throw new ArgumentException("The fault shares (ServerErrorRate + DroppedConnectionRate + MalformedBodyRate) must add up to at most 1.");
        }

        if (ServerErrorStatus is not (500 or 503))
        {
            throw new ArgumentException($"EmulatorFault.ServerErrorStatus must be 500 or 503 (was {ServerErrorStatus}).");
        }

        if (Latency < TimeSpan.Zero)
        {
            throw new ArgumentException("EmulatorFault.Latency must not be negative.");
        }

        if (!Enum.IsDefined(MalformedBody))
        {
            throw new ArgumentException($"EmulatorFault.MalformedBody '{MalformedBody}' is not a known kind.");
        }
    }
}
