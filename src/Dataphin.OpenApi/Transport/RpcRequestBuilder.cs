using System.Globalization;
using System.Net.Http.Headers;
using Dataphin.OpenApi.Serialization;

namespace Dataphin.OpenApi.Transport;

/// <summary>
/// Checks what a caller asked for and builds the <see cref="RpcRequest"/> of the call, once: from a typed lineage
/// command, from a <see cref="DataphinOperationRequest"/>, or from an <see cref="HttpRequestMessage"/> given to
/// <see cref="DataphinPipelineHandler"/>. A request that breaks a rule throws <see cref="DataphinValidationException"/>
/// listing every problem, before anything is sent.
/// </summary>
internal static class RpcRequestBuilder
{
    private const string FormMediaType = "application/x-www-form-urlencoded";
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

    /// <summary>
    /// Validates an HTTP request for <paramref name="endpoint"/> (see <see cref="DataphinPipelineHandler"/> for the
    /// contract) and builds its request; the body bytes are kept exactly as given.
    /// </summary>
    public static async Task<RpcRequest> FromHttpRequestAsync(HttpRequestMessage message, Uri endpoint, CancellationToken cancellationToken)
    {
        var errors = new List<DataphinValidationError>();
        var action = SingleHeader(message.Headers, DataphinPipelineHandler.ActionHeader, errors);
        if (action is null)
        {
            if (!errors.Exists(e => e.Path == DataphinPipelineHandler.ActionHeader))
            {
                errors.Add(new(DataphinPipelineHandler.ActionHeader, DataphinValidationRules.Required, "The x-acs-action header must name the operation, e.g. AddRegisterLineage."));
            }
        }
        else if (!IsName(action))
        {
            errors.Add(new(DataphinPipelineHandler.ActionHeader, DataphinValidationRules.InvalidText, $"The x-acs-action header '{action}' is not an operation name (letters and digits only)."));
        }

        if (message.Method != HttpMethod.Post)
        {
            errors.Add(new("Method", DataphinValidationRules.NotAllowed, $"Every Dataphin OpenAPI call is a POST; the request is a {message.Method.Method}."));
        }

        CheckHeaders(message.Headers, errors);
        var (opTenantId, query) = ReadQuery(message.RequestUri, endpoint, errors);
        var body = await ReadFormAsync(message.Content, errors, cancellationToken).ConfigureAwait(false);
        var typed = TypedRequest(message, action, query, body, errors, out var hasTyped);
        if (hasTyped && typed is null && action is not null && Operations.OperationRequestRules.IsRequired(action) && !errors.Exists(e => e.Path == DataphinPipelineHandler.RequestOptionKey))
        {
            errors.Add(new(DataphinPipelineHandler.RequestOptionKey, DataphinValidationRules.Required, $"{action} needs its request; the {DataphinPipelineHandler.RequestOptionKey} option is null."));
        }

        if (errors.Count > 0)
        {
            throw new DataphinValidationException(action is not null && IsName(action) ? action : "(no x-acs-action)", errors);
        }

        if (hasTyped)
        {
            // The parameters come from the typed request, checked and written exactly as its generated method does.
            return ForOperation(Operations.OperationInvoker.Build(action!, opTenantId, typed, requiredParameter: null));
        }

        return new RpcRequest(action!, opTenantId, query, body);
    }

    /// <summary>
    /// The typed request a caller put in the message's options under <see cref="DataphinPipelineHandler.RequestOptionKey"/>
    /// (a Refit <c>[Property]</c> parameter does), or <see langword="null"/>. With one, the query holds only <c>OpTenantId</c>
    /// and the body is empty: every other parameter comes from the typed request.
    /// </summary>
    private static Operations.IOperationRequest? TypedRequest(HttpRequestMessage message, string? action, List<KeyValuePair<string, string>> query, byte[] body, List<DataphinValidationError> errors, out bool present)
    {
        const string Key = DataphinPipelineHandler.RequestOptionKey;
#if NET5_0_OR_GREATER
        // Through the dictionary: HttpRequestOptions.TryGetValue reports a null value (a null request) as absent.
        present = ((IDictionary<string, object?>)message.Options).TryGetValue(Key, out var value);
#else
        present = message.Properties.TryGetValue(Key, out var value);
#endif
        if (!present)
        {
            return null;
        }

        if (query.Exists(p => p.Key != OpTenantId))
        {
            errors.Add(new("RequestUri", DataphinValidationRules.NotAllowed, $"With a typed request (the {Key} option), the query holds only OpTenantId; it also has {string.Join(", ", query.Where(p => p.Key != OpTenantId).Select(p => p.Key))}. Set them on the typed request."));
        }

        if (body.Length > 0)
        {
            errors.Add(new("Content", DataphinValidationRules.NotAllowed, $"With a typed request (the {Key} option), the body is written from it; the request also has a body of {body.Length} bytes."));
        }

        switch (value)
        {
            case null:
                return null;
            case Operations.IOperationRequest request:
                // A generated request is named for its operation: ListFilesRequest is the request of ListFiles.
                var name = request.GetType().Name;
                if (action is not null && name != action + "Request")
                {
                    errors.Add(new(Key, DataphinValidationRules.NotAllowed, $"The typed request is a {name}, but the x-acs-action header names {action}; send it as {name.Substring(0, name.Length - "Request".Length)}."));
                }

                return request;
            case LineageCommand command:
                if (action is not null && command.OperationName != action)
                {
                    errors.Add(new(Key, DataphinValidationRules.NotAllowed, $"The typed request is a {command.OperationName} command, but the x-acs-action header names {action}."));
                }

                return Operations.OperationInvoker.Lineage(command);
            default:
                errors.Add(new(Key, DataphinValidationRules.NotAllowed, $"The {Key} option holds a {value.GetType().Name}, which is not a request of this SDK (a generated request such as ListCatalogAssetsRequest, or a lineage command)."));
                return null;
        }
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

    private static string? SingleHeader(HttpHeaders headers, string name, List<DataphinValidationError> errors)
    {
        if (!headers.TryGetValues(name, out var values))
        {
            return null;
        }

        var all = values.ToList();
        if (all.Count != 1)
        {
            errors.Add(new(name, DataphinValidationRules.NotAllowed, $"The {name} header must be given once; it was given {all.Count} times."));
            return null;
        }

        return all[0].Trim();
    }

    /// <summary>The headers the pipeline sets itself when it signs each attempt may not come from the caller.</summary>
    private static void CheckHeaders(HttpRequestHeaders headers, List<DataphinValidationError> errors)
    {
        foreach (var header in headers)
        {
            var name = header.Key.ToLowerInvariant();
            if (name == DataphinPipelineHandler.ActionHeader)
            {
                continue;
            }

            if (name == "x-acs-version")
            {
                var version = string.Join(",", header.Value);
                if (version != DataphinClientOptions.ApiVersion)
                {
                    errors.Add(new(name, DataphinValidationRules.NotAllowed, $"The x-acs-version header asks for version '{version}'; this client calls version {DataphinClientOptions.ApiVersion}. Leave the header out."));
                }
            }
            else if (name == "authorization" || name.StartsWith("x-acs-", StringComparison.Ordinal))
            {
                errors.Add(new(name, DataphinValidationRules.NotAllowed, $"The {name} header is set by the pipeline when it signs each attempt; leave it out."));
            }
        }
    }

    private static (long OpTenantId, List<KeyValuePair<string, string>> Query) ReadQuery(Uri? uri, Uri endpoint, List<DataphinValidationError> errors)
    {
        var query = new List<KeyValuePair<string, string>>();
        if (uri is null || !uri.IsAbsoluteUri)
        {
            errors.Add(new("RequestUri", DataphinValidationRules.Required, $"The request needs an absolute URI such as {endpoint}?OpTenantId=300001234; set HttpClient.BaseAddress to the endpoint."));
            return (0, query);
        }

        if (!string.Equals(uri.GetLeftPart(UriPartial.Authority), endpoint.GetLeftPart(UriPartial.Authority), StringComparison.OrdinalIgnoreCase))
        {
            errors.Add(new("RequestUri", DataphinValidationRules.NotAllowed, $"The request is for {uri.GetLeftPart(UriPartial.Authority)}, but this pipeline sends to {endpoint.GetLeftPart(UriPartial.Authority)}; use the endpoint as HttpClient.BaseAddress."));
        }

        if (uri.AbsolutePath != "/")
        {
            errors.Add(new("RequestUri", DataphinValidationRules.NotAllowed, $"The request path must be / (the operation is named by the x-acs-action header); it is {uri.AbsolutePath}."));
        }

        long opTenantId = 0;
        var tenantSeen = false;
        var raw = uri.GetComponents(UriComponents.Query, UriFormat.UriEscaped);
        var parts = raw.Length == 0 ? [] : raw.Split('&');
        for (var i = 0; i < parts.Length; i++)
        {
            var path = $"Query[{i}]";
            var equals = parts[i].IndexOf('=');
            var name = equals < 0 ? Uri.UnescapeDataString(parts[i]) : Unescape(parts[i], 0, equals);
            var value = equals < 0 ? string.Empty : Unescape(parts[i], equals + 1, parts[i].Length - equals - 1);
            if (!IsName(name))
            {
                errors.Add(new(path, DataphinValidationRules.InvalidText, $"{path} has the name '{name}', which is not a parameter name (letters, digits, '.', '_' and '-')."));
            }
            else if (string.Equals(name, OpTenantId, StringComparison.OrdinalIgnoreCase))
            {
                if (tenantSeen)
                {
                    errors.Add(new(path, DataphinValidationRules.NotAllowed, $"{path}: the parameter '{name}' is given twice."));
                }
                else if (name != OpTenantId)
                {
                    errors.Add(new(path, DataphinValidationRules.InvalidText, $"{path}: the tenant parameter is spelt OpTenantId, not {name}."));
                }
                else if (!long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out opTenantId) || opTenantId <= 0)
                {
                    errors.Add(new(OpTenantId, DataphinValidationRules.Positive, $"OpTenantId must be a positive tenant id; it was '{value}'."));
                }
                else
                {
                    query.Add(new(name, value));
                }

                tenantSeen = true;
            }
            else if (query.Exists(p => string.Equals(p.Key, name, StringComparison.Ordinal)))
            {
                errors.Add(new(path, DataphinValidationRules.NotAllowed, $"{path}: the parameter '{name}' is given twice."));
            }
            else
            {
                query.Add(new(name, value));
            }
        }

        if (!tenantSeen)
        {
            errors.Add(new(OpTenantId, DataphinValidationRules.Required, "The query must hold OpTenantId, the tenant id (the tenantId in the Dataphin URL)."));
        }

        return (opTenantId, query);
    }

    private static string Unescape(string text, int start, int length)
#if NET9_0_OR_GREATER
        => Uri.UnescapeDataString(text.AsSpan(start, length));
#else
        => Uri.UnescapeDataString(text.Substring(start, length));
#endif

    /// <summary>Reads the body as given, and checks that it is a form whose field names are parameter names.</summary>
    private static async Task<byte[]> ReadFormAsync(HttpContent? content, List<DataphinValidationError> errors, CancellationToken cancellationToken)
    {
        if (content is null)
        {
            return [];
        }

#if NET5_0_OR_GREATER
        var body = await content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
#else
        var body = await content.ReadAsByteArrayAsync().ConfigureAwait(false);
#endif
        if (content.Headers.ContentEncoding.Count > 0)
        {
            errors.Add(new("Content-Encoding", DataphinValidationRules.NotAllowed, $"The body must not be encoded ({string.Join(", ", content.Headers.ContentEncoding)}); send the form as it is."));
        }

        if (body.Length == 0)
        {
            return body;
        }

        if (content.Headers.ContentType is not { } type)
        {
            errors.Add(new("Content-Type", DataphinValidationRules.Required, $"A body must be a form ({FormMediaType}); the request has no Content-Type."));
        }
        else if (!string.Equals(type.MediaType, FormMediaType, StringComparison.OrdinalIgnoreCase)
                 || type.Parameters.Any(p => !(string.Equals(p.Name, "charset", StringComparison.OrdinalIgnoreCase) && string.Equals(p.Value?.Trim('"'), "utf-8", StringComparison.OrdinalIgnoreCase))))
        {
            errors.Add(new("Content-Type", DataphinValidationRules.NotAllowed, $"A body must be a form ({FormMediaType}, UTF-8); the request's Content-Type is {type}."));
        }
        else
        {
            CheckForm(body, errors);
        }

        return body;
    }

    private static void CheckForm(byte[] body, List<DataphinValidationError> errors)
    {
        var names = new List<string>();
        var start = 0;
        for (var field = 0; start <= body.Length; field++)
        {
            var end = Array.IndexOf(body, (byte)'&', start);
            if (end < 0)
            {
                end = body.Length;
            }

            var path = $"Form[{field}]";
            var equals = Array.IndexOf(body, (byte)'=', start, end - start);
            var nameEnd = equals < 0 ? end : equals;
            if (!IsFormEncoded(body, start, end))
            {
                errors.Add(new(path, DataphinValidationRules.Malformed, $"{path} is not form-encoded: only printable ASCII, with other bytes as %XX (DataphinFormContent writes it so)."));
            }
            else
            {
                var name = Uri.UnescapeDataString(System.Text.Encoding.ASCII.GetString(body, start, nameEnd - start));
                if (!IsName(name))
                {
                    errors.Add(new(path, DataphinValidationRules.InvalidText, $"{path} has the name '{name}', which is not a parameter name (letters, digits, '.', '_' and '-')."));
                }
                else if (string.Equals(name, OpTenantId, StringComparison.OrdinalIgnoreCase))
                {
                    errors.Add(new(path, DataphinValidationRules.NotAllowed, $"{path}: OpTenantId belongs in the query, not in the body."));
                }
                else if (names.Contains(name, StringComparer.Ordinal))
                {
                    errors.Add(new(path, DataphinValidationRules.NotAllowed, $"{path}: the field '{name}' is given twice."));
                }
                else
                {
                    names.Add(name);
                }
            }

            start = end + 1;
        }
    }

    private static bool IsFormEncoded(byte[] body, int start, int end)
    {
        for (var i = start; i < end; i++)
        {
            var b = body[i];
            if (b == '%')
            {
                if (i + 2 >= end || !Uri.IsHexDigit((char)body[i + 1]) || !Uri.IsHexDigit((char)body[i + 2]))
                {
                    return false;
                }

                i += 2;
            }
            else if (b is < 0x21 or > 0x7E)
            {
                return false;
            }
        }

        return true;
    }
}
