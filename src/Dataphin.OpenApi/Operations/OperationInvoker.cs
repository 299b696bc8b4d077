using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Dataphin.OpenApi.Operations;

/// <summary>
/// The one entry point every generated method goes through: check the request, build the call by name, send it with
/// <see cref="DataphinClient.SendAsync"/> (so the call is signed, paced and retried by its operation's level, gated by
/// edition, and its errors mapped, like every other call), then read the answer into the typed response with the
/// operation's source-generated metadata. Keeping this in one place means the generated code never needs to know how
/// a call is sent.
/// </summary>
internal static class OperationInvoker
{
    /// <summary>Sends <paramref name="request"/> as <paramref name="action"/> and returns the typed answer.</summary>
    /// <param name="client">The client the method's sub-client belongs to; <see langword="null"/> for a sub-client made for mocking.</param>
    /// <param name="action">The operation name.</param>
    /// <param name="opTenantId">The tenant id.</param>
    /// <param name="request">The request, or <see langword="null"/>.</param>
    /// <param name="requiredParameter">The method parameter's name when the request may not be null; <see langword="null"/> when it is optional.</param>
    /// <param name="response">The response's metadata.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    public static async Task<TResponse> SendAsync<TResponse>(
        DataphinClient? client,
        string action,
        long opTenantId,
        IOperationRequest? request,
        string? requiredParameter,
        JsonTypeInfo<TResponse> response,
        CancellationToken cancellationToken)
    {
        var call = Build(action, opTenantId, request, requiredParameter);
        if (client is null)
        {
            throw new NotSupportedException(
                $"{action}: this operation client was created for mocking (with its protected constructor) and is not connected; override the method, or use the one a DataphinClient gives.");
        }

        var answer = await client.SendAsync(call, cancellationToken).ConfigureAwait(false);
        return Read(action, answer, response);
    }

    /// <summary>The adapter of a lineage command, or <see langword="null"/> for a null command.</summary>
    public static IOperationRequest? Lineage(LineageCommand? command) => command is null ? null : new LineageOperationRequest(command);

    /// <summary>Checks the request and builds the call: <c>OpTenantId</c>, then the parameters that are set.</summary>
    /// <exception cref="ArgumentNullException">The request is null where it is required.</exception>
    /// <exception cref="DataphinValidationException">The tenant id is not positive or a required field is missing.</exception>
    internal static DataphinOperationRequest Build(string action, long opTenantId, IOperationRequest? request, string? requiredParameter)
    {
        if (request is null && requiredParameter is not null)
        {
            throw new ArgumentNullException(requiredParameter);
        }

        var validator = new OperationValidator();
        if (opTenantId <= 0)
        {
            validator.Add(new DataphinValidationError("OpTenantId", DataphinValidationRules.Positive, $"OpTenantId must be a positive tenant id (the tenantId in the Dataphin URL); it was {opTenantId}."));
        }

        request?.Validate(validator);
        if (validator.Errors.Count > 0)
        {
            throw new DataphinValidationException(action, validator.Errors);
        }

        var call = new DataphinOperationRequest(action, opTenantId);
        request?.Write(new OperationWriter(call));
        return call;
    }

    /// <summary>Reads the answer's JSON into the response type; a body that does not fit it is a <see cref="DataphinRequestException"/>.</summary>
    internal static TResponse Read<TResponse>(string action, DataphinOperationResponse answer, JsonTypeInfo<TResponse> response)
    {
        try
        {
            return JsonSerializer.Deserialize(answer.Content, response) ?? throw new JsonException("The body is the JSON null.");
        }
        catch (JsonException e)
        {
            throw new DataphinRequestException(
                new DataphinErrorDetails(action, answer.Status)
                {
                    ErrorCode = answer.Code,
                    ServiceMessage = answer.Message,
                    RequestId = answer.RequestId,
                    Hint = $"The service's answer does not fit the documented response of {action}: {e.Message}",
                },
                e);
        }
    }
}
