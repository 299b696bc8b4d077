using System.Reflection;
using Refit;

namespace Dataphin.OpenApi.Refit;

/// <summary>
/// The content serializer of <see cref="IDataphinApi"/>: reads each answer into the operation's typed response with the
/// SDK's source-generated metadata (<see cref="DataphinOperationJson"/>). It writes no body: the requests travel as
/// typed objects to <see cref="DataphinPipelineHandler"/>, which writes them in the SDK's form encoding.
/// </summary>
internal sealed class DataphinRefitContentSerializer : IHttpContentSerializer
{
    public static DataphinRefitContentSerializer Instance { get; } = new();

    public HttpContent ToHttpContent<T>(T item)
        => throw new NotSupportedException(
            "A Dataphin request is not a serialized body: pass it in the DataphinPipelineHandler.RequestOptionKey option (IDataphinApi does), or send a DataphinFormContent as the body.");

    public Task<T?> FromHttpContentAsync<T>(HttpContent content, CancellationToken cancellationToken = default)
        => Read<T>(content, cancellationToken);

    public string? GetFieldNameForProperty(PropertyInfo propertyInfo) => null;

    private static async Task<T?> Read<T>(HttpContent content, CancellationToken cancellationToken)
        => await DataphinOperationJson.ReadResponseAsync<T>(content, cancellationToken).ConfigureAwait(false);
}
