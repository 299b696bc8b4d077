using Refit;

namespace Dataphin.OpenApi.Refit;

/// <summary>
/// Creates <see cref="IDataphinApi"/>, the Refit interface of every operation, over a <see cref="DataphinClient"/>'s request
/// path (<see cref="DataphinPipelineHandler"/>), and the Refit settings it needs. With dependency injection, use
/// <c>services.AddDataphinRefitClient()</c> instead.
/// </summary>
public static class DataphinRefit
{
    /// <summary>
    /// Creates the interface over <paramref name="client"/>: every call is checked, signed, paced, retried and mapped by the
    /// client's pipeline, and shares its rate limiter with the client's own methods. The client is not disposed by it.
    /// </summary>
    /// <param name="client">The client whose pipeline sends the calls.</param>
    /// <returns>The interface, made by Refit's source generator (no reflection).</returns>
    /// <exception cref="ArgumentNullException"><paramref name="client"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="client"/> was created for mocking and sends nowhere.</exception>
    public static IDataphinApi For(DataphinClient client)
    {
        ArgumentNullException.ThrowIfNull(client);
#pragma warning disable CA2000 // The HttpClient and its handler live as long as the interface; the handler does not own the client.
        var http = new HttpClient(new DataphinPipelineHandler(client)) { BaseAddress = client.Endpoint, Timeout = Timeout.InfiniteTimeSpan };
#pragma warning restore CA2000
        return For(http);
    }

    /// <summary>
    /// Creates the interface over <paramref name="httpClient"/>, whose handler chain must end in a
    /// <see cref="DataphinPipelineHandler"/> and whose <see cref="HttpClient.BaseAddress"/> is the handler's
    /// <see cref="DataphinPipelineHandler.Endpoint"/> (give it an infinite <see cref="HttpClient.Timeout"/>: the pipeline has its own).
    /// </summary>
    /// <param name="httpClient">The HTTP client.</param>
    /// <returns>The interface, made by Refit's source generator (no reflection).</returns>
    /// <exception cref="ArgumentNullException"><paramref name="httpClient"/> is null.</exception>
    public static IDataphinApi For(HttpClient httpClient)
    {
        ArgumentNullException.ThrowIfNull(httpClient);
        return RestService.ForGenerated<IDataphinApi>(httpClient, CreateSettings());
    }

    /// <summary>
    /// The Refit settings of <see cref="IDataphinApi"/>: answers read with the SDK's source-generated metadata, and the
    /// SDK's exceptions (<see cref="DataphinValidationException"/>, <see cref="DataphinRequestException"/> and the others)
    /// surfaced as they are, not wrapped in Refit's <c>ApiRequestException</c> or <c>ApiException</c>.
    /// </summary>
    /// <returns>New settings; change them only if you know Refit well (another content serializer breaks the typed answers).</returns>
    public static RefitSettings CreateSettings() => new(DataphinRefitContentSerializer.Instance)
    {
        // The pipeline throws the SDK's typed exceptions; a caller catches those, as with DataphinClient's own methods.
        TransportExceptionFactory = static (_, exception, _) => exception,
        DeserializationExceptionFactory = static (_, exception) => new ValueTask<Exception?>(exception),
    };
}
