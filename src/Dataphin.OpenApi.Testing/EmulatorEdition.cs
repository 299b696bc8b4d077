namespace Dataphin.OpenApi.Testing;

/// <summary>The Dataphin editions whose documented API quotas the emulator can enforce (throttling.md).</summary>
public enum EmulatorEdition
{
    /// <summary>Personal edition: all levels share 5 QPS; 100 calls a day in all.</summary>
    Personal,

    /// <summary>Agile R&amp;D edition: all levels share 5 QPS; 1,000 calls a day in all.</summary>
    Agile,

    /// <summary>Basic R&amp;D edition: Level 1 50 QPS, Level 2 20 QPS, Level 3 5 QPS; 50,000 calls a day for Levels 1 and 2 together, 10,000 for Level 3.</summary>
    Basic,

    /// <summary>Intelligent R&amp;D edition: Level 1 50 QPS, Level 2 20 QPS, Level 3 5 QPS; Levels 1 and 2 unlimited a day, 10,000 for Level 3.</summary>
    Intelligent,
}
