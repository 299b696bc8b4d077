using System.Text;
using System.Text.Json;
using Dataphin.OpenApi.Diagnostics;

namespace Dataphin.OpenApi.Transport;

/// <summary>The common fields of a service body (success or error), read leniently: either casing, numbers or strings.</summary>
internal sealed class ServiceAnswer
{
    public string? RequestId { get; private set; }

    public string? HostId { get; private set; }

    public string? Code { get; private set; }

    public string? Message { get; private set; }

    public string? Recommend { get; private set; }

    public bool? Success { get; private set; }

    public int? HttpStatusCode { get; private set; }

    public string? AccessDeniedDetail { get; private set; }

    /// <summary>A copy of this answer with every secret removed from its text fields (see <see cref="SecretRedactor"/>).</summary>
    public ServiceAnswer Redact(SecretRedactor redactor) => new()
    {
        RequestId = redactor.Redact(RequestId),
        HostId = redactor.Redact(HostId),
        Code = redactor.Redact(Code),
        Message = redactor.Redact(Message),
        Recommend = redactor.Redact(Recommend),
        Success = Success,
        HttpStatusCode = HttpStatusCode,
        AccessDeniedDetail = redactor.Redact(AccessDeniedDetail),
    };

    /// <summary>Parses the top level of a JSON object; returns null when the bytes are not a JSON object.</summary>
    public static ServiceAnswer? TryParse(byte[] body)
    {
        if (body.Length == 0)
        {
            return null;
        }

        try
        {
            var reader = new Utf8JsonReader(body, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip });
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return null;
            }

            var answer = new ServiceAnswer();
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var name = reader.GetString()!;
                reader.Read();
                switch (name.ToLowerInvariant())
                {
                    case "requestid": answer.RequestId ??= Scalar(ref reader); break;
                    case "hostid": answer.HostId ??= Scalar(ref reader); break;
                    case "code": answer.Code ??= Scalar(ref reader); break;
                    case "message": answer.Message ??= Scalar(ref reader); break;
                    case "recommend": answer.Recommend ??= Scalar(ref reader); break;
                    case "success": answer.Success ??= Bool(ref reader); break;
                    case "httpstatuscode": answer.HttpStatusCode ??= Int(ref reader); break;
                    case "accessdenieddetail": answer.AccessDeniedDetail ??= Raw(ref reader, body); break;
                    default: reader.Skip(); break;
                }
            }

            // Reject truncated or trailing-garbage bodies as "not JSON".
            if (reader.TokenType != JsonTokenType.EndObject || reader.Read())
            {
                return null;
            }

            return answer;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string? Scalar(ref Utf8JsonReader reader)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.String: return reader.GetString();
            case JsonTokenType.Number: return Encoding.UTF8.GetString(reader.ValueSpan.ToArray());
            case JsonTokenType.True: return "true";
            case JsonTokenType.False: return "false";
            case JsonTokenType.Null: return null;
            default: reader.Skip(); return null;
        }
    }

    private static bool? Bool(ref Utf8JsonReader reader) => reader.TokenType switch
    {
        JsonTokenType.True => true,
        JsonTokenType.False => false,
        JsonTokenType.String when bool.TryParse(reader.GetString(), out var value) => value,
        _ => SkipNull<bool>(ref reader),
    };

    private static int? Int(ref Utf8JsonReader reader) => reader.TokenType switch
    {
        JsonTokenType.Number when reader.TryGetInt32(out var value) => value,
        JsonTokenType.String when int.TryParse(reader.GetString(), out var value) => value,
        _ => SkipNull<int>(ref reader),
    };

    private static T? SkipNull<T>(ref Utf8JsonReader reader)
        where T : struct
    {
        reader.Skip();
        return null;
    }

    private static string Raw(ref Utf8JsonReader reader, byte[] body)
    {
        var start = (int)reader.TokenStartIndex;
        reader.Skip();
        var end = (int)reader.BytesConsumed;
        return Encoding.UTF8.GetString(body, start, end - start);
    }
}
