using System.Text.Json;
using Dataphin.OpenApi.Testing.Protocol;

namespace Dataphin.OpenApi.Testing.Hosting;

/// <summary>What an action produced: an error, or success with optional extra body properties.</summary>
internal sealed record ActionResult(ServiceError? Error, Action<Utf8JsonWriter>? WriteData = null)
{
    /// <summary>An add that was executed for a table pair already stored.</summary>
    public bool RepeatedRegistration { get; init; }

    public static ActionResult Ok { get; } = new(null, null);
}
