using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Dataphin.OpenApi.OpenLineage;

/// <summary>A dataset mapped to a Dataphin table, with how its fields are referenced.</summary>
internal sealed class MappedDataset
{
    public MappedDataset(AssetReference table, Func<string, AssetReference> field, string key)
    {
        Table = table;
        Field = field;
        Key = key;
    }

    public AssetReference Table { get; }

    public Func<string, AssetReference> Field { get; }

    public string Key { get; }
}

/// <summary>Applies checked <see cref="OpenLineageMappingRules"/> to dataset namespaces and names.</summary>
internal sealed class OpenLineageDatasetMapper
{
    private static readonly Regex Placeholder = new(@"\{([A-Za-z_][A-Za-z0-9_]*)\}", RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
    private readonly List<CompiledRule> _rules = new();
    private readonly Dictionary<string, string> _variables;

    public OpenLineageDatasetMapper(OpenLineageMappingRules rules)
    {
        _variables = new Dictionary<string, string>(rules.Variables ?? new Dictionary<string, string>(), StringComparer.Ordinal);
        var problems = new List<string>();
        if (rules.Rules is null || rules.Rules.Count == 0)
        {
            problems.Add("there are no rules");
        }
        else
        {
            for (var i = 0; i < rules.Rules.Count; i++)
            {
                var compiled = Compile(rules.Rules[i], i, problems);
                if (compiled is not null)
                {
                    _rules.Add(compiled);
                }
            }
        }

        if (problems.Count > 0)
        {
            throw new ArgumentException("The OpenLineage mapping rules are not usable: " + string.Join("; ", problems) + ".", nameof(rules));
        }
    }

    public MappedDataset? Map(string? datasetNamespace, string? name, out string reason)
    {
        if (string.IsNullOrEmpty(datasetNamespace) || string.IsNullOrEmpty(name))
        {
            reason = "the dataset has no namespace or no name";
            return null;
        }

        var misses = new List<string>();
        foreach (var rule in _rules)
        {
            if (!rule.MatchesNamespace(datasetNamespace!))
            {
                continue;
            }

            var match = rule.NamePattern.Match(name!);
            if (!match.Success)
            {
                misses.Add($"rule {rule.Number}: the name does not match '{rule.NameText}'");
                continue;
            }

            var values = new Dictionary<string, string>(_variables, StringComparer.Ordinal)
            {
                ["namespace"] = datasetNamespace!,
                ["name"] = name!,
            };
            foreach (var placeholder in rule.NamePlaceholders)
            {
                values[placeholder] = match.Groups[placeholder].Value;
            }

            reason = string.Empty;
            return rule.Build(values);
        }

        reason = misses.Count == 0
            ? $"no rule applies to the namespace '{datasetNamespace}'"
            : string.Join("; ", misses);
        return null;
    }

    private CompiledRule? Compile(OpenLineageMappingRule rule, int index, List<string> problems)
    {
        var number = index + 1;
        var where = "rule " + number.ToString(CultureInfo.InvariantCulture);
        if (rule is null)
        {
            problems.Add($"{where} is null");
            return null;
        }

        var before = problems.Count;
        if (string.IsNullOrEmpty(rule.Namespace) == string.IsNullOrEmpty(rule.NamespacePrefix))
        {
            problems.Add($"{where} must set exactly one of 'namespace' and 'namespacePrefix'");
        }

        var nameText = string.IsNullOrEmpty(rule.Name) ? "{table}" : rule.Name!;
        var placeholders = new List<string>();
        var pattern = new StringBuilder("^");
        var last = 0;
        foreach (Match m in Placeholder.Matches(nameText))
        {
            pattern.Append(Regex.Escape(nameText.Substring(last, m.Index - last)));
            var placeholder = m.Groups[1].Value;
            if (placeholders.Contains(placeholder))
            {
                problems.Add($"{where}: the name pattern uses {{{placeholder}}} twice");
            }

            placeholders.Add(placeholder);
            pattern.Append("(?<").Append(placeholder).Append(">[^./]+)");
            last = m.Index + m.Length;
        }

        pattern.Append(Regex.Escape(nameText.Substring(last))).Append('$');
        if (Placeholder.Replace(nameText, string.Empty).IndexOfAny(['{', '}']) >= 0)
        {
            problems.Add($"{where}: the name pattern '{nameText}' has a brace that is not part of a {{placeholder}}");
        }

        var known = new HashSet<string>(placeholders, StringComparer.Ordinal) { "namespace", "name" };
        known.UnionWith(_variables.Keys);
        if (rule.Guid is not null)
        {
            foreach (var (setting, value) in new[] { ("table", rule.Table), ("schema", rule.Schema), ("catalog", rule.Catalog), ("env", rule.Env), ("metadataSubType", rule.MetadataSubType) })
            {
                if (value is not null)
                {
                    problems.Add($"{where}: '{setting}' does not apply to a rule with 'guid' (a GUID reference names the table by its GUID alone)");
                }
            }

            CheckTemplate(rule.Guid, "guid", known, where, problems);
            var fieldKnown = new HashSet<string>(known, StringComparer.Ordinal) { "guid", "field" };
            CheckTemplate(rule.FieldGuid, "fieldGuid", fieldKnown, where, problems);
        }
        else
        {
            if (rule.FieldGuid is not null)
            {
                problems.Add($"{where}: 'fieldGuid' applies only to a rule with 'guid'");
            }

            CheckTemplate(rule.Table ?? "{table}", "table", known, where, problems);
            CheckTemplate(rule.Schema, "schema", known, where, problems);
            CheckTemplate(rule.Catalog, "catalog", known, where, problems);
            CheckTemplate(rule.Env, "env", known, where, problems);
            CheckTemplate(rule.MetadataSubType, "metadataSubType", known, where, problems);
        }

        if (problems.Count > before)
        {
            return null;
        }

        return new CompiledRule(number, rule, nameText, new Regex(pattern.ToString(), RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1)), placeholders);
    }

    private static void CheckTemplate(string? template, string setting, HashSet<string> known, string where, List<string> problems)
    {
        if (template is null)
        {
            return;
        }

        foreach (Match m in Placeholder.Matches(template))
        {
            if (!known.Contains(m.Groups[1].Value))
            {
                problems.Add($"{where}: '{setting}' uses {{{m.Groups[1].Value}}}, which is neither a placeholder of the name pattern, nor {{namespace}} or {{name}}, nor a variable");
            }
        }
    }

    private static string Render(string template, Dictionary<string, string> values)
        => Placeholder.Replace(template, m => values[m.Groups[1].Value]);

    private sealed class CompiledRule
    {
        private readonly OpenLineageMappingRule _rule;

        public CompiledRule(int number, OpenLineageMappingRule rule, string nameText, Regex namePattern, List<string> namePlaceholders)
        {
            Number = number;
            _rule = rule;
            NameText = nameText;
            NamePattern = namePattern;
            NamePlaceholders = namePlaceholders;
        }

        public int Number { get; }

        public string NameText { get; }

        public Regex NamePattern { get; }

        public List<string> NamePlaceholders { get; }

        public bool MatchesNamespace(string datasetNamespace) => _rule.Namespace is { Length: > 0 } exact
            ? string.Equals(datasetNamespace, exact, StringComparison.Ordinal)
            : datasetNamespace.StartsWith(_rule.NamespacePrefix!, StringComparison.Ordinal);

        public MappedDataset Build(Dictionary<string, string> values)
        {
            if (_rule.Guid is { } guidTemplate)
            {
                var guid = Render(guidTemplate, values);
                var fieldTemplate = _rule.FieldGuid ?? "{guid}.{field}";
                return new MappedDataset(
                    new AssetReference { ReferenceType = ReferenceType.ByGuid, MetadataType = MetadataType.Table, Guid = guid },
                    field =>
                    {
                        var fieldValues = new Dictionary<string, string>(values, StringComparer.Ordinal) { ["guid"] = guid, ["field"] = field };
                        return new AssetReference { ReferenceType = ReferenceType.ByGuid, MetadataType = MetadataType.Column, Guid = Render(fieldTemplate, fieldValues), ParentGuid = guid };
                    },
                    "G\u001f" + guid);
            }

            string? Optional(string? template) => template is null ? null : Render(template, values);
            var table = new AssetReference
            {
                ReferenceType = ReferenceType.ByProperty,
                MetadataType = MetadataType.Table,
                Name = Render(_rule.Table ?? "{table}", values),
                Schema = Optional(_rule.Schema),
                Catalog = Optional(_rule.Catalog),
                Env = Optional(_rule.Env) is { } env ? new DataphinEnvironment(env) : (DataphinEnvironment?)null,
                MetadataSubType = Optional(_rule.MetadataSubType) is { } subType ? new MetadataSubType(subType) : (MetadataSubType?)null,
            };
            return new MappedDataset(
                table,
                field => new AssetReference { ReferenceType = ReferenceType.ByProperty, MetadataType = MetadataType.Column, Name = field, Schema = table.Schema, Catalog = table.Catalog, Env = table.Env },
                string.Join("\u001f", "P", table.Catalog, table.Schema, table.Name, table.Env?.ToString(), table.MetadataSubType?.ToString()));
        }
    }
}
