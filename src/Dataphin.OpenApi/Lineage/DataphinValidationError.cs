namespace Dataphin.OpenApi;

/// <summary>One violated rule in a request, found on the client before anything was sent.</summary>
public sealed class DataphinValidationError
{
    /// <summary>Creates a validation error.</summary>
    /// <param name="path">Where the problem is, e.g. <c>DetailedLineages[3].Source.Guid</c>.</param>
    /// <param name="rule">The rule's stable identifier, one of <see cref="DataphinValidationRules"/>.</param>
    /// <param name="message">A sentence for a person.</param>
    public DataphinValidationError(string path, string rule, string message)
    {
        Path = path ?? throw new ArgumentNullException(nameof(path));
        Rule = rule ?? throw new ArgumentNullException(nameof(rule));
        Message = message ?? throw new ArgumentNullException(nameof(message));
    }

    /// <summary>Where the problem is, e.g. <c>Source.Guid</c> or <c>DetailedLineages[3].Target.Name</c>.</summary>
    public string Path { get; }

    /// <summary>The rule's stable identifier, one of the <see cref="DataphinValidationRules"/> constants.</summary>
    public string Rule { get; }

    /// <summary>What is wrong, for a person.</summary>
    public string Message { get; }

    /// <summary>Returns <c>Path: Message [Rule]</c>.</summary>
    public override string ToString() => $"{Path}: {Message} [{Rule}]";
}
