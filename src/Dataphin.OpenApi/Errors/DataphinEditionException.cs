namespace Dataphin.OpenApi;

/// <summary>
/// The operation needs a higher Dataphin edition than <see cref="DataphinClientOptions.Edition"/>; nothing was sent.
/// Set the edition your tenant runs, or leave it <see langword="null"/> to turn edition checks off.
/// </summary>
public sealed class DataphinEditionException : DataphinException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="operation">The operation called.</param>
    /// <param name="minimumEdition">The lowest edition offering it.</param>
    /// <param name="configuredEdition">The edition the client is configured with.</param>
    public DataphinEditionException(string operation, DataphinEdition minimumEdition, DataphinEdition configuredEdition)
        : base($"{operation} needs Dataphin {Describe(minimumEdition)} or higher, but the client is configured for {Describe(configuredEdition)} (DataphinClientOptions.Edition); nothing was sent. Set Edition to your tenant's edition, or to null to turn edition checks off.")
    {
        Operation = operation;
        MinimumEdition = minimumEdition;
        ConfiguredEdition = configuredEdition;
    }

    /// <summary>The operation called.</summary>
    public string Operation { get; }

    /// <summary>The lowest edition offering the operation.</summary>
    public DataphinEdition MinimumEdition { get; }

    /// <summary>The edition the client is configured with.</summary>
    public DataphinEdition ConfiguredEdition { get; }

    private static string Describe(DataphinEdition edition) => edition switch
    {
        DataphinEdition.Personal => "Personal edition",
        DataphinEdition.Agile => "Agile R&D (Agile Edition)",
        DataphinEdition.Basic => "Basic R&D (Basic Edition)",
        DataphinEdition.Intelligent => "Intelligent R&D (Intelligent Edition)",
        _ => edition.ToString(),
    };
}
