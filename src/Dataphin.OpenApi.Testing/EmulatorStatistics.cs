using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Dataphin.OpenApi.Testing;

/// <summary>
/// What an emulator has received and holds, for checking a run: requests per action and how they were answered,
/// throttling answers, the lineage stored, and adds of a table pair that was already stored. Served as JSON at
/// <c>GET /_emulator/state</c> (<see cref="ToJson"/>), so scripts can check a run against a running emulator.
/// Counted since the emulator started, independently of <see cref="DataphinEmulatorOptions.MaxRecordedRequests"/>.
/// </summary>
public sealed class EmulatorStatistics
{
    internal EmulatorStatistics(IReadOnlyDictionary<string, EmulatorActionStatistics> requests, long tableLineages, long fieldLineages, long repeatedRegistrations)
    {
        Requests = requests;
        TableLineages = tableLineages;
        FieldLineages = fieldLineages;
        RepeatedRegistrations = repeatedRegistrations;
        ThrottledAnswers = requests.Values.Sum(r => r.Throttled);
    }

    /// <summary>The requests per action (the <c>x-acs-action</c> header; <c>(unknown)</c> for a missing or unknown one), for every action received at least once.</summary>
    public IReadOnlyDictionary<string, EmulatorActionStatistics> Requests { get; }

    /// <summary>Answers that said the call was throttled (<c>Throttling.User</c>), all actions together.</summary>
    public long ThrottledAnswers { get; }

    /// <summary>The table lineage edges stored, all tenants together.</summary>
    public long TableLineages { get; }

    /// <summary>The field lineage edges stored, all tenants together.</summary>
    public long FieldLineages { get; }

    /// <summary>Adds that were executed for a table pair that was already stored (a client sending the same registration again).</summary>
    public long RepeatedRegistrations { get; }

    /// <summary>
    /// The statistics as the JSON served at <c>GET /_emulator/state</c>:
    /// <c>{"requests": {"AddRegisterLineage": {"received": 0, "accepted": 0, "throttled": 0, "rejected": 0, "faulted": 0}, ...},
    /// "throttledAnswers": 0, "tableLineages": 0, "fieldLineages": 0, "repeatedRegistrations": 0}</c>.
    /// </summary>
    /// <returns>The JSON text.</returns>
    public string ToJson() => Encoding.UTF8.GetString(ToUtf8Json());

    internal byte[] ToUtf8Json()
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            json.WriteStartObject();
            json.WriteStartObject("requests");
            foreach (var (action, counts) in Requests.OrderBy(r => r.Key, StringComparer.Ordinal))
            {
                json.WriteStartObject(action);
                json.WriteNumber("received", counts.Received);
                json.WriteNumber("accepted", counts.Accepted);
                json.WriteNumber("throttled", counts.Throttled);
                json.WriteNumber("rejected", counts.Rejected);
                json.WriteNumber("faulted", counts.Faulted);
                json.WriteEndObject();
            }

            json.WriteEndObject();
            json.WriteNumber("throttledAnswers", ThrottledAnswers);
            json.WriteNumber("tableLineages", TableLineages);
            json.WriteNumber("fieldLineages", FieldLineages);
            json.WriteNumber("repeatedRegistrations", RepeatedRegistrations);
            json.WriteEndObject();
        }

        return buffer.ToArray();
    }
}

/// <summary>How the requests of one action were answered. A request still being answered is received but not yet in another count.</summary>
/// <param name="Received">Requests received.</param>
/// <param name="Accepted">Answered with success.</param>
/// <param name="Throttled">Answered with <c>Throttling.User</c> (a quota was used up).</param>
/// <param name="Rejected">Answered with another error: signature, AccessKey, tenant, parameters.</param>
/// <param name="Faulted">Given an injected fault: a 5xx answer, a dropped connection or a malformed body.</param>
public sealed record EmulatorActionStatistics(long Received, long Accepted, long Throttled, long Rejected, long Faulted);
