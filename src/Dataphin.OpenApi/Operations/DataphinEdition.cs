namespace Dataphin.OpenApi;

/// <summary>
/// The Dataphin edition a tenant runs, which sets its OpenAPI quotas and which operations it may call.
/// Declared in ascending order: Personal &lt; Agile R&amp;D &lt; Basic R&amp;D &lt; Intelligent R&amp;D. The quota page ranks
/// them this way; that an operation whose minimum is "Basic Edition" is unavailable on Agile R&amp;D is inferred, the
/// documentation does not state the order.
/// </summary>
public enum DataphinEdition
{
    /// <summary>
    /// Personal edition ("Personal" on the quota page): 5 QPS for all levels together, 100 calls a day. The throttling
    /// table names no operation for it; it is gated like <see cref="Agile"/> (its lowest documented minimum), since
    /// the quota page gives it a quota it could not otherwise use.
    /// </summary>
    Personal = 1,

    /// <summary>Agile R&amp;D ("Agile Edition" in the throttling table): 5 QPS for all levels together, 1,000 calls a day.</summary>
    Agile = 2,

    /// <summary>Basic R&amp;D ("Basic Edition"): 50 / 20 / 5 QPS for Level 1 / 2 / 3; 50,000 Level 1+2 and 10,000 Level 3 calls a day.</summary>
    Basic = 3,

    /// <summary>Intelligent R&amp;D ("Intelligent Edition"): 50 / 20 / 5 QPS; Level 1+2 calls unlimited, 10,000 Level 3 calls a day.</summary>
    Intelligent = 4,
}
