namespace Dataphin.OpenApi;

/// <summary>Stable identifiers of the rules <see cref="DataphinValidationError.Rule"/> reports.</summary>
public static class DataphinValidationRules
{
    /// <summary>A required value is missing, empty or white space only.</summary>
    public const string Required = "Required";

    /// <summary>A number must be greater than zero.</summary>
    public const string Positive = "Positive";

    /// <summary>A value is set where the service does not allow it.</summary>
    public const string NotAllowed = "NotAllowed";

    /// <summary>A list has more entries than one call may carry.</summary>
    public const string TooMany = "TooMany";

    /// <summary>A text value has characters the service cannot accept (for example leading or trailing white space, or control characters).</summary>
    public const string InvalidText = "InvalidText";

    /// <summary>
    /// A text value is not valid UTF-16: it holds an unpaired surrogate (a lone high surrogate U+D800–U+DBFF or low
    /// surrogate U+DC00–U+DFFF). Such text has no UTF-8 form, so it cannot be sent as written (a JSON writer would
    /// silently replace it with U+FFFD).
    /// </summary>
    public const string InvalidUtf16 = "InvalidUtf16";

    /// <summary>
    /// A value of a service value set (<see cref="ReferenceType"/>, <see cref="MetadataType"/>,
    /// <see cref="MetadataSubType"/>, <see cref="DataphinEnvironment"/>) is blank, or is a case variant of a documented
    /// value (<c>table</c> for <c>TABLE</c>, <c>by_guid</c> for <c>BY_GUID</c>); the service's values are case-sensitive.
    /// </summary>
    public const string InvalidValue = "InvalidValue";

    /// <summary>
    /// A value is not one of the values of a closed value set: <see cref="ReferenceType"/> has exactly two,
    /// <c>BY_GUID</c> and <c>BY_PROPERTY</c>. (Open value sets such as <see cref="MetadataType"/> accept values the
    /// service adds later.)
    /// </summary>
    public const string UnknownValue = "UnknownValue";

    /// <summary>An input (for example a manifest line or row) could not be read as a lineage item: malformed JSON or CSV, an unknown or repeated property, a missing column, bytes that are not UTF-8.</summary>
    public const string Malformed = "Malformed";

    /// <summary>
    /// The request body, form-encoded, is larger than <see cref="DataphinClientOptions.MaxRequestBodyBytes"/> (10 MiB);
    /// split the call, or shorten its values.
    /// </summary>
    public const string TooLarge = "TooLarge";
}
