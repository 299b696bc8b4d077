namespace Dataphin.OpenApi;

/// <summary>Stable identifiers of the rules <see cref="DataphinValidationError.Rule"/> reports.</summary>
public static class DataphinValidationRules
{
    /// <summary>A required value is missing or empty.</summary>
    public const string Required = "Required";

    /// <summary>A number must be greater than zero.</summary>
    public const string Positive = "Positive";

    /// <summary>A value is set where the service does not allow it.</summary>
    public const string NotAllowed = "NotAllowed";

    /// <summary>A list has more entries than one call may carry.</summary>
    public const string TooMany = "TooMany";

    /// <summary>A text value has characters the service cannot accept (for example leading or trailing white space, or control characters).</summary>
    public const string InvalidText = "InvalidText";

    /// <summary>An input (for example a manifest line or row) could not be read as a lineage item: malformed JSON or CSV, an unknown property, a missing column.</summary>
    public const string Malformed = "Malformed";
}
