using System.Text.Json;
using System.Text.Json.Nodes;

namespace Dataphin.OpenApi;

/// <summary>
/// Checks lineage commands against every documented rule of AddRegisterLineage / DeleteRegisterLineage,
/// reporting all violations at once. <see cref="DataphinClient"/> runs it before any network call; call it
/// yourself to check commands early (for example when reading a manifest).
/// </summary>
/// <remarks>
/// Value sets: <see cref="ReferenceType"/> is closed (exactly <c>BY_GUID</c> and <c>BY_PROPERTY</c>, the documented
/// enumeration); <see cref="MetadataType"/>, <see cref="MetadataSubType"/> and <see cref="DataphinEnvironment"/> are
/// open (the documentation gives examples, not an enumeration), so an unknown value is sent as written, but a blank,
/// padded or case-variant form of a documented value is reported. Every string (names, GUIDs, value-set values,
/// <c>UserId</c>, and the keys and string values of <c>ExtProperties</c> and <c>RelationProperties</c>) must be valid
/// UTF-16: an unpaired surrogate is reported, never sent as U+FFFD.
/// </remarks>
public static class LineageCommandValidator
{
    private const int MaxEchoedLength = 64;

    private static readonly string[] ReferenceTypes = Texts(ReferenceType.KnownValues);
    private static readonly string[] MetadataTypes = Texts(MetadataType.KnownValues);
    private static readonly string[] MetadataSubTypes = Texts(MetadataSubType.KnownValues);
    private static readonly string[] Environments = Texts(DataphinEnvironment.KnownValues);

    /// <summary>Returns every violation in <paramref name="command"/>; an empty list when it is valid.</summary>
    /// <param name="opTenantId">The tenant the call is for (<c>OpTenantId</c>); must be positive.</param>
    /// <param name="command">The command to check.</param>
    /// <exception cref="ArgumentNullException"><paramref name="command"/> is null.</exception>
    public static IReadOnlyList<DataphinValidationError> Validate(long opTenantId, LineageCommand command)
    {
        if (command is null)
        {
            throw new ArgumentNullException(nameof(command));
        }

        var errors = new List<DataphinValidationError>();
        if (opTenantId <= 0)
        {
            errors.Add(new("OpTenantId", DataphinValidationRules.Positive, $"OpTenantId must be a positive tenant id (the tenantId in the Dataphin URL); it was {opTenantId}."));
        }

        ValidateCommand(command, errors);
        return errors;
    }

    /// <summary>Throws when <paramref name="command"/> breaks any rule.</summary>
    /// <param name="opTenantId">The tenant the call is for (<c>OpTenantId</c>); must be positive.</param>
    /// <param name="command">The command to check.</param>
    /// <exception cref="ArgumentNullException"><paramref name="command"/> is null.</exception>
    /// <exception cref="DataphinValidationException">The command breaks one or more rules; all are listed.</exception>
    public static void EnsureValid(long opTenantId, LineageCommand command)
    {
        var errors = Validate(opTenantId, command);
        if (errors.Count > 0)
        {
            throw new DataphinValidationException(command.OperationName, errors);
        }
    }

    internal static void ValidateCommand(LineageCommand command, List<DataphinValidationError> errors)
    {
        if (command.TenantId is { } tenantId && tenantId <= 0)
        {
            errors.Add(new("TenantId", DataphinValidationRules.Positive, $"TenantId, when set, must be a positive tenant id; it was {tenantId}."));
        }

        if (command.UserId is { } userId)
        {
            if (HasLoneSurrogate(userId))
            {
                errors.Add(new("UserId", DataphinValidationRules.InvalidUtf16, "UserId " + LoneSurrogateSentence));
            }
            else if (userId.Length == 0 || HasBadText(userId))
            {
                errors.Add(new("UserId", DataphinValidationRules.InvalidText, "UserId, when set, must be a non-empty id without leading or trailing white space or control characters."));
            }
        }

        ValidateReference(command.Source, new ReferencePath("Source"), errors);
        ValidateReference(command.Target, new ReferencePath("Target"), errors);

        var lineages = command.DetailedLineages;
        if (lineages is not null)
        {
            if (lineages.Count > LineageLimits.MaxFieldLineagesPerCall)
            {
                errors.Add(new(
                    "DetailedLineages",
                    DataphinValidationRules.TooMany,
                    $"DetailedLineages has {lineages.Count} entries; one call may carry at most {LineageLimits.MaxFieldLineagesPerCall} field lineages "
                    + $"(entries from DetailedLineages[{LineageLimits.MaxFieldLineagesPerCall}] on are over the limit). "
                    + "Split the command with SplitByFieldLineageLimit() and send each part."));
            }

            for (var i = 0; i < lineages.Count; i++)
            {
                var lineage = lineages[i];
                if (lineage is null)
                {
                    var path = $"DetailedLineages[{i}]";
                    errors.Add(new(path, DataphinValidationRules.Required, $"{path} is null; every field lineage needs a Source and a Target."));
                    continue;
                }

                ValidateReference(lineage.Source, new ReferencePath("Source", i), errors);
                ValidateReference(lineage.Target, new ReferencePath("Target", i), errors);
            }
        }

        if (command is AddRegisterLineageCommand { RelationProperties: { Count: > 0 } relation })
        {
            CheckMap(relation, "RelationProperties", errors);
        }
    }

    private static void ValidateReference(AssetReference? reference, ReferencePath path, List<DataphinValidationError> errors)
    {
        var isField = path.IsField;
        if (reference is null)
        {
            errors.Add(new(path.Text, DataphinValidationRules.Required, $"{path.Text} is required: the {(isField ? "field" : "table")} reference must be set."));
            return;
        }

        var referenceType = reference.ReferenceType.IsDefault ? null : reference.ReferenceType.ToString();
        CheckValue(referenceType, required: true, ReferenceTypes, closed: true, path, ".ReferenceType", null, errors);
        var metadataType = reference.MetadataType.IsDefault ? null : reference.MetadataType.ToString();
        CheckValue(metadataType, required: true, MetadataTypes, closed: false, path, ".MetadataType", isField ? "e.g. COLUMN" : "e.g. TABLE", errors);

        // The kind the caller meant, also when ReferenceType is a padded or case variant ("by_guid"): such a value is
        // reported above, and the GUID or name it requires is still checked, so that nothing is skipped.
        var intended = Intended(referenceType, ReferenceTypes);
        if (intended == "BY_GUID" && string.IsNullOrWhiteSpace(reference.Guid))
        {
            path.Add(errors, ".Guid", DataphinValidationRules.Required, "is required when ReferenceType is BY_GUID.");
        }
        else if (intended == "BY_PROPERTY" && string.IsNullOrWhiteSpace(reference.Name))
        {
            path.Add(errors, ".Name", DataphinValidationRules.Required, "is required when ReferenceType is BY_PROPERTY (Catalog, Schema and Env narrow it down).");
        }

        CheckOptionalText(reference.Guid, path, ".Guid", errors);
        CheckOptionalText(reference.Name, path, ".Name", errors);
        CheckOptionalText(reference.Schema, path, ".Schema", errors);
        CheckOptionalText(reference.Catalog, path, ".Catalog", errors);
        CheckOptionalText(reference.ParentGuid, path, ".ParentGuid", errors);
        // A default (unset) struct is written as null, which the service reads as absent: it counts as not given.
        if (reference.Env is { IsDefault: false } env)
        {
            CheckValue(env.ToString(), required: false, Environments, closed: false, path, ".Env", "DEV or PROD", errors);
        }

        if (reference.MetadataSubType is { IsDefault: false } subType)
        {
            var subTypeText = subType.ToString();
            if (isField)
            {
                path.Add(errors, ".MetadataSubType", DataphinValidationRules.NotAllowed, $"is not allowed on a field reference; it applies only to tables ({Echo(subTypeText)} was given).");
            }
            else if (Intended(metadataType, MetadataTypes) != "TABLE")
            {
                path.Add(errors, ".MetadataSubType", DataphinValidationRules.NotAllowed, $"is only allowed when MetadataType is TABLE (MetadataType is {Echo(metadataType ?? string.Empty)}).");
            }
            else if (intended == "BY_GUID")
            {
                path.Add(errors, ".MetadataSubType", DataphinValidationRules.NotAllowed, "is not allowed when ReferenceType is BY_GUID; the GUID already identifies the table.");
            }
            else
            {
                CheckValue(subTypeText, required: false, MetadataSubTypes, closed: false, path, ".MetadataSubType", "e.g. PHYSICAL_TABLE", errors);
            }
        }

        if (!isField && reference.ParentGuid is not null)
        {
            path.Add(errors, ".ParentGuid", DataphinValidationRules.NotAllowed, "is only allowed on field references inside DetailedLineages.");
        }

        if (reference.ExtProperties is { Count: > 0 } ext)
        {
            CheckMap(ext, path.Text + ".ExtProperties", errors);
        }
    }

    /// <summary>
    /// Checks a value-set value: missing or blank (Required when <paramref name="required"/>, otherwise
    /// InvalidValue), unpaired surrogates, padding or control characters, a case variant of a known value, and (for a
    /// closed set) a value outside it.
    /// </summary>
    private static void CheckValue(string? value, bool required, string[] known, bool closed, ReferencePath path, string member, string? hint, List<DataphinValidationError> errors)
    {
        // The common case first: a documented value, exactly as written, allocates nothing.
        if (value is not null && Array.IndexOf(known, value) >= 0)
        {
            return;
        }

        var expected = closed ? string.Join(" or ", known) : hint;
        if (value is null || (value.Length == 0 && required))
        {
            if (required)
            {
                path.Add(errors, member, DataphinValidationRules.Required, $"is required{(expected is null ? string.Empty : ": " + expected)}.");
            }

            return;
        }

        if (HasLoneSurrogate(value))
        {
            path.Add(errors, member, DataphinValidationRules.InvalidUtf16, LoneSurrogateSentence);
        }
        else if (string.IsNullOrWhiteSpace(value))
        {
            path.Add(errors, member, required ? DataphinValidationRules.Required : DataphinValidationRules.InvalidValue, required
                ? $"is required and is blank{(expected is null ? string.Empty : ": " + expected)}."
                : $"is blank; leave it unset or give a value{(expected is null ? string.Empty : " (" + expected + ")")}.");
        }
        else if (HasBadText(value))
        {
            var meant = Intended(value, known);
            path.Add(errors, member, DataphinValidationRules.InvalidText, "has leading or trailing white space or control characters; values are matched exactly, so fix the value rather than relying on trimming"
                + (meant is null ? "." : $" (write {meant})."));
        }
        else if (Array.IndexOf(known, value) < 0)
        {
            var meant = Intended(value, known);
            if (meant is not null)
            {
                path.Add(errors, member, DataphinValidationRules.InvalidValue, $"'{Shorten(value)}' is a case variant of {meant}; the service's values are case-sensitive: write {meant}.");
            }
            else if (closed)
            {
                path.Add(errors, member, DataphinValidationRules.UnknownValue, $"'{Shorten(value)}' is not a known value: it must be {expected}.");
            }
        }
    }

    /// <summary>The known value <paramref name="value"/> stands for once trimmed and compared without case, or <see langword="null"/>.</summary>
    private static string? Intended(string? value, string[] known)
    {
        if (value is null)
        {
            return null;
        }

        var trimmed = value.Trim();
        foreach (var candidate in known)
        {
            if (string.Equals(candidate, trimmed, StringComparison.OrdinalIgnoreCase))
            {
                return candidate;
            }
        }

        return null;
    }

    private static void CheckOptionalText(string? value, ReferencePath path, string member, List<DataphinValidationError> errors)
    {
        if (value is null || IsPlainText(value))
        {
            return;
        }

        if (HasLoneSurrogate(value))
        {
            path.Add(errors, member, DataphinValidationRules.InvalidUtf16, LoneSurrogateSentence);
        }
        else if (!string.IsNullOrWhiteSpace(value) && HasBadText(value))
        {
            path.Add(errors, member, DataphinValidationRules.InvalidText, "has leading or trailing white space or control characters; the service matches names exactly, so fix the value rather than relying on trimming.");
        }
    }

    /// <summary>Reports unpaired surrogates in the keys and string values of a free-form map (ExtProperties, RelationProperties), at any depth.</summary>
    private static void CheckMap(IDictionary<string, JsonNode?> map, string path, List<DataphinValidationError> errors)
    {
        foreach (var pair in map)
        {
            if (pair.Key is null || HasLoneSurrogate(pair.Key))
            {
                errors.Add(new(path, DataphinValidationRules.InvalidUtf16, $"{path} has a key that {LoneSurrogateSentence}"));
                continue;
            }

            CheckNode(pair.Value, new MapPath(path, pair.Key), errors);
        }
    }

    private static void CheckNode(JsonNode? node, MapPath path, List<DataphinValidationError> errors)
    {
        try
        {
            switch (node)
            {
                case JsonObject obj:
                    foreach (var pair in obj)
                    {
                        if (HasLoneSurrogate(pair.Key))
                        {
                            var text = path.Text;
                            errors.Add(new(text, DataphinValidationRules.InvalidUtf16, $"{text} has a key that {LoneSurrogateSentence}"));
                            continue;
                        }

                        CheckNode(pair.Value, new MapPath(path.Text, pair.Key), errors);
                    }

                    break;
                case JsonArray array:
                    for (var i = 0; i < array.Count; i++)
                    {
                        CheckNode(array[i], new MapPath(path.Text, i), errors);
                    }

                    break;
                case JsonValue value when value.GetValueKind() == JsonValueKind.String:
                    if (HasLoneSurrogate(value.GetValue<string>()))
                    {
                        var text = path.Text;
                        errors.Add(new(text, DataphinValidationRules.InvalidUtf16, $"{text} {LoneSurrogateSentence}"));
                    }

                    break;
            }
        }
        catch (InvalidOperationException)
        {
            // A node parsed from JSON text holding an escaped unpaired surrogate ("\ud800") cannot even be read as a string.
            var text = path.Text;
            errors.Add(new(text, DataphinValidationRules.InvalidUtf16, $"{text} {LoneSurrogateSentence}"));
        }
    }

    internal const string LoneSurrogateSentence = "has an unpaired UTF-16 surrogate (invalid UTF-16 text, which has no UTF-8 form and would be sent as U+FFFD); fix the text where it was produced.";

#if NET8_0_OR_GREATER
    // Surrogates and control characters (C0, DEL, C1): a string holding none of them needs no closer look.
    private static readonly System.Buffers.SearchValues<char> SuspectChars = System.Buffers.SearchValues.Create(Suspects());

    private static char[] Suspects()
    {
        var chars = new List<char>();
        for (var c = '\u0000'; c <= '\u001F'; c++)
        {
            chars.Add(c);
        }

        for (var c = '\u007F'; c <= '\u009F'; c++)
        {
            chars.Add(c);
        }

        for (var c = '\uD800'; c <= '\uDFFF'; c++)
        {
            chars.Add(c);
        }

        return chars.ToArray();
    }
#endif

    /// <summary>
    /// True when <paramref name="value"/> is non-empty, holds no surrogate and no control character, and neither starts
    /// nor ends with white space: text that passes every text rule (the common case, checked in one vectorized pass).
    /// </summary>
    private static bool IsPlainText(string value)
    {
        if (value.Length == 0 || char.IsWhiteSpace(value[0]) || char.IsWhiteSpace(value[value.Length - 1]))
        {
            return false;
        }

#if NET8_0_OR_GREATER
        return value.AsSpan().IndexOfAny(SuspectChars) < 0;
#else
        foreach (var c in value)
        {
            if (char.IsSurrogate(c) || char.IsControl(c))
            {
                return false;
            }
        }

        return true;
#endif
    }

    internal static bool HasLoneSurrogate(string value)
    {
#if NET8_0_OR_GREATER
        if (value.AsSpan().IndexOfAnyInRange('\uD800', '\uDFFF') < 0)
        {
            return false;
        }
#endif
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (char.IsHighSurrogate(c))
            {
                if (i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]))
                {
                    i++;
                    continue;
                }

                return true;
            }

            if (char.IsLowSurrogate(c))
            {
                return true;
            }
        }

        return false;
    }

    private static bool HasBadText(string value)
    {
        if (char.IsWhiteSpace(value[0]) || char.IsWhiteSpace(value[value.Length - 1]))
        {
            return true;
        }

        foreach (var c in value)
        {
            if (char.IsControl(c))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>A value quoted for a message when it is safe to show (valid, printable, short), otherwise described.</summary>
    private static string Echo(string value)
    {
        if (value.Length == 0)
        {
            return "empty";
        }

        return HasLoneSurrogate(value) || HasBadText(value) ? "a value with unprintable or surrounding characters" : $"'{Shorten(value)}'";
    }

    private static string Shorten(string value)
        => value.Length <= MaxEchoedLength ? value : value.Substring(0, char.IsHighSurrogate(value[MaxEchoedLength - 1]) ? MaxEchoedLength - 1 : MaxEchoedLength) + "...";

    private static string[] Texts<T>(IReadOnlyList<T> values)
    {
        var texts = new string[values.Count];
        for (var i = 0; i < texts.Length; i++)
        {
            texts[i] = values[i]!.ToString()!;
        }

        return texts;
    }

    /// <summary>The path of a map entry (<c>RelationProperties.key</c>, <c>...[2]</c>), turned into text only when it is needed.</summary>
    private readonly struct MapPath
    {
        private readonly string _parent;
        private readonly string? _key;
        private readonly int _index;

        public MapPath(string parent, string key)
        {
            _parent = parent;
            _key = key;
            _index = -1;
        }

        public MapPath(string parent, int index)
        {
            _parent = parent;
            _key = null;
            _index = index;
        }

        public string Text => _key is not null ? _parent + "." + _key : $"{_parent}[{_index}]";
    }

    /// <summary>The path of a reference, turned into text only when a violation is reported (valid commands allocate no paths).</summary>
    private readonly struct ReferencePath(string side, int fieldLineageIndex = -1)
    {
        public bool IsField => fieldLineageIndex >= 0;

        public string Text => IsField ? $"DetailedLineages[{fieldLineageIndex}].{side}" : side;

        public void Add(List<DataphinValidationError> errors, string member, string rule, string sentence)
        {
            var path = Text + member;
            errors.Add(new(path, rule, path + " " + sentence));
        }
    }
}
