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

    private static void ValidateCommand(LineageCommand command, List<DataphinValidationError> errors)
    {
        if (command.TenantId is { } tenantId && tenantId <= 0)
        {
            errors.Add(new("TenantId", DataphinValidationRules.Positive, $"TenantId, when set, must be a positive tenant id; it was {tenantId}."));
        }

        if (command.UserId is { } userId && (userId.Length == 0 || HasBadText(userId)))
        {
            errors.Add(new("UserId", DataphinValidationRules.InvalidText, "UserId, when set, must be a non-empty id without leading or trailing white space or control characters."));
        }

        ValidateReference(command.Source, "Source", isField: false, errors);
        ValidateReference(command.Target, "Target", isField: false, errors);

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
            var path = $"DetailedLineages[{i}]";
            var lineage = lineages[i];
            if (lineage is null)
            {
                errors.Add(new(path, DataphinValidationRules.Required, $"{path} is null; every field lineage needs a Source and a Target."));
                continue;
            }

            ValidateReference(lineage.Source, path + ".Source", isField: true, errors);
            ValidateReference(lineage.Target, path + ".Target", isField: true, errors);
        }
    }

    private static void ValidateReference(AssetReference? reference, string path, bool isField, List<DataphinValidationError> errors)
    {
        var what = isField ? "field reference" : "table reference";
        if (reference is null)
        {
            errors.Add(new(path, DataphinValidationRules.Required, $"{path} is required: the {what} must be set."));
            return;
        }

        var referenceType = reference.ReferenceType;
        if (referenceType.IsDefault || referenceType.ToString().Length == 0)
        {
            errors.Add(new(path + ".ReferenceType", DataphinValidationRules.Required, $"{path}.ReferenceType is required: BY_GUID or BY_PROPERTY."));
        }

        if (reference.MetadataType.IsDefault || reference.MetadataType.ToString().Length == 0)
        {
            errors.Add(new(path + ".MetadataType", DataphinValidationRules.Required, $"{path}.MetadataType is required, e.g. {(isField ? "COLUMN" : "TABLE")}."));
        }

        if (referenceType == ReferenceType.ByGuid)
        {
            RequireText(reference.Guid, path + ".Guid", "Guid is required when ReferenceType is BY_GUID", errors);
        }
        else if (referenceType == ReferenceType.ByProperty)
        {
            RequireText(reference.Name, path + ".Name", "Name is required when ReferenceType is BY_PROPERTY (Catalog, Schema and Env narrow it down)", errors);
        }

        CheckOptionalText(reference.Guid, path + ".Guid", errors);
        CheckOptionalText(reference.Name, path + ".Name", errors);
        CheckOptionalText(reference.Schema, path + ".Schema", errors);
        CheckOptionalText(reference.Catalog, path + ".Catalog", errors);
        CheckOptionalText(reference.ParentGuid, path + ".ParentGuid", errors);

        if (reference.MetadataSubType is { } subType)
        {
            if (isField)
            {
                errors.Add(new(path + ".MetadataSubType", DataphinValidationRules.NotAllowed, $"{path}.MetadataSubType is not allowed on a field reference; it applies only to tables ('{subType}' was given)."));
            }
            else if (reference.MetadataType != MetadataType.Table)
            {
                errors.Add(new(path + ".MetadataSubType", DataphinValidationRules.NotAllowed, $"{path}.MetadataSubType is only allowed when MetadataType is TABLE (MetadataType is '{reference.MetadataType}')."));
            }
            else if (referenceType == ReferenceType.ByGuid)
            {
                errors.Add(new(path + ".MetadataSubType", DataphinValidationRules.NotAllowed, $"{path}.MetadataSubType is not allowed when ReferenceType is BY_GUID; the GUID already identifies the table."));
            }
        }

        if (!isField && reference.ParentGuid is not null)
        {
            errors.Add(new(path + ".ParentGuid", DataphinValidationRules.NotAllowed, $"{path}.ParentGuid is only allowed on field references inside DetailedLineages."));
        }
    }

    private static void RequireText(string? value, string path, string rule, List<DataphinValidationError> errors)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            errors.Add(new(path, DataphinValidationRules.Required, $"{path}: {rule}."));
        }
    }

    private static void CheckOptionalText(string? value, string path, List<DataphinValidationError> errors)
    {
        if (!string.IsNullOrWhiteSpace(value) && HasBadText(value!))
        {
            errors.Add(new(path, DataphinValidationRules.InvalidText, $"{path} has leading or trailing white space or control characters; the service matches names exactly, so fix the value rather than relying on trimming."));
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
}
