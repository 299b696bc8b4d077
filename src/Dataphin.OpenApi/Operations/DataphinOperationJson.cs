using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Dataphin.OpenApi.Operations;
using Dataphin.OpenApi.Transport;

namespace Dataphin.OpenApi;

/// <summary>
/// Reads the answer of an operation into its typed response (<c>Dataphin.OpenApi.Models.&lt;Operation&gt;Response</c>) with
/// the SDK's source-generated metadata, for callers that send through <see cref="DataphinPipelineHandler"/> themselves (the
/// <c>Dataphin.OpenApi.Refit</c> package does). No reflection: trimming and Native AOT safe.
/// </summary>
public static class DataphinOperationJson
{
    /// <summary>Whether <paramref name="type"/> is the typed response of an operation of the catalog.</summary>
    /// <param name="type">The type.</param>
    /// <returns><see langword="true"/> for a generated response type.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="type"/> is null.</exception>
    public static bool IsResponseType(Type type)
    {
        if (type is null)
        {
            throw new ArgumentNullException(nameof(type));
        }

        return OperationResponseMetadata.Find(type) is not null;
    }

    /// <summary>Reads <paramref name="content"/>, the answer to a successful call, into <typeparamref name="TResponse"/>.</summary>
    /// <typeparam name="TResponse">The operation's response type, e.g. <c>ListCatalogAssetsResponse</c>.</typeparam>
    /// <param name="content">The answer's body, as <see cref="DataphinPipelineHandler"/> returns it.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The typed answer.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="content"/> is null.</exception>
    /// <exception cref="NotSupportedException"><typeparamref name="TResponse"/> is not the response type of an operation.</exception>
    /// <exception cref="DataphinRequestException">The body does not fit <typeparamref name="TResponse"/>; the exception names the operation and the request id when the body came from <see cref="DataphinPipelineHandler"/>.</exception>
    public static async Task<TResponse> ReadResponseAsync<TResponse>(HttpContent content, CancellationToken cancellationToken = default)
    {
        if (content is null)
        {
            throw new ArgumentNullException(nameof(content));
        }

        if (OperationResponseMetadata.Find(typeof(TResponse)) is not JsonTypeInfo<TResponse> metadata)
        {
            throw new NotSupportedException($"{typeof(TResponse).Name} is not the response type of a Dataphin OpenAPI operation (Dataphin.OpenApi.Models.<Operation>Response); read it with a JSON context of your own.");
        }

        if (content is PipelineResponseContent answer)
        {
            return Read(answer.Result.Body, metadata, answer.Action, answer.Result);
        }

#if NET5_0_OR_GREATER
        var body = await content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
#else
        var body = await content.ReadAsByteArrayAsync().ConfigureAwait(false);
#endif
        return Read(body, metadata, action: null, result: null);
    }

    private static TResponse Read<TResponse>(byte[] body, JsonTypeInfo<TResponse> metadata, string? action, RpcResult? result)
    {
        try
        {
            return JsonSerializer.Deserialize(body, metadata) ?? throw new JsonException("The body is the JSON null.");
        }
        catch (JsonException e)
        {
            var operation = action ?? typeof(TResponse).Name;
            throw new DataphinRequestException(
                new DataphinErrorDetails(operation, result?.Status ?? 0)
                {
                    ErrorCode = result?.Answer.Code,
                    ServiceMessage = result?.Answer.Message,
                    RequestId = result?.Answer.RequestId,
                    Hint = action is null
                        ? $"The answer does not fit the documented response {typeof(TResponse).Name}: {e.Message}"
                        : $"The service's answer does not fit the documented response of {action}: {e.Message}",
                },
                e);
        }
    }
}
