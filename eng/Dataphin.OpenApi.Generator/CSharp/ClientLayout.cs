using System.Text.RegularExpressions;
using Dataphin.OpenApi.Generator.Model;

namespace Dataphin.OpenApi.Generator.CSharp;

/// <summary>Where one operation's method lives: the section client, and the group client inside it when the section has several groups.</summary>
/// <param name="Section">The section title, e.g. <c>Data development</c>.</param>
/// <param name="Group">The group title, e.g. <c>Batch task</c>.</param>
/// <param name="Family">For an operation the seed does not place: the family that placed it, else <see langword="null"/>.</param>
internal sealed record Placement(string Section, string Group, OperationFamily? Family);

/// <summary>
/// A rule that places operations the seed gives no section (127 of them) by their family, either into a seeded section
/// and group or into a section of its own.
/// </summary>
/// <param name="Description">What the family is, for the XML docs, e.g. <c>knowledge graph operations (names with Kg)</c>.</param>
internal sealed record OperationFamily(string Section, string Group, string Description, Func<string, bool> Matches);

/// <summary>A client class: a section's, or a group's inside a section with several groups.</summary>
/// <param name="Title">The section or group title as documented, e.g. <c>Batch task</c>.</param>
/// <param name="PropertyName">The property that reaches it from its parent, e.g. <c>BatchTask</c>.</param>
/// <param name="TypeName">The class name, e.g. <c>DataDevelopmentBatchTaskClient</c>.</param>
/// <param name="Folder">The folder of its generated files under <c>Operations/Generated</c>, e.g. <c>DataDevelopment</c>.</param>
/// <param name="FileStem">The start of its generated files' names, e.g. <c>BatchTask</c>.</param>
/// <param name="Section">The section title it belongs to.</param>
/// <param name="Children">Its group clients (a section with several groups); empty for a client with methods.</param>
/// <param name="Operations">Its operations, by name (a client with methods); empty for a section with groups.</param>
internal sealed record ClientNode(
    string Title,
    string PropertyName,
    string TypeName,
    string Folder,
    string FileStem,
    string Section,
    IReadOnlyList<ClientNode> Children,
    IReadOnlyList<OperationModel> Operations)
{
    public bool HasOperations => Operations.Count > 0;
}

/// <summary>
/// How the methods of all operations are organised: one client per section of the seed (the throttling table's
/// sections: data development, data service, ...), reached from <c>DataphinClient</c>; a section with several groups
/// has one client per group, a section with one group carries the methods itself. Operations the seed does not place
/// are placed by <see cref="Families"/>; a new operation that no family matches stops the generator.
/// </summary>
internal sealed class ClientLayout
{
    /// <summary>Section and group titles whose mechanical C# name would be unreadable (<c>O&amp;M</c>) or long.</summary>
    public static readonly IReadOnlyDictionary<string, string> TitleNames = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["O&M center"] = "OperationCenter",
        ["Instance O&M"] = "Instances",
        ["Task O&M"] = "Tasks",
        ["Operations and maintenance monitoring"] = "Monitoring",
    };

    /// <summary>
    /// The families of the operations the seed gives no section, in the order they are tried; exactly one must match
    /// each such operation. Most are whole product areas the seed leaves out (knowledge graph, data quality, data
    /// standard, data security, datasets); the rest join the seeded group whose operations they accompany.
    /// </summary>
    public static readonly IReadOnlyList<OperationFamily> Families =
    [
        new("Knowledge graph", "Knowledge graph", "knowledge graph operations (names with Kg)", name => Regex.IsMatch(name, "Kg([A-Z]|$)")),
        new("Data quality", "Data quality", "data quality operations (names with Quality)", name => name.Contains("Quality", StringComparison.Ordinal)),
        new("Data standard", "Data standard", "data standard operations (names with Standard, and the asset-to-standard mappings)", name => name.Contains("Standard", StringComparison.Ordinal) || name.Contains("AssetMapping", StringComparison.Ordinal)),
        new("Data security", "Data security", "data security operations (names with Security)", name => name.Contains("Security", StringComparison.Ordinal)),
        new("Datasets", "Datasets", "dataset operations (names with Dataset)", name => name.Contains("Dataset", StringComparison.Ordinal)),
        new("Data asset", "asset", "table metadata and lineage reads, beside the lineage registration of this section", Named("GetTableLineages", "GetTableColumnLineages", "GetTableColumns", "ListTables")),
        new("Platform management", "Project", "project operations", Named("CreateBasicProject", "CreateDevProdProject", "DeleteProject", "UpdateBasicProject", "UpdateDevProdProject")),
        new("Platform management", "User and authorization", "department and user synchronisation", Named("SyncDepartment", "SyncDepartmentUser")),
        new("Data development", "Batch integration", "integration pipelines and workflows", Named("ListPipelines", "SubmitPipelineById", "CreateWorkFlowByJson")),
        new("Data development", "Batch task", "batch task templates", Named("ListBatchTemplates", "GetBatchTemplateVersions")),
        new("Data development", "Ad hoc query", "DDL execution and the records of code runs", Named("ExecuteDDL", "GetOperationRecordById", "GetOperationRecordDetail", "GetOperationRecordRunCode", "ListOperationRecord")),
        new("O&M center", "Task O&M", "running a triggered node", Named("ExecuteTriggerNode")),
    ];

    private readonly Dictionary<string, Placement> _placements;

    private ClientLayout(IReadOnlyList<ClientNode> sections, Dictionary<string, Placement> placements)
    {
        Sections = sections;
        _placements = placements;
    }

    /// <summary>The section clients, in the order their first operation appears in <c>operations.json</c>.</summary>
    public IReadOnlyList<ClientNode> Sections { get; }

    /// <summary>Every client that carries methods, in layout order.</summary>
    public IEnumerable<ClientNode> Leaves => Sections.SelectMany(s => s.HasOperations ? [s] : s.Children);

    public Placement PlacementOf(OperationModel operation) => _placements[operation.Name];

    /// <summary>The access path from <c>DataphinClient</c>, e.g. <c>DataDevelopment.BatchTask</c>.</summary>
    public string PathOf(ClientNode leaf)
    {
        var section = Sections.Single(s => s.Section == leaf.Section);
        return ReferenceEquals(section, leaf) ? section.PropertyName : section.PropertyName + "." + leaf.PropertyName;
    }

    public static ClientLayout Create(ApiModel api)
    {
        var placements = new Dictionary<string, Placement>(StringComparer.Ordinal);
        var seeded = api.Operations.Where(o => o.Section is not null).Select(o => (o.Section!, o.Group)).ToHashSet();
        var seededSections = seeded.Select(s => s.Item1).ToHashSet(StringComparer.Ordinal);
        foreach (var operation in api.Operations)
        {
            if (operation.Section is { } section)
            {
                var group = operation.Group
                    ?? throw new GeneratorInputException($"eng/operations.json: operation '{operation.Name}' has the section '{section}' but no group.");
                placements.Add(operation.Name, new Placement(section, group, null));
                continue;
            }

            if (operation.Group is not null)
            {
                throw new GeneratorInputException($"eng/operations.json: operation '{operation.Name}' has a group but no section.");
            }

            var families = Families.Where(f => f.Matches(operation.Name)).ToList();
            var family = families.Count switch
            {
                1 => families[0],
                0 => throw new GeneratorInputException(
                    $"eng/operations.json: operation '{operation.Name}' has no section, and no family of ClientLayout.Families places it; add it to one so its method has a home."),
                _ => throw new GeneratorInputException(
                    $"eng/operations.json: operation '{operation.Name}' has no section, and several families of ClientLayout.Families match it ({string.Join("; ", families.Select(f => f.Description))})."),
            };
            if (seededSections.Contains(family.Section) && !seeded.Contains((family.Section, family.Group)))
            {
                throw new GeneratorInputException($"ClientLayout.Families places '{operation.Name}' in '{family.Section}' / '{family.Group}', a seeded section without that group.");
            }

            placements.Add(operation.Name, new Placement(family.Section, family.Group, family));
        }

        var sections = new List<ClientNode>();
        foreach (var sectionGroup in api.Operations.GroupBy(o => placements[o.Name].Section, StringComparer.Ordinal))
        {
            var sectionName = NameOf(sectionGroup.Key);
            var groups = sectionGroup.GroupBy(o => placements[o.Name].Group, StringComparer.Ordinal).ToList();
            if (groups.Count == 1)
            {
                sections.Add(new ClientNode(sectionGroup.Key, sectionName, sectionName + "Client", sectionName, sectionName, sectionGroup.Key, [], [.. sectionGroup]));
                continue;
            }

            var children = groups
                .Select(g => new ClientNode(g.Key, NameOf(g.Key), sectionName + NameOf(g.Key) + "Client", sectionName, NameOf(g.Key), sectionGroup.Key, [], [.. g]))
                .ToList();
            sections.Add(new ClientNode(sectionGroup.Key, sectionName, sectionName + "Client", sectionName, sectionName, sectionGroup.Key, children, []));
        }

        CheckUnique(sections.Select(s => s.PropertyName), "section client property");
        CheckUnique(sections.Select(s => s.TypeName).Concat(sections.SelectMany(s => s.Children).Select(c => c.TypeName)), "client class");
        foreach (var section in sections)
        {
            CheckUnique(section.Children.Select(c => c.PropertyName), $"group client property of {section.TypeName}");
        }

        return new ClientLayout(sections, placements);
    }

    private static string NameOf(string title) => TitleNames.TryGetValue(title, out var name) ? name : CSharpNames.Title(title);

    private static Func<string, bool> Named(params string[] names)
    {
        var set = names.ToHashSet(StringComparer.Ordinal);
        return set.Contains;
    }

    private static void CheckUnique(IEnumerable<string> names, string what)
    {
        var duplicate = names.GroupBy(n => n, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new GeneratorInputException($"Two sections or groups get the same {what} name '{duplicate.Key}'; add a name to ClientLayout.TitleNames.");
        }
    }
}
