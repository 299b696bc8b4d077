using System.Net.Http.Headers;
using Dataphin.OpenApi.Transport;

namespace Dataphin.OpenApi;

/// <summary>
/// An <c>application/x-www-form-urlencoded</c> body encoded the way the official Alibaba Cloud clients encode it, and
/// so the way this SDK encodes its own calls: fields in the order given, <c>A-Z a-z 0-9 - _ . ! ~ * ' ( )</c> as they
/// are, every other UTF-8 byte as upper-case <c>%XX</c> (a space is <c>%20</c>). Use it for the body of a request
/// sent through <see cref="DataphinPipelineHandler"/>, which sends a body byte for byte as given.
/// <see cref="FormUrlEncodedContent"/> writes a space as <c>+</c> and escapes <c>!'()*</c>, so its bytes differ from
/// what the official clients send.
/// </summary>
/// <example>
/// <code>
/// request.Content = new DataphinFormContent([new("ListFilesQuery", "{\"Keyword\":\"ods\"}")]);
/// </code>
/// </example>
public sealed class DataphinFormContent : ByteArrayContent
{
    /// <summary>Encodes <paramref name="fields"/> as a form.</summary>
    /// <param name="fields">The field names and values, in the order they are sent.</param>
    /// <exception cref="ArgumentNullException"><paramref name="fields"/> is null.</exception>
    /// <exception cref="ArgumentException">A field name is empty, or a name or value is null.</exception>
    public DataphinFormContent(IEnumerable<KeyValuePair<string, string>> fields)
        : base(Encode(fields))
    {
        Headers.ContentType = new MediaTypeHeaderValue("application/x-www-form-urlencoded");
    }

    private static byte[] Encode(IEnumerable<KeyValuePair<string, string>> fields)
    {
        if (fields is null)
        {
            throw new ArgumentNullException(nameof(fields));
        }

        var list = new List<KeyValuePair<string, string>>(fields);
        for (var i = 0; i < list.Count; i++)
        {
            if (string.IsNullOrEmpty(list[i].Key) || list[i].Value is null)
            {
                throw new ArgumentException($"Form field {i} needs a name and a value (use an empty string for an empty value); it has the name '{list[i].Key}'.", nameof(fields));
            }
        }

        return FormEncoder.Encode(list);
    }
}
