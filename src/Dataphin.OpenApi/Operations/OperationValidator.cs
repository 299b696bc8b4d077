using System.Collections;
using System.Globalization;

namespace Dataphin.OpenApi.Operations;

/// <summary>
/// Collects the violations of a generated request, all of them, with paths in wire names (<c>ListQuery.ProjectId</c>,
/// <c>MemberList[2].UserId</c>). A required value is missing when it is <see langword="null"/>, an empty string, or an
/// empty list or map (<see cref="DataphinValidationRules.Required"/>: "missing or empty").
/// </summary>
internal sealed class OperationValidator
{
    private List<DataphinValidationError>? _errors;

    /// <summary>The violations found so far; empty when the request is valid.</summary>
    public IReadOnlyList<DataphinValidationError> Errors => _errors ?? (IReadOnlyList<DataphinValidationError>)[];

    public void Add(DataphinValidationError error) => (_errors ??= []).Add(error);

    public bool Required<T>(T? value, string? parent, string name)
        where T : struct
    {
        if (value.HasValue)
        {
            return true;
        }

        Missing(Path(parent, name), "is required.");
        return false;
    }

    public bool Required(string? value, string? parent, string name)
    {
        if (!string.IsNullOrEmpty(value))
        {
            return true;
        }

        Missing(Path(parent, name), value is null ? "is required." : "is required and must not be empty.");
        return false;
    }

    /// <summary>An object, list, map or JSON value: missing when null, or when a list or map is empty.</summary>
    public bool Required(object? value, string? parent, string name)
    {
        switch (value)
        {
            case null:
                Missing(Path(parent, name), "is required.");
                return false;
            case ICollection { Count: 0 }:
                Missing(Path(parent, name), "is required and must not be empty.");
                return false;
            default:
                return true;
        }
    }

    /// <summary>Checks the required fields inside a nested object, when it is set.</summary>
    public void Check(IOperationModel? value, string? parent, string name) => value?.Validate(this, Path(parent, name));

    /// <summary>Checks every item of a list of objects: a null item is an error, the others are checked inside.</summary>
    public void CheckItems<T>(IEnumerable<T?>? items, string? parent, string name)
        where T : class, IOperationModel
    {
        if (items is null)
        {
            return;
        }

        var path = Path(parent, name);
        var index = 0;
        foreach (var item in items)
        {
            var itemPath = path + "[" + index.ToString(CultureInfo.InvariantCulture) + "]";
            if (item is null)
            {
                Add(new DataphinValidationError(itemPath, DataphinValidationRules.Required, $"{itemPath} is null; set it or leave it out of the list."));
            }
            else
            {
                item.Validate(this, itemPath);
            }

            index++;
        }
    }

    private static string Path(string? parent, string name) => parent is null ? name : parent + "." + name;

    private void Missing(string path, string rest)
        => Add(new DataphinValidationError(path, DataphinValidationRules.Required, path + " " + rest));
}
