using Dataphin.OpenApi.Internal;

namespace Dataphin.OpenApi.Bulk;

/// <summary>
/// One input of a bulk run: a lineage command (register or delete one table pair) with the identity results are
/// reported under, or an input that could not be read (a bad manifest line), which the run reports as skipped.
/// </summary>
/// <example>
/// <code>
/// var item = new LineageItem("orders", new AddRegisterLineageCommand(source, target));
/// </code>
/// </example>
public sealed class LineageItem
{
    private static readonly IReadOnlyList<DataphinValidationError> NoErrors = Array.Empty<DataphinValidationError>();

    /// <summary>Creates an item for <paramref name="command"/>.</summary>
    /// <param name="id">The identity results are reported under: a key of yours, or where the item was read from.</param>
    /// <param name="command">The register (<see cref="AddRegisterLineageCommand"/>) or delete (<see cref="DeleteRegisterLineageCommand"/>) command.</param>
    /// <param name="lineNumber">The 1-based line of the manifest the item starts on, when it was read from one.</param>
    /// <exception cref="ArgumentException"><paramref name="id"/> is null, empty or white space.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="command"/> is null.</exception>
    public LineageItem(string id, LineageCommand command, int? lineNumber = null)
    {
        Id = Guard.NotNullOrWhiteSpace(id, nameof(id));
        Command = Guard.NotNull(command, nameof(command));
        LineNumber = lineNumber;
        ReadErrors = NoErrors;
    }

    private LineageItem(string id, int? lineNumber, IReadOnlyList<DataphinValidationError> readErrors)
    {
        Id = id;
        LineNumber = lineNumber;
        ReadErrors = readErrors;
    }

    /// <summary>The identity results are reported under.</summary>
    public string Id { get; }

    /// <summary>The 1-based manifest line the item starts on, or <see langword="null"/> when it was not read from a file.</summary>
    public int? LineNumber { get; }

    /// <summary>The command, or <see langword="null"/> when the input could not be read (see <see cref="ReadErrors"/>).</summary>
    public LineageCommand? Command { get; }

    /// <summary>Why the input could not be read; empty when <see cref="Command"/> is set.</summary>
    public IReadOnlyList<DataphinValidationError> ReadErrors { get; }

    /// <summary>
    /// Properties of the manifest item that were read but ignored, because they do not apply to the operation: a
    /// delete manifest may be the add manifest the lineage was registered from, and a delete has no use for the
    /// add-only <c>CheckAssetExist</c> and <c>RelationProperties</c>. Empty otherwise.
    /// </summary>
    public IReadOnlyList<string> IgnoredProperties { get; private set; } = Array.Empty<string>();

    /// <summary>Creates an item standing for input that could not be read, so that a run reports it instead of losing it.</summary>
    /// <param name="id">The identity, e.g. <c>line 12</c>.</param>
    /// <param name="lineNumber">The 1-based line of the bad input, if known.</param>
    /// <param name="errors">What is wrong; at least one.</param>
    /// <returns>The item.</returns>
    /// <exception cref="ArgumentException"><paramref name="id"/> is empty, or <paramref name="errors"/> is empty.</exception>
    public static LineageItem Unreadable(string id, int? lineNumber, IReadOnlyList<DataphinValidationError> errors)
    {
        Guard.NotNullOrWhiteSpace(id, nameof(id));
        if (errors is null || errors.Count == 0)
        {
            throw new ArgumentException("At least one error is required.", nameof(errors));
        }

        return new LineageItem(id, lineNumber, errors);
    }

    /// <summary>Wraps commands as items numbered <c>#1</c>, <c>#2</c>, ... in the order given.</summary>
    /// <param name="commands">The commands.</param>
    /// <returns>The items, produced lazily.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="commands"/> is null.</exception>
    public static IEnumerable<LineageItem> FromCommands(IEnumerable<LineageCommand> commands)
    {
        Guard.NotNull(commands, nameof(commands));
        return Number(commands);

        static IEnumerable<LineageItem> Number(IEnumerable<LineageCommand> commands)
        {
            var index = 0;
            foreach (var command in commands)
            {
                index++;
                yield return new LineageItem("#" + index.ToString(System.Globalization.CultureInfo.InvariantCulture), command);
            }
        }
    }

    internal LineageItem WithIgnoredProperties(IReadOnlyList<string> names)
    {
        IgnoredProperties = names;
        return this;
    }

    /// <inheritdoc />
    public override string ToString() => Command is null ? $"{Id} (unreadable)" : $"{Id}: {Command}";
}
