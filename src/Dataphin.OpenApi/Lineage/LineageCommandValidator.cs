namespace Dataphin.OpenApi;

/// <summary>
/// Checks lineage commands against every documented rule of AddRegisterLineage / DeleteRegisterLineage,
/// reporting all violations at once. <see cref="DataphinClient"/> runs it before any network call; call it
/// yourself to check commands early (for example when reading a manifest).
/// </summary>
public static class LineageCommandValidator
{
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

        if (command.UserId is { } userId && (userId.Length == 0 || HasBadText(userId)))
        {
            errors.Add(new("UserId", DataphinValidationRules.InvalidText, "UserId, when set, must be a non-empty id without leading or trailing white space or control characters."));
        }

        ValidateReference(command.Source, new ReferencePath("Source"), errors);
        ValidateReference(command.Target, new ReferencePath("Target"), errors);

        var lineages = command.DetailedLineages;
        if (lineages is null)
        {
            return;
        }

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

    private static void ValidateReference(AssetReference? reference, ReferencePath path, List<DataphinValidationError> errors)
    {
        var isField = path.IsField;
        if (reference is null)
        {
            errors.Add(new(path.Text, DataphinValidationRules.Required, $"{path.Text} is required: the {(isField ? "field" : "table")} reference must be set."));
            return;
        }

        var referenceType = reference.ReferenceType;
        if (referenceType.IsDefault || referenceType.ToString().Length == 0)
        {
            path.Add(errors, ".ReferenceType", DataphinValidationRules.Required, "is required: BY_GUID or BY_PROPERTY.");
        }

        if (reference.MetadataType.IsDefault || reference.MetadataType.ToString().Length == 0)
        {
            path.Add(errors, ".MetadataType", DataphinValidationRules.Required, $"is required, e.g. {(isField ? "COLUMN" : "TABLE")}.");
        }

        if (referenceType == ReferenceType.ByGuid && string.IsNullOrWhiteSpace(reference.Guid))
        {
            path.Add(errors, ".Guid", DataphinValidationRules.Required, "is required when ReferenceType is BY_GUID.");
        }
        else if (referenceType == ReferenceType.ByProperty && string.IsNullOrWhiteSpace(reference.Name))
        {
            path.Add(errors, ".Name", DataphinValidationRules.Required, "is required when ReferenceType is BY_PROPERTY (Catalog, Schema and Env narrow it down).");
        }

        CheckOptionalText(reference.Guid, path, ".Guid", errors);
        CheckOptionalText(reference.Name, path, ".Name", errors);
        CheckOptionalText(reference.Schema, path, ".Schema", errors);
        CheckOptionalText(reference.Catalog, path, ".Catalog", errors);
        CheckOptionalText(reference.ParentGuid, path, ".ParentGuid", errors);

        if (reference.MetadataSubType is { } subType)
        {
            if (isField)
            {
                path.Add(errors, ".MetadataSubType", DataphinValidationRules.NotAllowed, $"is not allowed on a field reference; it applies only to tables ('{subType}' was given).");
            }
            else if (reference.MetadataType != MetadataType.Table)
            {
                path.Add(errors, ".MetadataSubType", DataphinValidationRules.NotAllowed, $"is only allowed when MetadataType is TABLE (MetadataType is '{reference.MetadataType}').");
            }
            else if (referenceType == ReferenceType.ByGuid)
            {
                path.Add(errors, ".MetadataSubType", DataphinValidationRules.NotAllowed, "is not allowed when ReferenceType is BY_GUID; the GUID already identifies the table.");
            }
        }

        if (!isField && reference.ParentGuid is not null)
        {
            path.Add(errors, ".ParentGuid", DataphinValidationRules.NotAllowed, "is only allowed on field references inside DetailedLineages.");
        }
    }

    private static void CheckOptionalText(string? value, ReferencePath path, string member, List<DataphinValidationError> errors)
    {
        if (!string.IsNullOrWhiteSpace(value) && HasBadText(value!))
        {
            path.Add(errors, member, DataphinValidationRules.InvalidText, "has leading or trailing white space or control characters; the service matches names exactly, so fix the value rather than relying on trimming.");
        }
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
