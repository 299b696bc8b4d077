using Dataphin.OpenApi.Serialization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Dataphin.OpenApi.Internal;

namespace Dataphin.OpenApi.Bulk;

/// <summary>
/// What a <see cref="LineagePlanner"/> has registered before, as a Terraform state records what it created: the table
/// pairs (with their field lineages) applied from a manifest. Planning compares a manifest with it, so lineage this
/// state never registered (parsed by Dataphin, or registered by someone else) is never changed or deleted.
/// </summary>
/// <example>
/// <code>
/// var state = LineageState.Load("lineage.state.json");       // empty when the file does not exist yet
/// var plan = await planner.PlanAsync(desired, state);
/// var applied = await planner.ApplyAsync(plan);
/// applied.State.Save("lineage.state.json");
/// </code>
/// </example>
public sealed class LineageState
{
    /// <summary>The version of the file format <see cref="ToJson"/> writes.</summary>
    public const int FormatVersion = 1;

    private static readonly JsonWriterOptions Writer = new() { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Creates a state recording <paramref name="entries"/>.</summary>
    /// <param name="entries">The pairs registered; no pair twice.</param>
    /// <exception cref="ArgumentNullException"><paramref name="entries"/> is null.</exception>
    /// <exception cref="ArgumentException">A pair is listed twice.</exception>
    public LineageState(IEnumerable<LineageStateEntry> entries)
    {
        Guard.NotNull(entries, nameof(entries));
        var list = new List<LineageStateEntry>();
        var keys = new HashSet<string>(StringComparer.Ordinal);
        foreach (var entry in entries)
        {
            Guard.NotNull(entry, nameof(entries));
            if (!keys.Add(entry.Key))
            {
                throw new ArgumentException($"The table pair {entry.Lineage.Source} -> {entry.Lineage.Target} is recorded twice.", nameof(entries));
            }

            list.Add(entry);
        }

        Entries = list;
    }

    /// <summary>A state that records nothing: the state before the first apply.</summary>
    public static LineageState Empty { get; } = new(Array.Empty<LineageStateEntry>());

    /// <summary>The pairs registered, in the order they were recorded.</summary>
    public IReadOnlyList<LineageStateEntry> Entries { get; }

    /// <summary>Reads a state from its JSON (see <see cref="ToJson"/>).</summary>
    /// <param name="json">The JSON.</param>
    /// <returns>The state.</returns>
    /// <exception cref="LineageStateException">The JSON is not a state of a known version.</exception>
    public static LineageState Parse(string json)
    {
        Guard.NotNull(json, nameof(json));
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json);
        }
        catch (JsonException error)
        {
            throw new LineageStateException("The lineage state is not valid JSON: " + error.Message, error);
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("version", out var version) || version.ValueKind != JsonValueKind.Number)
            {
                throw new LineageStateException("The lineage state has no \"version\": it is not a file 'lineage apply' wrote.");
            }

            if (!version.TryGetInt32(out var number) || number != FormatVersion)
            {
                throw new LineageStateException($"The lineage state has version {version.GetRawText()}; this version of the tool reads version {FormatVersion}.");
            }

            if (!root.TryGetProperty("pairs", out var pairs) || pairs.ValueKind != JsonValueKind.Array)
            {
                throw new LineageStateException("The lineage state has no \"pairs\" array.");
            }

            var entries = new List<LineageStateEntry>();
            var index = 0;
            foreach (var pair in pairs.EnumerateArray())
            {
                if (pair.ValueKind != JsonValueKind.Object || !pair.TryGetProperty("lineage", out var lineage) || lineage.ValueKind != JsonValueKind.Object)
                {
                    throw new LineageStateException($"pairs[{index}] of the lineage state has no \"lineage\" object.");
                }

                AddRegisterLineageCommand command;
                try
                {
                    command = DataphinJson.DeserializeAddCommand(lineage.GetRawText());
                }
                catch (Exception error) when (error is JsonException or ArgumentException or FormatException)
                {
                    throw new LineageStateException($"pairs[{index}].lineage of the lineage state cannot be read: {error.Message}", error);
                }

                if (command.Source is null || command.Target is null)
                {
                    throw new LineageStateException($"pairs[{index}].lineage of the lineage state has no Source or no Target.");
                }

                entries.Add(new LineageStateEntry(command, Text(pair, "sourceGuid"), Text(pair, "targetGuid")));
                index++;
            }

            try
            {
                return new LineageState(entries);
            }
            catch (ArgumentException error)
            {
                throw new LineageStateException("The lineage state is inconsistent: " + error.Message.Split('(')[0].Trim(), error);
            }
        }
    }

    /// <summary>Reads the state file at <paramref name="path"/>; <see cref="Empty"/> when there is no file yet.</summary>
    /// <param name="path">The file.</param>
    /// <returns>The state.</returns>
    /// <exception cref="LineageStateException">The file is not a state of a known version (the message names the file).</exception>
    public static LineageState Load(string path)
    {
        Guard.NotNullOrWhiteSpace(path, nameof(path));
        if (!File.Exists(path))
        {
            return Empty;
        }

        try
        {
            return Parse(File.ReadAllText(path, Encoding.UTF8));
        }
        catch (LineageStateException error)
        {
            throw new LineageStateException($"{path}: {error.Message}", error.InnerException);
        }
    }

    /// <summary>Writes the state to <paramref name="path"/>, replacing the file in one step (a crash leaves the old or the new file, never half of one).</summary>
    /// <param name="path">The file.</param>
    public void Save(string path)
    {
        Guard.NotNullOrWhiteSpace(path, nameof(path));
        var full = System.IO.Path.GetFullPath(path);
        var folder = System.IO.Path.GetDirectoryName(full);
        if (!string.IsNullOrEmpty(folder))
        {
            Directory.CreateDirectory(folder);
        }

        var temporary = full + ".tmp";
        using (var stream = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            var bytes = new UTF8Encoding(false).GetBytes(ToJson());
            stream.Write(bytes, 0, bytes.Length);
            stream.Flush(flushToDisk: true);
        }

        if (File.Exists(full))
        {
            File.Replace(temporary, full, null);
        }
        else
        {
            File.Move(temporary, full);
        }
    }

    /// <summary>The state as JSON: <c>{"version":1,"pairs":[{"sourceGuid":…,"targetGuid":…,"lineage":{AddRegisterLineageCommand}}]}</c>.</summary>
    /// <returns>The JSON, indented.</returns>
    public string ToJson()
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, Writer))
        {
            json.WriteStartObject();
            json.WriteNumber("version", FormatVersion);
            json.WriteStartArray("pairs");
            foreach (var entry in Entries)
            {
                json.WriteStartObject();
                if (entry.SourceGuid is not null)
                {
                    json.WriteString("sourceGuid", entry.SourceGuid);
                }

                if (entry.TargetGuid is not null)
                {
                    json.WriteString("targetGuid", entry.TargetGuid);
                }

                json.WritePropertyName("lineage");
                using (var lineage = JsonDocument.Parse(DataphinJson.SerializeToUtf8Bytes(entry.Lineage)))
                {
                    lineage.RootElement.WriteTo(json);
                }

                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static string? Text(JsonElement element, string name)
        => element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
