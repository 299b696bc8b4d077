using System.Text;
using Dataphin.OpenApi.Bulk;

namespace Dataphin.OpenApi.Tests.Bulk;

internal static class ManifestTestFiles
{
    public static string Sample(string name) => Path.Combine(AppContext.BaseDirectory, "samples", "manifests", name);

    public static string Fixture(string name) => Path.Combine(AppContext.BaseDirectory, "Bulk", "Fixtures", name);

    public static MemoryStream Utf8(string text) => new(Encoding.UTF8.GetBytes(text));

    public static async Task<List<LineageItem>> ReadAllAsync(Stream stream, LineageManifestFormat format, LineageManifestOperation operation = LineageManifestOperation.Add)
    {
        var items = new List<LineageItem>();
        await foreach (var item in LineageManifestReader.ReadAsync(stream, format, operation))
        {
            items.Add(item);
        }

        return items;
    }

    public static Task<List<LineageItem>> ReadAllAsync(string text, LineageManifestFormat format, LineageManifestOperation operation = LineageManifestOperation.Add)
        => ReadAllAsync(Utf8(text), format, operation);
}
