using System.Text.Encodings.Web;
using System.Text.Json;
using Dataphin.OpenApi.Testing.Protocol;

namespace Dataphin.OpenApi.Testing.Hosting;

/// <summary>The service's JSON bodies (protocol.md sections 6.1 and 7).</summary>
internal static class ResponseBodies
{
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static byte[] Success(string requestId, Action<Utf8JsonWriter>? writeData)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, WriterOptions))
        {
            json.WriteStartObject();
            json.WriteString("RequestId", requestId);
            json.WriteBoolean("Success", true);
            json.WriteString("Code", "OK");
            json.WriteNumber("HttpStatusCode", 200);
            json.WriteString("Message", "success");
            writeData?.Invoke(json);
            json.WriteEndObject();
        }

        return buffer.ToArray();
    }

    public static byte[] Error(ServiceError error, string requestId, string host, bool fromAction)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, WriterOptions))
        {
            json.WriteStartObject();
            json.WriteString("RequestId", requestId);
            json.WriteString("HostId", string.IsNullOrEmpty(host) ? "dataphin-public.aliyuncs.com" : host);
            json.WriteString("Code", error.Code);
            json.WriteString("Message", error.Message);
            json.WriteString("Recommend", $"https://api.aliyun.com/troubleshoot?q={Uri.EscapeDataString(error.Code)}&product=dataphin-public&requestId={requestId}");
            if (fromAction)
            {
                json.WriteBoolean("Success", false);
                json.WriteNumber("HttpStatusCode", error.Status);
            }

            json.WriteEndObject();
        }

        return buffer.ToArray();
    }
}
