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
    /// <remarks>This instance itself when no field held a secret (the common case: nothing is copied).</remarks>
    public ServiceAnswer Redact(SecretRedactor redactor)
    {
        var requestId = redactor.Redact(RequestId);
        var hostId = redactor.Redact(HostId);
        var code = redactor.Redact(Code);
        var message = redactor.Redact(Message);
        var recommend = redactor.Redact(Recommend);
        var accessDeniedDetail = redactor.Redact(AccessDeniedDetail);
        if (ReferenceEquals(requestId, RequestId) && ReferenceEquals(hostId, HostId) && ReferenceEquals(code, Code)
            && ReferenceEquals(message, Message) && ReferenceEquals(recommend, Recommend) && ReferenceEquals(accessDeniedDetail, AccessDeniedDetail))
        {
            return this;
        }

        return new()
        {
            RequestId = requestId,
            HostId = hostId,
            Code = code,
            Message = message,
            Recommend = recommend,
            Success = Success,
            HttpStatusCode = HttpStatusCode,
            AccessDeniedDetail = accessDeniedDetail,
        };
    }

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
            Span<byte> nameBuffer = stackalloc byte[MaxFieldNameBytes];
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var field = FieldOf(ref reader, nameBuffer);
                reader.Read();
                switch (field)
                {
                    case Field.RequestId: answer.RequestId ??= Scalar(ref reader); break;
                    case Field.HostId: answer.HostId ??= Scalar(ref reader); break;
                    case Field.Code: answer.Code ??= Scalar(ref reader); break;
                    case Field.Message: answer.Message ??= Scalar(ref reader); break;
                    case Field.Recommend: answer.Recommend ??= Scalar(ref reader); break;
                    case Field.Success: answer.Success ??= Bool(ref reader); break;
                    case Field.HttpStatusCode: answer.HttpStatusCode ??= Int(ref reader); break;
                    case Field.AccessDeniedDetail: answer.AccessDeniedDetail ??= Raw(ref reader, body); break;
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

    // Longer than any field read here ("accessdenieddetail" is 18), so a longer name is some other field.
    private const int MaxFieldNameBytes = 32;

    private enum Field
    {
        Other,
        RequestId,
        HostId,
        Code,
        Message,
        Recommend,
        Success,
        HttpStatusCode,
        AccessDeniedDetail,
    }

    /// <summary>
    /// The field the current property name stands for, in any casing (as <see cref="string.ToLowerInvariant()"/> of the
    /// unescaped name would match it): ASCII names are compared without allocating, others through the string.
    /// </summary>
    private static Field FieldOf(ref Utf8JsonReader reader, scoped Span<byte> buffer)
    {
        // An unescaped name is never longer than its escaped form.
        if (reader.HasValueSequence || reader.ValueSpan.Length > buffer.Length)
        {
            return reader.ValueIsEscaped || reader.HasValueSequence ? FieldOf(reader.GetString()!) : Field.Other;
        }

        var name = buffer.Slice(0, reader.CopyString(buffer));
        for (var i = 0; i < name.Length; i++)
        {
            var b = name[i];
            if (b >= 0x80)
            {
                return FieldOf(reader.GetString()!);
            }

            if (b is >= (byte)'A' and <= (byte)'Z')
            {
                name[i] = (byte)(b | 0x20);
            }
        }

        return name.SequenceEqual("requestid"u8) ? Field.RequestId
            : name.SequenceEqual("hostid"u8) ? Field.HostId
            : name.SequenceEqual("code"u8) ? Field.Code
            : name.SequenceEqual("message"u8) ? Field.Message
            : name.SequenceEqual("recommend"u8) ? Field.Recommend
            : name.SequenceEqual("success"u8) ? Field.Success
            : name.SequenceEqual("httpstatuscode"u8) ? Field.HttpStatusCode
            : name.SequenceEqual("accessdenieddetail"u8) ? Field.AccessDeniedDetail
            : Field.Other;
    }

    private static Field FieldOf(string name) => name.ToLowerInvariant() switch
    {
        "requestid" => Field.RequestId,
        "hostid" => Field.HostId,
        "code" => Field.Code,
        "message" => Field.Message,
        "recommend" => Field.Recommend,
        "success" => Field.Success,
        "httpstatuscode" => Field.HttpStatusCode,
        "accessdenieddetail" => Field.AccessDeniedDetail,
        _ => Field.Other,
    };

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
