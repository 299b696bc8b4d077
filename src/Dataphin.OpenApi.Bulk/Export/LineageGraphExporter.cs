using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Dataphin.OpenApi.Internal;
using Dataphin.OpenApi.Serialization;

namespace Dataphin.OpenApi.Bulk;

/// <summary>
/// Writes a <see cref="LineageGraph"/> as a Mermaid flowchart, Graphviz DOT, JSON or CSV. In a plan's graph the
/// pairs are colored by what the plan does: additions green, updates blue, deletions red (dashed), drift orange,
/// unchanged grey, unmanaged grey (dotted); the edge labels say it in words too. Table and field names are escaped
/// for each format (quotes, backslashes, line breaks, brackets, markup); the nodes' identifiers are never names.
/// </summary>
public static class LineageGraphExporter
{
    private const int FieldLinesShown = 5;
    private static readonly JsonWriterOptions JsonOptions = new() { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Writes <paramref name="graph"/> in <paramref name="format"/> to <paramref name="writer"/>.</summary>
    /// <param name="graph">The graph.</param>
    /// <param name="format">The format.</param>
    /// <param name="writer">Where the text goes.</param>
    /// <exception cref="ArgumentNullException"><paramref name="graph"/> or <paramref name="writer"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="format"/> is not a <see cref="LineageGraphFormat"/>.</exception>
    public static void Write(LineageGraph graph, LineageGraphFormat format, TextWriter writer)
    {
        Guard.NotNull(writer, nameof(writer));
        writer.Write(Export(graph, format));
    }

    /// <summary>Returns <paramref name="graph"/> as text in <paramref name="format"/>.</summary>
    /// <param name="graph">The graph.</param>
    /// <param name="format">The format.</param>
    /// <returns>The text, ending with a line break.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="graph"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="format"/> is not a <see cref="LineageGraphFormat"/>.</exception>
    public static string Export(LineageGraph graph, LineageGraphFormat format)
    {
        Guard.NotNull(graph, nameof(graph));
        return format switch
        {
            LineageGraphFormat.Mermaid => Mermaid(graph),
            LineageGraphFormat.Dot => Dot(graph),
            LineageGraphFormat.Json => Json(graph),
            LineageGraphFormat.Csv => Csv(graph),
            _ => throw new ArgumentOutOfRangeException(nameof(format), format, "The format must be Mermaid, Dot, Json or Csv."),
        };
    }

    /// <summary>A DOT double-quoted string's content: backslashes and quotes escaped, <c>&amp;</c> as <c>&amp;amp;</c> (Graphviz reads entities), line breaks as DOT's <c>\n</c>, other control characters shown as <c>\uXXXX</c>.</summary>
    internal static string EscapeDot(string text)
    {
        var result = new StringBuilder(text.Length + 8);
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            switch (c)
            {
                case '\\':
                    result.Append("\\\\");
                    break;
                case '"':
                    result.Append("\\\"");
                    break;
                case '&':
                    // Graphviz reads HTML entities (&amp; &#35; …) in every label, quoted or not.
                    result.Append("&amp;");
                    break;
                case '\n':
                    result.Append("\\n");
                    break;
                default:
                    if (Visible(text, ref i, result, "\\\\u"))
                    {
                        result.Append(c);
                    }

                    break;
            }
        }

        return result.ToString();
    }

    /// <summary>
    /// A Mermaid double-quoted label's content: quotes, <c>#</c>, <c>&amp;</c>, <c>&lt;</c>, <c>&gt;</c> and backticks
    /// as Mermaid entity codes (<c>#34;</c> …), line breaks as <c>&lt;br&gt;</c>, other control characters shown as <c>\uXXXX</c>.
    /// </summary>
    internal static string EscapeMermaid(string text)
    {
        var result = new StringBuilder(text.Length + 8);
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            switch (c)
            {
                case '"' or '#' or '&' or '<' or '>' or '`':
                    result.Append('#').Append(((int)c).ToString(CultureInfo.InvariantCulture)).Append(';');
                    break;
                case '\n':
                    result.Append("<br>");
                    break;
                default:
                    if (Visible(text, ref i, result, "\\u"))
                    {
                        result.Append(c);
                    }

                    break;
            }
        }

        return result.ToString();
    }

    /// <summary>A CSV cell (RFC 4180): quoted, with quotes doubled, when it holds a comma, quote, line break or leading or trailing space.</summary>
    internal static string EscapeCsv(string text)
        => text.IndexOfAny(['"', ',', '\n', '\r']) >= 0 || (text.Length > 0 && (char.IsWhiteSpace(text[0]) || char.IsWhiteSpace(text[text.Length - 1])))
            ? "\"" + text.Replace("\"", "\"\"") + "\""
            : text;

    /// <summary>
    /// Whether <paramref name="text"/>[<paramref name="i"/>] may be written as it is; otherwise (a control character
    /// or half a surrogate pair) writes it as <paramref name="prefix"/> and four hex digits. A whole surrogate pair is
    /// written here and <paramref name="i"/> moved past it.
    /// </summary>
    private static bool Visible(string text, ref int i, StringBuilder result, string prefix)
    {
        var c = text[i];
        if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
        {
            result.Append(c).Append(text[i + 1]);
            i++;
            return false;
        }

        if (char.IsControl(c) || char.IsSurrogate(c) || c is '\u2028' or '\u2029')
        {
            result.Append(prefix).Append(((int)c).ToString("X4", CultureInfo.InvariantCulture));
            return false;
        }

        return true;
    }

    private static string Mermaid(LineageGraph graph)
    {
        var text = new StringBuilder();
        if (graph.IsPlan)
        {
            text.Append("---\ntitle: \"").Append(Summary(graph)).Append("\"\n---\n");
        }

        text.Append("flowchart LR\n");
        foreach (var node in graph.Nodes)
        {
            text.Append("  ").Append(node.Id).Append("[\"").Append(EscapeMermaid(node.Label)).Append("\"]\n");
        }

        var styles = new Dictionary<string, List<int>>(StringComparer.Ordinal);
        for (var i = 0; i < graph.Edges.Count; i++)
        {
            var edge = graph.Edges[i];
            var arrow = edge.Change switch
            {
                LineageGraphChange.Add => "==>",
                LineageGraphChange.Delete or LineageGraphChange.Unmanaged => "-.->",
                _ => "-->",
            };
            text.Append("  ").Append(edge.Source.Id).Append(' ').Append(arrow);
            var lines = EdgeLines(edge);
            if (lines.Count > 0)
            {
                text.Append("|\"").Append(string.Join("<br>", lines.Select(EscapeMermaid))).Append("\"|");
            }

            text.Append(' ').Append(edge.Target.Id).Append('\n');
            if (edge.Change is { } change)
            {
                var style = $"stroke:{Color(change)},stroke-width:{(change is LineageGraphChange.Unchanged or LineageGraphChange.Unmanaged ? 1 : 2)}px,color:{Color(change)}";
                if (!styles.TryGetValue(style, out var indices))
                {
                    styles[style] = indices = new List<int>();
                }

                indices.Add(i);
            }
        }

        foreach (var style in styles)
        {
            text.Append("  linkStyle ").Append(string.Join(",", style.Value.Select(i => i.ToString(CultureInfo.InvariantCulture)))).Append(' ').Append(style.Key).Append('\n');
        }

        return text.ToString();
    }

    private static string Dot(LineageGraph graph)
    {
        var text = new StringBuilder();
        text.Append("digraph lineage {\n");
        text.Append("  graph [rankdir=LR, fontname=\"Helvetica\"");
        if (graph.IsPlan)
        {
            text.Append(", labelloc=t, label=\"").Append(EscapeDot(Summary(graph))).Append('"');
        }

        text.Append("];\n");
        text.Append("  node [shape=box, style=rounded, fontname=\"Helvetica\"];\n");
        text.Append("  edge [fontname=\"Helvetica\", fontsize=10];\n");
        foreach (var node in graph.Nodes)
        {
            text.Append("  ").Append(node.Id).Append(" [label=\"").Append(EscapeDot(node.Label)).Append("\"];\n");
        }

        foreach (var edge in graph.Edges)
        {
            var attributes = new List<string>();
            var lines = EdgeLines(edge);
            if (lines.Count > 0)
            {
                attributes.Add("label=\"" + string.Join("\\n", lines.Select(EscapeDot)) + "\"");
            }

            if (edge.Change is { } change)
            {
                attributes.Add($"color=\"{Color(change)}\"");
                attributes.Add($"fontcolor=\"{Color(change)}\"");
                attributes.Add(change switch
                {
                    LineageGraphChange.Add => "penwidth=2.5",
                    LineageGraphChange.Delete => "style=dashed, penwidth=2",
                    LineageGraphChange.Unmanaged => "style=dotted",
                    LineageGraphChange.Unchanged => "penwidth=1",
                    _ => "penwidth=2",
                });
            }

            text.Append("  ").Append(edge.Source.Id).Append(" -> ").Append(edge.Target.Id);
            if (attributes.Count > 0)
            {
                text.Append(" [").Append(string.Join(", ", attributes)).Append(']');
            }

            text.Append(";\n");
        }

        text.Append("}\n");
        return text.ToString();
    }

    private static string Json(LineageGraph graph)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, JsonOptions))
        {
            json.WriteStartObject();
            json.WriteString("kind", graph.IsPlan ? "plan" : graph.IsTraversal ? "dataphin" : "manifest");
            json.WriteStartArray("nodes");
            foreach (var node in graph.Nodes)
            {
                json.WriteStartObject();
                json.WriteString("id", node.Id);
                json.WriteString("label", node.Label);
                WriteReference(json, "reference", node.Reference);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteStartArray("edges");
            foreach (var edge in graph.Edges)
            {
                json.WriteStartObject();
                json.WriteString("source", edge.Source.Id);
                json.WriteString("target", edge.Target.Id);
                if (edge.Change is { } change)
                {
                    json.WriteString("change", Name(change));
                    if (change == LineageGraphChange.Drift)
                    {
                        json.WriteString("resolution", edge.Forgotten ? "forget" : "register again");
                    }
                }

                json.WriteStartArray("fieldLineages");
                foreach (var field in edge.FieldLineages)
                {
                    json.WriteStartObject();
                    json.WriteString("sourceLabel", field.SourceLabel);
                    json.WriteString("targetLabel", field.TargetLabel);
                    WriteReference(json, "source", field.Lineage.Source!);
                    WriteReference(json, "target", field.Lineage.Target!);
                    json.WriteBoolean("isDirect", field.Lineage.IsDirect ?? true);
                    if (field.Change is { } fieldChange)
                    {
                        json.WriteString("change", Name(fieldChange));
                    }

                    json.WriteEndObject();
                }

                json.WriteEndArray();
                json.WriteEndObject();
            }

            json.WriteEndArray();
            if (graph.IsPlan)
            {
                json.WriteStartObject("summary");
                foreach (var change in new[] { LineageGraphChange.Add, LineageGraphChange.Update, LineageGraphChange.Delete, LineageGraphChange.Drift, LineageGraphChange.Unchanged, LineageGraphChange.Unmanaged })
                {
                    json.WriteNumber(Name(change), graph.Edges.Count(e => e.Change == change));
                }

                json.WriteEndObject();
            }

            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray()) + "\n";
    }

    private static string Csv(LineageGraph graph)
    {
        var text = new StringBuilder();
        text.Append(graph.IsPlan ? "change,source_table,target_table,source_field,target_field\n" : "source_table,target_table,source_field,target_field\n");
        foreach (var edge in graph.Edges)
        {
            Row(text, graph.IsPlan, edge.Change, edge.Source.Label, edge.Target.Label, string.Empty, string.Empty);
            foreach (var field in edge.FieldLineages)
            {
                Row(text, graph.IsPlan, field.Change, edge.Source.Label, edge.Target.Label, field.SourceLabel, field.TargetLabel);
            }
        }

        return text.ToString();

        static void Row(StringBuilder text, bool plan, LineageGraphChange? change, params string[] cells)
        {
            if (plan)
            {
                text.Append(change is { } c ? Name(c) : string.Empty).Append(',');
            }

            text.Append(string.Join(",", cells.Select(EscapeCsv))).Append('\n');
        }
    }

    /// <summary>The lines of an edge's label: in a plan what is done and the field lineages it changes; in a manifest its field lineages.</summary>
    private static List<string> EdgeLines(LineageGraphEdge edge)
    {
        var lines = new List<string>();
        IEnumerable<LineageGraphFieldLineage> fields = edge.FieldLineages;
        switch (edge.Change)
        {
            case null:
                break;
            case LineageGraphChange.Unchanged:
            case LineageGraphChange.Unmanaged:
                return edge.Change == LineageGraphChange.Unmanaged ? ["unmanaged (left alone)"] : lines;
            case LineageGraphChange.Drift:
                lines.Add(edge.Forgotten ? "drift: forgotten" : "drift: registered again");
                fields = Array.Empty<LineageGraphFieldLineage>();
                break;
            case LineageGraphChange.Update:
                lines.Add("update");
                fields = fields.Where(f => f.Change != LineageGraphChange.Unchanged);
                break;
            default:
                lines.Add(Name(edge.Change.Value));
                break;
        }

        var list = fields.ToList();
        var shown = list.Count > FieldLinesShown + 1 ? FieldLinesShown : list.Count;
        foreach (var field in list.Take(shown))
        {
            var sign = field.Change switch
            {
                LineageGraphChange.Add => "+ ",
                LineageGraphChange.Delete => "- ",
                _ => string.Empty,
            };
            lines.Add($"{sign}{field.SourceLabel} → {field.TargetLabel}");
        }

        if (list.Count > shown)
        {
            lines.Add($"… and {list.Count - shown} more field lineage(s)");
        }

        return lines;
    }

    private static string Summary(LineageGraph graph)
        => $"Lineage plan: {graph.Edges.Count(e => e.Change == LineageGraphChange.Add)} to add, {graph.Edges.Count(e => e.Change == LineageGraphChange.Update)} to update, "
            + $"{graph.Edges.Count(e => e.Change == LineageGraphChange.Delete)} to delete, {graph.Edges.Count(e => e.Change == LineageGraphChange.Drift)} drifted, "
            + $"{graph.Edges.Count(e => e.Change == LineageGraphChange.Unchanged)} unchanged, {graph.Edges.Count(e => e.Change == LineageGraphChange.Unmanaged)} unmanaged";

    private static string Name(LineageGraphChange change) => change switch
    {
        LineageGraphChange.Add => "add",
        LineageGraphChange.Update => "update",
        LineageGraphChange.Delete => "delete",
        LineageGraphChange.Drift => "drift",
        LineageGraphChange.Unmanaged => "unmanaged",
        _ => "unchanged",
    };

    private static string Color(LineageGraphChange change) => change switch
    {
        LineageGraphChange.Add => "#1a7f37",
        LineageGraphChange.Update => "#0969da",
        LineageGraphChange.Delete => "#cf222e",
        LineageGraphChange.Drift => "#e36209",
        _ => "#8c959f",
    };

    /// <summary>A reference exactly as the lineage command sends it.</summary>
    private static void WriteReference(Utf8JsonWriter json, string name, AssetReference reference)
    {
        using var document = JsonDocument.Parse(DataphinJson.Serialize(new AddRegisterLineageCommand(reference, reference)));
        json.WritePropertyName(name);
        document.RootElement.GetProperty("Source").WriteTo(json);
    }
}
