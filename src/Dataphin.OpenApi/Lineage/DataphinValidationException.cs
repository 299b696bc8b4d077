using System.Text;

namespace Dataphin.OpenApi;

/// <summary>
/// A request broke one or more documented rules and was not sent. <see cref="Errors"/> lists every violation,
/// each with the path of the offending value and the rule it broke.
/// </summary>
public sealed class DataphinValidationException : ArgumentException
{
    /// <summary>Creates the exception from the violations found.</summary>
    /// <param name="operationName">The operation the request was for.</param>
    /// <param name="errors">Every violation; at least one.</param>
    public DataphinValidationException(string operationName, IReadOnlyList<DataphinValidationError> errors)
        : base(BuildMessage(operationName, errors))
    {
        OperationName = operationName;
        Errors = errors;
    }

    /// <summary>The operation the request was for, e.g. <c>AddRegisterLineage</c>.</summary>
    public string OperationName { get; }

    /// <summary>Every violation, in the order of the request's fields.</summary>
    public IReadOnlyList<DataphinValidationError> Errors { get; }

    private static string BuildMessage(string operationName, IReadOnlyList<DataphinValidationError> errors)
    {
        if (errors is null || errors.Count == 0)
        {
            throw new ArgumentException("At least one validation error is required.", nameof(errors));
        }

        var text = new StringBuilder();
        text.Append(operationName).Append(" request is invalid (")
            .Append(errors.Count).Append(errors.Count == 1 ? " problem" : " problems").Append("); nothing was sent.");
        foreach (var error in errors)
        {
            text.Append(Environment.NewLine).Append(" - ").Append(error.ToString());
        }

        return text.ToString();
    }
}
