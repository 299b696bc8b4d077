namespace Dataphin.OpenApi;

/// <summary>
/// The throttling level Dataphin assigns each operation. Each level has its own QPS quota on the Basic and
/// Intelligent R&amp;D editions (50 / 20 / 5); Personal and Agile R&amp;D share one budget of 5 QPS.
/// </summary>
public enum ThrottlingLevel
{
    /// <summary>Level 1: mostly reads; 50 QPS on Basic and Intelligent R&amp;D.</summary>
    Level1 = 1,

    /// <summary>Level 2: for example AddRegisterLineage; 20 QPS on Basic and Intelligent R&amp;D.</summary>
    Level2 = 2,

    /// <summary>Level 3: creates, deletes and heavy calls; 5 QPS. Operations missing from the throttling table are treated as Level 3.</summary>
    Level3 = 3,
}
