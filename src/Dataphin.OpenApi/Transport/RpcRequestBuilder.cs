using System.Globalization;
using Dataphin.OpenApi.Serialization;

namespace Dataphin.OpenApi.Transport;

/// <summary>
/// Checks what a caller asked for and builds the <see cref="RpcRequest"/> of the call, once: from a typed lineage
/// command or from a <see cref="DataphinOperationRequest"/>. A request that breaks a rule throws <see cref="DataphinValidationException"/>
/// listing every problem, before anything is sent.
/// </summary>
internal static class RpcRequestBuilder
{
    private const string OpTenantId = "OpTenantId";

    /// <summary>Validates a lineage command (all rules) and builds its request.</summary>
    public static RpcRequest ForLineage(long opTenantId, LineageCommand command, string? opUserId)
    {
        if (command is null)
        {
            throw new ArgumentNullException(nameof(command));
        }

        var errors = LineageCommandValidator.Validate(opTenantId, command);
        if (opUserId is not null && string.IsNullOrWhiteSpace(opUserId))
        {
            errors = [.. errors, new DataphinValidationError("OpUserId", DataphinValidationRules.Required, "OpUserId, when given, must not be empty; pass null to leave it out.")];
        }
        else if (opUserId is not null && LineageCommandValidator.HasLoneSurrogate(opUserId))
        {
            errors = [.. errors, new DataphinValidationError("OpUserId", DataphinValidationRules.InvalidUtf16, "OpUserId " + LineageCommandValidator.LoneSurrogateSentence)];
        }

        if (errors.Count > 0)
        {
            throw new DataphinValidationException(command.OperationName, errors);
        }

        return BuildLineage(opTenantId, command, opUserId);
    }

    /// <summary>Builds the request of a lineage command without validating it: the command travels as JSON in one form field.</summary>
    public static RpcRequest BuildLineage(long opTenantId, LineageCommand command, string? opUserId)
    {
        var query = new List<KeyValuePair<string, string>>(2) { new(OpTenantId, opTenantId.ToString(CultureInfo.InvariantCulture)) };
        if (opUserId is not null)
        {
            query.Add(new("OpUserId", opUserId));
        }

        var body = FormEncoder.EncodeField(command.FormFieldName, DataphinJson.SerializeToUtf8Bytes(command));
        return new RpcRequest(command.OperationName, opTenantId, query, body);
    }

    /// <summary>Validates a call by name with raw parameters and builds its request.</summary>
    public static RpcRequest ForOperation(DataphinOperationRequest request)
    {
        if (request is null)
        {
            throw new ArgumentNullException(nameof(request));
        }

        var errors = new List<DataphinValidationError>();
        if (request.OpTenantId <= 0)
        {
            errors.Add(new(OpTenantId, DataphinValidationRules.Positive, $"OpTenantId must be a positive tenant id; it was {request.OpTenantId}."));
        }

        if (!IsName(request.Action))
        {
            errors.Add(new("Action", DataphinValidationRules.InvalidText, $"Action '{request.Action}' is not an operation name (letters and digits only)."));
        }

        var query = new List<KeyValuePair<string, string>>(request.Query.Count + 1) { new(OpTenantId, request.OpTenantId.ToString(CultureInfo.InvariantCulture)) };
        CollectParameters(request.Query, "Query", query, errors);
        var form = new List<KeyValuePair<string, string>>(request.Form.Count);
        CollectParameters(request.Form, "Form", form, errors);
        if (errors.Count > 0)
        {
            throw new DataphinValidationException(request.Action, errors);
        }

        return new RpcRequest(request.Action, request.OpTenantId, query, FormEncoder.Encode(form));
    }

    private static void CollectParameters(IList<KeyValuePair<string, string>> source, string where, List<KeyValuePair<string, string>> target, List<DataphinValidationError> errors)
    {
        for (var i = 0; i < source.Count; i++)
        {
            var pair = source[i];
            var path = $"{where}[{i}]";
            if (string.IsNullOrWhiteSpace(pair.Key) || !IsName(pair.Key))
            {
                errors.Add(new(path, DataphinValidationRules.InvalidText, $"{path} has the name '{pair.Key}', which is not a parameter name (letters, digits, '.', '_' and '-')."));
            }
            else if (string.Equals(pair.Key, OpTenantId, StringComparison.OrdinalIgnoreCase))
            {
                errors.Add(new(path, DataphinValidationRules.NotAllowed, $"{path}: OpTenantId is set from DataphinOperationRequest.OpTenantId; do not add it again."));
            }
            else if (target.Exists(p => string.Equals(p.Key, pair.Key, StringComparison.Ordinal)))
            {
                errors.Add(new(path, DataphinValidationRules.NotAllowed, $"{path}: the parameter '{pair.Key}' is given twice."));
            }
            else if (pair.Value is null)
            {
                errors.Add(new(path, DataphinValidationRules.Required, $"{path}: the value of '{pair.Key}' is null; leave the parameter out instead."));
            }
            else if (LineageCommandValidator.HasLoneSurrogate(pair.Value))
            {
                errors.Add(new(path, DataphinValidationRules.InvalidUtf16, $"{path}: the value of '{pair.Key}' {LineageCommandValidator.LoneSurrogateSentence}"));
            }
            else
            {
                target.Add(pair);
            }
        }
    }

    private static bool IsName(string? name)
    {
        if (string.IsNullOrEmpty(name))
        {
            return false;
        }

        foreach (var c in name!)
        {
            if (c is not (>= 'A' and <= 'Z' or >= 'a' and <= 'z' or >= '0' and <= '9' or '.' or '_' or '-'))
            {
                return false;
            }
        }

        return true;
    }
}
