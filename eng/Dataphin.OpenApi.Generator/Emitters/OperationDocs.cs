using System.Globalization;
using System.Text;
using Dataphin.OpenApi.Generator.CSharp;
using Dataphin.OpenApi.Generator.Model;

namespace Dataphin.OpenApi.Generator.Emitters;

/// <summary>The XML doc texts of the generated models and methods, from what <c>operations.json</c> says (it has no prose).</summary>
internal static class OperationDocs
{
    private const int MaxExampleLength = 80;

    private const int MaxValues = 12;

    /// <summary><c>Data development › Batch task</c>, or the section alone when it has one group named like it.</summary>
    public static string Where(OperationShape operation)
    {
        var placement = operation.Placement;
        return placement.Group == placement.Section ? X(placement.Section) : $"{X(placement.Section)} › {X(placement.Group)}";
    }

    public static string Edition(ApiEdition edition) => edition switch
    {
        ApiEdition.Agile => "Agile R&amp;D",
        ApiEdition.Basic => "Basic R&amp;D",
        _ => "Intelligent R&amp;D",
    };

    public static bool IsRetrySafe(OperationModel operation) => operation.IsReadOnly || OperationCatalogEmitter.IdempotentWrites.Contains(operation.Name);

    /// <summary>The facts of the catalog for a method's remarks: level, edition, read-only, retries, deprecation, placement.</summary>
    public static string Facts(OperationShape shape)
    {
        var operation = shape.Operation;
        var text = new StringBuilder();
        text.Append(operation.Level is { } level
            ? $"Throttling level {level.ToString(CultureInfo.InvariantCulture)}"
            : "Not in the throttling table, so paced as throttling level 3 (the strictest)");
        text.Append(operation.MinimumEdition is { } edition
            ? $"; needs the {Edition(edition)} edition or higher (a lower <see cref=\"global::Dataphin.OpenApi.DataphinClientOptions.Edition\"/> fails before sending)"
            : "; minimum edition not documented (not gated)");
        text.Append(operation.IsReadOnly
            ? "; read-only, so resent after a server error, a timeout or a broken connection."
            : IsRetrySafe(operation)
                ? "; a write that is idempotent by nature, so resent after a server error, a timeout or a broken connection."
                : "; a write, so not resent when its outcome is unknown (throttled attempts are retried).");
        if (operation.SinceDataphinVersion is { } since)
        {
            text.Append($" Since Dataphin {X(since)}.");
        }

        if (operation.DeprecatedSinceDataphinVersion is { } deprecated)
        {
            text.Append($" Deprecated since Dataphin {X(deprecated)}{(operation.ReplacedBy is { } replacement ? $"; use <c>{X(replacement)}</c>" : string.Empty)}.");
        }

        if (shape.Placement.Family is { } family)
        {
            text.Append($" The seed documents no section for it; it is placed here with the {X(family.Description)}.");
        }

        return text.ToString();
    }

    /// <summary>A property's summary: wire name and type, how it travels, whether required, example and known values.</summary>
    public static string Property(PropertyShape property, ModelSide side)
    {
        var field = property.Field;
        var text = new StringBuilder();
        text.Append($"<c>{X(field.Name)}</c> ({X(field.Type.Text)}).");
        if (property.Type.Widened)
        {
            text.Append(" Typed <c>long</c>: the documented example does not fit 32 bits.");
        }

        text.Append(property.Location switch
        {
            WireLocation.Query => " Sent in the query string.",
            WireLocation.FormJson => " Sent as compact JSON in the form field of this name.",
            WireLocation.FormText => " Sent as a form field.",
            _ => string.Empty,
        });
        if (field.Required)
        {
            text.Append(side == ModelSide.Request ? " Required." : " Documented as always present.");
        }

        if (field.Deprecated)
        {
            text.Append(" Deprecated.");
        }

        if (Example(field.Example) is { } example)
        {
            text.Append($" Example: <c>{example}</c>.");
        }

        if (field.Enum is { Count: > 0 } values)
        {
            text.Append(" One of ").Append(Values(values)).Append('.');
        }
        else if (field.ExampleValues is { Count: > 0 } examples)
        {
            text.Append(" Documented values: ").Append(Values(examples)).Append('.');
        }

        return text.ToString();
    }

    /// <summary>The <c>param</c> documentation of a generated request parameter (optional or not).</summary>
    public static string RequestParam(OperationShape operation) => operation.RequestIsOptional
        ? "<param name=\"request\">The parameters, all optional; <see langword=\"null\"/> sends none.</param>"
        : "<param name=\"request\">The parameters.</param>";

    /// <summary>What a generated method's remarks say of its required parameters.</summary>
    public static string RequiredParameters(OperationShape operation) => operation.RequiredPaths.Count == 0
        ? "No parameter is required besides the tenant."
        : "Required: " + string.Join(", ", operation.RequiredPaths.Select(p => $"<c>{X(p)}</c>")) + ". A missing one is reported before sending, all at once.";

    /// <summary>
    /// Writes the exceptions every generated operation method documents (the same for the client's methods and the
    /// Refit interface), then the method's <c>Obsolete</c> attribute when the operation is deprecated.
    /// </summary>
    public static void WriteExceptionsAndDeprecation(CodeWriter code, OperationShape operation)
    {
        code.Line("/// <exception cref=\"global::Dataphin.OpenApi.DataphinValidationException\">The tenant id is not positive or a required parameter is missing; nothing was sent.</exception>")
            .Line("/// <exception cref=\"global::Dataphin.OpenApi.DataphinEditionException\">The operation needs a higher edition than <see cref=\"global::Dataphin.OpenApi.DataphinClientOptions.Edition\"/>; nothing was sent.</exception>")
            .Line("/// <exception cref=\"global::Dataphin.OpenApi.DataphinRequestException\">The service answered with an error (throttling, authentication and permission errors are subclasses), or with a body that does not fit the response type.</exception>")
            .Line("/// <exception cref=\"global::Dataphin.OpenApi.DataphinTimeoutException\">An attempt or the whole call ran out of time.</exception>")
            .Line("/// <exception cref=\"global::Dataphin.OpenApi.DataphinCircuitOpenException\">Recent calls of this throttling level failed with server errors; nothing was sent.</exception>")
            .Line("/// <exception cref=\"global::System.OperationCanceledException\"><paramref name=\"cancellationToken\"/> was cancelled.</exception>");
        if (operation.Operation.DeprecatedSinceDataphinVersion is { } deprecated)
        {
            var replacement = operation.Operation.ReplacedBy is { } replacedBy ? $"; use {replacedBy}" : string.Empty;
            code.Line($"[global::System.Obsolete({CodeWriter.Literal($"Deprecated since Dataphin {deprecated}{replacement}.")})]");
        }
    }

    /// <summary>Text for inside an XML doc element.</summary>
    public static string X(string text) => CodeWriter.XmlText(text);

    private static string Values(IReadOnlyList<string> values)
    {
        var shown = values.Take(MaxValues).Select(v => $"<c>{Example(v) ?? "(empty)"}</c>");
        return string.Join(", ", shown) + (values.Count > MaxValues ? $" and {(values.Count - MaxValues).ToString(CultureInfo.InvariantCulture)} more" : string.Empty);
    }

    /// <summary>An example on one line, shortened, escaped; <see langword="null"/> when there is none.</summary>
    private static string? Example(string? example)
    {
        if (string.IsNullOrEmpty(example))
        {
            return null;
        }

        var line = new StringBuilder(example.Length);
        foreach (var c in example)
        {
            line.Append(char.IsControl(c) || char.IsWhiteSpace(c) ? ' ' : c);
        }

        var text = line.ToString().Trim();
        if (text.Length > MaxExampleLength)
        {
            var cut = MaxExampleLength;
            if (char.IsHighSurrogate(text[cut - 1]))
            {
                cut--;
            }

            text = text[..cut] + "…";
        }

        return text.Length == 0 ? null : X(text);
    }
}
