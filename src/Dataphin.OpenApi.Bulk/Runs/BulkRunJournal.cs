using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Dataphin.OpenApi.Internal;

namespace Dataphin.OpenApi.Bulk;

/// <summary>
/// A run journal as read from its file (docs/run-journal.md): the identity of the run it was written for and every
/// item outcome in it. <see cref="FileBulkRunStore"/> writes journals; this reads one, for tools and tests.
/// A last line cut short (the process died while writing it) is ignored.
/// </summary>
/// <example>
/// <code>
/// var journal = BulkRunJournal.Read("run.journal.jsonl");
/// Console.WriteLine($"{journal.SucceededCount} of {journal.Identity.ItemCount} items done");
/// </code>
/// </example>
public sealed class BulkRunJournal
{
    /// <summary>The <c>journal</c> value of a header line.</summary>
    public const string FormatName = "dataphin-bulk-run";

    /// <summary>The format version this package writes and reads.</summary>
    public const int FormatVersion = 1;

    internal static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private BulkRunJournal(BulkRunIdentity identity, DateTimeOffset created, IReadOnlyList<BulkRunJournalEntry> entries, int resumes, bool tornLastLine)
    {
        Identity = identity;
        Created = created;
        Entries = entries;
        Resumes = resumes;
        HadTornLastLine = tornLastLine;
    }

    /// <summary>The run the journal was written for.</summary>
    public BulkRunIdentity Identity { get; }

    /// <summary>When the journal was created.</summary>
    public DateTimeOffset Created { get; }

    /// <summary>Every item outcome, in the order recorded (an item may appear more than once across resumed runs).</summary>
    public IReadOnlyList<BulkRunJournalEntry> Entries { get; }

    /// <summary>How many times a later run continued the journal.</summary>
    public int Resumes { get; }

    /// <summary>Whether the last line was cut short (and ignored).</summary>
    public bool HadTornLastLine { get; }

    /// <summary>How many distinct items are recorded as succeeded.</summary>
    public long SucceededCount
    {
        get
        {
            var done = new HashSet<long>();
            foreach (var entry in Entries)
            {
                if (entry.Status == BulkItemStatus.Succeeded)
                {
                    done.Add(entry.Index);
                }
            }

            return done.Count;
        }
    }

    /// <summary>Reads a journal file. The file may be open for writing by a running run.</summary>
    /// <param name="path">The journal file.</param>
    /// <returns>The journal.</returns>
    /// <exception cref="BulkRunJournalException">The file is not a run journal, or a line other than the last cannot be read.</exception>
    /// <exception cref="IOException">The file cannot be read.</exception>
    public static BulkRunJournal Read(string path)
    {
        Guard.NotNullOrWhiteSpace(path, nameof(path));
        byte[] bytes;
        using (var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite))
        {
            bytes = ReadAll(stream);
        }

        var entries = new List<BulkRunJournalEntry>();
        var scan = Scan(path, bytes, entries.Add);
        return new BulkRunJournal(scan.Identity, scan.Created, entries, scan.Resumes, scan.ValidLength < bytes.Length);
    }

    internal static byte[] ReadAll(Stream stream)
    {
        var bytes = new byte[stream.Length];
        var total = 0;
        while (total < bytes.Length)
        {
            var read = stream.Read(bytes, total, bytes.Length - total);
            if (read == 0)
            {
                Array.Resize(ref bytes, total);
                break;
            }

            total += read;
        }

        return bytes;
    }

    /// <summary>Walks the complete lines of a journal; returns the header and the length of the complete part.</summary>
    internal static ScanResult Scan(string path, byte[] bytes, Action<BulkRunJournalEntry> onEntry)
    {
        BulkRunIdentity? identity = null;
        var created = default(DateTimeOffset);
        var resumes = 0;
        var start = 0;
        var lineNumber = 0;
        var validLength = 0;
        while (start < bytes.Length)
        {
            var end = Array.IndexOf(bytes, (byte)'\n', start);
            if (end < 0)
            {
                break; // A torn last line: the process died while writing it.
            }

            lineNumber++;
            var line = new ReadOnlySpan<byte>(bytes, start, end - start);
            start = end + 1;
            validLength = start;
            if (IsBlank(line))
            {
                continue;
            }

            try
            {
                if (identity is null)
                {
                    (identity, created) = ReadHeader(line) ?? throw new BulkRunJournalException(path, BulkRunJournalProblem.Damaged, $"'{path}' is not a run journal: its first line is not a journal header.");
                    continue;
                }

                var reader = new Utf8JsonReader(line);
                var entry = ReadLine(ref reader, out var resumed);
                if (entry is not null)
                {
                    onEntry(entry);
                }
                else if (resumed)
                {
                    resumes++;
                }
            }
            catch (JsonException error)
            {
                throw new BulkRunJournalException(path, BulkRunJournalProblem.Damaged, $"The run journal '{path}' is damaged: line {lineNumber.ToString(CultureInfo.InvariantCulture)} cannot be read.", innerException: error);
            }
            catch (FormatException error)
            {
                throw new BulkRunJournalException(path, BulkRunJournalProblem.Damaged, $"The run journal '{path}' is damaged: line {lineNumber.ToString(CultureInfo.InvariantCulture)} cannot be read ({error.Message}).", innerException: error);
            }
        }

        if (identity is null)
        {
            throw new BulkRunJournalException(path, BulkRunJournalProblem.Damaged, $"'{path}' is not a run journal: it has no complete header line.");
        }

        return new ScanResult(identity, created, resumes, validLength);
    }

    internal static void WriteHeader(Utf8JsonWriter json, BulkRunIdentity identity, DateTimeOffset created)
    {
        json.WriteStartObject();
        json.WriteString("journal", FormatName);
        json.WriteNumber("version", FormatVersion);
        json.WriteString("operation", identity.Operation);
        json.WriteStartObject("manifest");
        json.WriteString("sha256", identity.InputSha256);
        json.WriteNumber("items", identity.ItemCount);
        json.WriteEndObject();
        json.WriteString("endpoint", identity.Endpoint);
        json.WriteNumber("tenant", identity.TenantId);
        if (identity.AccessKeyIdHash is not null)
        {
            json.WriteString("accessKeyIdHash", identity.AccessKeyIdHash);
        }

        json.WriteString("created", Timestamp(created));
        json.WriteEndObject();
    }

    internal static void WriteResumed(Utf8JsonWriter json, DateTimeOffset at, long succeededEarlier)
    {
        json.WriteStartObject();
        json.WriteString("resumed", Timestamp(at));
        json.WriteNumber("succeededEarlier", succeededEarlier);
        json.WriteEndObject();
    }

    internal static void WriteEntry(Utf8JsonWriter json, BulkItemResult result)
    {
        json.WriteStartObject();
        json.WriteNumber("item", result.Index + 1);
        json.WriteString("id", result.Id);
        json.WriteString("status", StatusName(result.Status));
        if (result.Error is { } error)
        {
            if (error is DataphinRequestException { ErrorCode: { } code })
            {
                json.WriteString("code", code);
            }

            json.WriteString("message", error.Message);
        }
        else if (result.ValidationErrors.Count > 0)
        {
            json.WriteString("message", string.Join("; ", result.ValidationErrors.Select(e => e.Path == "$" ? e.Message : e.Path + ": " + e.Message)));
        }

        json.WriteEndObject();
    }

    internal static string StatusName(BulkItemStatus status) => status switch
    {
        BulkItemStatus.Succeeded => "succeeded",
        BulkItemStatus.Failed => "failed",
        BulkItemStatus.SkippedInvalid => "invalid",
        BulkItemStatus.Cancelled => "cancelled",
        BulkItemStatus.Validated => "validated",
        _ => "already-done",
    };

    private static BulkItemStatus ParseStatus(string? name) => name switch
    {
        "succeeded" => BulkItemStatus.Succeeded,
        "failed" => BulkItemStatus.Failed,
        "invalid" => BulkItemStatus.SkippedInvalid,
        "cancelled" => BulkItemStatus.Cancelled,
        "validated" => BulkItemStatus.Validated,
        "already-done" => BulkItemStatus.AlreadyDone,
        _ => throw new FormatException($"unknown status '{name}'"),
    };

    private static string Timestamp(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    private static bool IsBlank(ReadOnlySpan<byte> line)
    {
        foreach (var b in line)
        {
            if (b is not ((byte)' ' or (byte)'\t' or (byte)'\r'))
            {
                return false;
            }
        }

        return true;
    }

    private static (BulkRunIdentity, DateTimeOffset)? ReadHeader(ReadOnlySpan<byte> line)
    {
        using var document = JsonDocument.Parse(line.ToArray());
        var root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Object
            || !root.TryGetProperty("journal", out var journal) || journal.ValueKind != JsonValueKind.String || journal.GetString() != FormatName)
        {
            return null;
        }

        if (!root.TryGetProperty("version", out var version) || version.ValueKind != JsonValueKind.Number || version.GetInt32() != FormatVersion)
        {
            throw new FormatException($"the journal format version is not {FormatVersion.ToString(CultureInfo.InvariantCulture)}");
        }

        var manifest = root.GetProperty("manifest");
        var identity = new BulkRunIdentity(
            root.GetProperty("operation").GetString() ?? throw new FormatException("no operation"),
            manifest.GetProperty("sha256").GetString() ?? throw new FormatException("no manifest hash"),
            manifest.GetProperty("items").GetInt64(),
            root.GetProperty("endpoint").GetString() ?? throw new FormatException("no endpoint"),
            root.GetProperty("tenant").GetInt64(),
            root.TryGetProperty("accessKeyIdHash", out var key) && key.ValueKind == JsonValueKind.String ? key.GetString() : null);
        var created = root.TryGetProperty("created", out var time) && time.ValueKind == JsonValueKind.String
            ? DateTimeOffset.Parse(time.GetString()!, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal)
            : default;
        return (identity, created);
    }

    /// <summary>Reads one line after the header: an item entry, a resume marker (<paramref name="resumed"/>), or something this version does not know (ignored).</summary>
    private static BulkRunJournalEntry? ReadLine(ref Utf8JsonReader reader, out bool resumed)
    {
        resumed = false;
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            throw new FormatException("a line is not a JSON object");
        }

        long? item = null;
        string? id = null, status = null, code = null, message = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var name = reader.GetString();
            reader.Read();
            switch (name)
            {
                case "item":
                    item = reader.GetInt64();
                    break;
                case "id":
                    id = reader.GetString();
                    break;
                case "status":
                    status = reader.GetString();
                    break;
                case "code":
                    code = reader.GetString();
                    break;
                case "message":
                    message = reader.GetString();
                    break;
                case "resumed":
                    resumed = true;
                    reader.Skip();
                    break;
                default:
                    reader.Skip();
                    break;
            }
        }

        if (reader.TokenType != JsonTokenType.EndObject)
        {
            throw new FormatException("a line is not a complete JSON object");
        }

        while (reader.Read())
        {
            // Anything after the object on the same line is an error: Read throws on it.
        }

        if (item is null)
        {
            return null;
        }

        if (item < 1 || id is null || status is null)
        {
            throw new FormatException("an item line needs item (from 1), id and status");
        }

        return new BulkRunJournalEntry(item.Value - 1, id, ParseStatus(status), code, message);
    }

    internal sealed class ScanResult(BulkRunIdentity identity, DateTimeOffset created, int resumes, int validLength)
    {
        public BulkRunIdentity Identity { get; } = identity;

        public DateTimeOffset Created { get; } = created;

        public int Resumes { get; } = resumes;

        public int ValidLength { get; } = validLength;
    }
}
