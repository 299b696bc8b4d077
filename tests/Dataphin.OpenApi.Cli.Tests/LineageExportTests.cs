using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using Dataphin.OpenApi.Bulk;
using Dataphin.OpenApi.Testing;
using Xunit.Abstractions;

namespace Dataphin.OpenApi.Cli.Tests;

/// <summary>
/// Issue 16, export: 'lineage export' writes a manifest or a plan as Mermaid, Graphviz DOT, JSON or CSV, and draws it
/// with Graphviz. The DOT is parsed and rendered by the real 'dot' (installed by .ci/run; on CI a missing dot fails
/// the tests, elsewhere they pass with a note), hostile table names survive every format exactly, and a plan's export
/// colors each change and changes nothing.
/// </summary>
public sealed class LineageExportTests(ITestOutputHelper output) : IAsyncLifetime
{
    /// <summary>Names that break naive DOT or Mermaid writers: quotes, backslashes, a line break, brackets, markup, entity codes, an injection attempt, non-ASCII.</summary>
    private static readonly string[] HostileTables =
    [
        "odps.1.ods.\"quoted\" table",
        "odps.1.ods.back\\slash\\",
        "odps.1.dw.line\nbreak",
        "odps.1.dw.[brackets]{braces}(parens)|pipe",
        "odps.1.dw.订单明细_日",
        "odps.1.dw.x\"]; n1 --> evil[\"pwned",
        "odps.1.dw.<b>&amp;#35;#quot;`md`",
        "odps.1.dw.x\" ]; n1 -> evil [label=\"pwned",
    ];

    private readonly string _folder = Directory.CreateTempSubdirectory("dataphin-export-").FullName;
    private DataphinEmulator _emulator = null!;

    private static bool OnCi => !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("CI"));

    private long Tenant => _emulator.DefaultTenantId;

    public async Task InitializeAsync() => _emulator = await DataphinEmulator.StartAsync(new DataphinEmulatorOptions { Quotas = EmulatorQuotas.Disabled });

    public async Task DisposeAsync()
    {
        await _emulator.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public async Task Hostile_table_names_survive_dot_and_mermaid_exactly_and_graphviz_parses_the_dot()
    {
        var manifest = HostileManifest();

        var dot = await RunAsync("lineage", "export", "--file", manifest, "--format", "dot");
        Assert.True(dot.ExitCode == 0, dot.Stderr);
        var svg = await DotAsync(dot.Stdout, "svg");
        if (svg is not null)
        {
            // Graphviz read every label back exactly (a line break is a second text line), and no name made a node or edge of its own.
            var drawn = Drawing(svg);
            Assert.Equal(HostileTables.Order(StringComparer.Ordinal), drawn.Nodes.Values.Order(StringComparer.Ordinal));
            Assert.Equal(5, drawn.EdgeCount);
        }

        var mermaid = await RunAsync("lineage", "export", "--file", manifest, "--format", "mermaid");
        Assert.True(mermaid.ExitCode == 0, mermaid.Stderr);
        var lines = mermaid.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("flowchart LR", lines[0]);
        var nodes = lines.Skip(1).Take(HostileTables.Length).Select(l => Regex.Match(l, "^  (n[0-9]+)\\[\"([^\"]*)\"\\]$")).ToList();
        Assert.All(nodes, n => Assert.True(n.Success, "a node line broke out of its quotes"));
        Assert.Equal(HostileTables.Order(StringComparer.Ordinal), nodes.Select(n => DecodeMermaid(n.Groups[2].Value)).Order(StringComparer.Ordinal));
        var edges = lines.Skip(1 + HostileTables.Length).ToList();
        Assert.Equal(5, edges.Count);
        Assert.All(edges, e => Assert.Matches("^  n[0-9]+ -->(\\|\"[^\"]*\"\\|)? n[0-9]+$", e));
        Assert.Contains("odps.1.ods.#34;quoted#34; table", mermaid.Stdout);
        Assert.Contains("odps.1.dw.line<br>break", mermaid.Stdout);
        Assert.Contains("odps.1.dw.#60;b#62;#38;amp;#35;35;#35;quot;#96;md#96;", mermaid.Stdout);

        // The field lineage of the first pair is labelled by its column names, escaped the same way.
        Assert.Contains("|\"列#34;a#34; → line#60;br#62;\"|", mermaid.Stdout);
    }

    [Fact]
    public async Task Render_svg_draws_the_tables_to_a_file_or_standard_output()
    {
        var manifest = Write("orders.jsonl",
            LineageSyncTests.Pair("ods.orders", "dw.订单明细", LineageSyncTests.Field("ods.orders", "amount", "dw.订单明细", "金额")),
            LineageSyncTests.Pair("dw.订单明细", "ads.daily_sales"));
        if (FindDot() is null)
        {
            Assert.False(OnCi, "Graphviz 'dot' is not installed, and CI must render the export (.ci/run installs it).");
            output.WriteLine("Not run: Graphviz 'dot' is not on PATH.");
            return;
        }

        var path = Path.Combine(_folder, "lineage.svg");
        var run = await RunAsync("lineage", "export", "--file", manifest, "--render", "svg", "--output", path);
        Assert.True(run.ExitCode == 0, run.Stderr);
        Assert.Contains($"Drew the SVG picture of 3 table(s), 2 table pair(s) to {path}", run.Stdout);
        var drawn = Drawing(File.ReadAllText(path));
        Assert.Equal(["odps.1.ads.daily_sales", "odps.1.dw.订单明细", "odps.1.ods.orders"], drawn.Nodes.Values.Order(StringComparer.Ordinal));
        Assert.Equal(2, drawn.EdgeCount);
        Assert.Contains("amount → 金额", drawn.Texts);

        var piped = await RunAsync("lineage", "export", "--file", manifest, "--render", "svg");
        Assert.True(piped.ExitCode == 0, piped.Stderr);
        Assert.Equal(drawn.Nodes, Drawing(piped.Stdout).Nodes);
    }

    [Fact]
    public async Task Render_without_graphviz_on_the_path_says_so_and_writes_nothing()
    {
        var manifest = Write("orders.jsonl", LineageSyncTests.Pair("ods.orders", "dw.orders"));
        var emptyPath = Directory.CreateDirectory(Path.Combine(_folder, "no-graphviz")).FullName;
        var picture = Path.Combine(_folder, "lineage.png");

        var run = await RunAsync(new Dictionary<string, string> { ["PATH"] = emptyPath }, "lineage", "export", "--file", manifest, "--render", "png", "--output", picture);

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("Graphviz 'dot' is not on the PATH, so the PNG picture cannot be drawn. Install Graphviz", run.Stderr);
        Assert.Contains("--format dot", run.Stderr);
        Assert.False(File.Exists(picture));
        Assert.Equal(string.Empty, run.Stdout);
    }

    [Fact]
    public async Task A_plan_export_colors_each_change_shows_the_remapped_field_and_changes_nothing()
    {
        var state = Path.Combine(_folder, "lineage.state.json");
        var v1 = Write("v1.jsonl",
            LineageSyncTests.Pair("ods.orders", "dw.orders", LineageSyncTests.Field("ods.orders", "order_id", "dw.orders", "order_id"), LineageSyncTests.Field("ods.orders", "amount", "dw.orders", "amount_cny")),
            LineageSyncTests.Pair("ods.users", "dw.users"),
            LineageSyncTests.Pair("ods.items", "dw.items"),
            LineageSyncTests.Pair("ods.a", "dw.a"));
        Assert.Equal(0, (await RunAsync("lineage", "apply", "--file", v1, "--state", state, "--auto-approve")).ExitCode);
        _emulator.SeedSystemLineage(Tenant, LineageSyncTests.Pair("ods.orders", "dw.orders_parsed"));
        Assert.Equal(0, (await RunAsync("lineage", "delete", "--file", Write("outside.jsonl", LineageSyncTests.Pair("ods.users", "dw.users")))).ExitCode);
        var v2 = Write("v2.jsonl",
            LineageSyncTests.Pair("ods.orders", "dw.orders", LineageSyncTests.Field("ods.orders", "order_id", "dw.orders", "order_id"), LineageSyncTests.Field("ods.orders", "pay_amount", "dw.orders", "amount_cny")),
            LineageSyncTests.Pair("ods.users", "dw.users"),
            LineageSyncTests.Pair("ods.a", "dw.a"),
            LineageSyncTests.Pair("ods.shops", "dw.shops"));
        var stateBefore = File.ReadAllText(state);
        var storeBefore = _emulator.GetLineage(Tenant).Count;
        _emulator.ClearRequests();

        var json = await RunAsync("lineage", "export", "--file", v2, "--plan-state", state, "--format", "json");
        Assert.True(json.ExitCode == 0, json.Stderr);
        using (var document = JsonDocument.Parse(json.Stdout))
        {
            var root = document.RootElement;
            Assert.Equal("plan", root.GetProperty("kind").GetString());
            var labels = root.GetProperty("nodes").EnumerateArray().ToDictionary(n => n.GetProperty("id").GetString()!, n => n.GetProperty("label").GetString()!);
            var changes = root.GetProperty("edges").EnumerateArray().ToDictionary(e => labels[e.GetProperty("target").GetString()!], e => e.GetProperty("change").GetString());
            Assert.Equal(
                new Dictionary<string, string?>
                {
                    ["odps.1.dw.orders"] = "update",
                    ["odps.1.dw.users"] = "drift",
                    ["odps.1.dw.a"] = "unchanged",
                    ["odps.1.dw.shops"] = "add",
                    ["odps.1.dw.items"] = "delete",
                    ["odps.1.dw.orders_parsed"] = "unmanaged",
                },
                changes);
            var update = root.GetProperty("edges").EnumerateArray().Single(e => e.GetProperty("change").GetString() == "update");
            Assert.Equal(
                ["order_id>order_id:unchanged", "pay_amount>amount_cny:add", "amount>amount_cny:delete"],
                update.GetProperty("fieldLineages").EnumerateArray().Select(f => $"{f.GetProperty("sourceLabel").GetString()}>{f.GetProperty("targetLabel").GetString()}:{f.GetProperty("change").GetString()}"));
            Assert.Equal((1, 1, 1, 1, 1, 1), Summary(root.GetProperty("summary")));
        }

        var dot = await RunAsync("lineage", "export", "--file", v2, "--plan-state", state, "--format", "dot");
        Assert.True(dot.ExitCode == 0, dot.Stderr);
        Assert.Contains("label=\"Lineage plan: 1 to add, 1 to update, 1 to delete, 1 drifted, 1 unchanged, 1 unmanaged\"", dot.Stdout);
        Assert.Contains("color=\"#1a7f37\"", DotEdge(dot.Stdout, "odps.1.dw.shops"));
        Assert.Contains("color=\"#cf222e\", fontcolor=\"#cf222e\", style=dashed", DotEdge(dot.Stdout, "odps.1.dw.items"));
        Assert.Contains("color=\"#e36209\"", DotEdge(dot.Stdout, "odps.1.dw.users"));
        Assert.Contains("label=\"drift: registered again\"", DotEdge(dot.Stdout, "odps.1.dw.users"));
        Assert.Contains("color=\"#8c959f\"", DotEdge(dot.Stdout, "odps.1.dw.a"));
        Assert.Contains("color=\"#8c959f\", fontcolor=\"#8c959f\", style=dotted", DotEdge(dot.Stdout, "odps.1.dw.orders_parsed"));
        Assert.Contains("label=\"update\\n+ pay_amount → amount_cny\\n- amount → amount_cny\", color=\"#0969da\"", DotEdge(dot.Stdout, "odps.1.dw.orders"));
        if (await DotAsync(dot.Stdout, "svg") is { } svg)
        {
            Assert.Equal(6, Drawing(svg).EdgeCount);
        }

        var mermaid = await RunAsync("lineage", "export", "--file", v2, "--plan-state", state);
        Assert.True(mermaid.ExitCode == 0, mermaid.Stderr);
        Assert.StartsWith("---\ntitle: \"Lineage plan: 1 to add, 1 to update, 1 to delete, 1 drifted, 1 unchanged, 1 unmanaged\"\n---\nflowchart LR\n", mermaid.Stdout);
        Assert.Equal("#1a7f37", MermaidEdgeColor(mermaid.Stdout, "odps.1.dw.shops"));
        Assert.Equal("#cf222e", MermaidEdgeColor(mermaid.Stdout, "odps.1.dw.items"));
        Assert.Equal("#e36209", MermaidEdgeColor(mermaid.Stdout, "odps.1.dw.users"));
        Assert.Equal("#8c959f", MermaidEdgeColor(mermaid.Stdout, "odps.1.dw.a"));
        Assert.Equal("#0969da", MermaidEdgeColor(mermaid.Stdout, "odps.1.dw.orders"));

        var csv = await RunAsync("lineage", "export", "--file", v2, "--plan-state", state, "--format", "csv");
        Assert.True(csv.ExitCode == 0, csv.Stderr);
        var rows = csv.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("change,source_table,target_table,source_field,target_field", rows[0]);
        Assert.Contains("delete,odps.1.ods.orders,odps.1.dw.orders,amount,amount_cny", rows);
        Assert.Contains("add,odps.1.ods.orders,odps.1.dw.orders,pay_amount,amount_cny", rows);
        Assert.Contains("unmanaged,odps.1.ods.orders,odps.1.dw.orders_parsed,,", rows);

        // Exporting a plan only reads: nothing registered or deleted, the state file untouched.
        Assert.DoesNotContain(_emulator.Requests, r => r.Action is "AddRegisterLineage" or "DeleteRegisterLineage");
        Assert.Contains(_emulator.Requests, r => r.Action == "GetTableLineages");
        Assert.Equal(stateBefore, File.ReadAllText(state));
        Assert.Equal(storeBefore, _emulator.GetLineage(Tenant).Count);
    }

    [Fact]
    public async Task Json_and_csv_carry_every_pair_and_field_lineage_and_a_pair_listed_twice_is_one_edge()
    {
        const string Odd = "odps.1.ods.a,b \"c\"";
        var manifest = Write("m.jsonl",
            Item(Odd, "odps.1.dw.x", (Odd + ".id", "odps.1.dw.x.id")),
            Item(Odd, "odps.1.dw.x", (Odd + ".name", "odps.1.dw.x.name")),
            Item("odps.1.dw.x", "odps.1.ads.y"));
        var outFile = Path.Combine(_folder, "graph.json");

        var json = await RunAsync("lineage", "export", "--file", manifest, "--format", "json", "--output", outFile);
        Assert.True(json.ExitCode == 0, json.Stderr);
        Assert.Contains($"Wrote the JSON of 3 table(s), 2 table pair(s) to {outFile}.", json.Stdout);
        using (var document = JsonDocument.Parse(File.ReadAllText(outFile)))
        {
            var root = document.RootElement;
            Assert.Equal("manifest", root.GetProperty("kind").GetString());
            Assert.Equal(["odps.1.ods.a,b \"c\"", "odps.1.dw.x", "odps.1.ads.y"], root.GetProperty("nodes").EnumerateArray().Select(n => n.GetProperty("reference").GetProperty("Guid").GetString()));
            var first = root.GetProperty("edges")[0];
            Assert.False(first.TryGetProperty("change", out _));
            Assert.Equal(["id>id", "name>name"], first.GetProperty("fieldLineages").EnumerateArray().Select(f => $"{f.GetProperty("sourceLabel").GetString()}>{f.GetProperty("targetLabel").GetString()}"));
            Assert.Equal("odps.1.ods.a,b \"c\".name", first.GetProperty("fieldLineages")[1].GetProperty("source").GetProperty("Guid").GetString());
        }

        var csv = await RunAsync("lineage", "export", "--file", manifest, "--format", "csv");
        Assert.True(csv.ExitCode == 0, csv.Stderr);
        Assert.Equal(
            [
                ["source_table", "target_table", "source_field", "target_field"],
                ["odps.1.ods.a,b \"c\"", "odps.1.dw.x", string.Empty, string.Empty],
                ["odps.1.ods.a,b \"c\"", "odps.1.dw.x", "id", "id"],
                ["odps.1.ods.a,b \"c\"", "odps.1.dw.x", "name", "name"],
                ["odps.1.dw.x", "odps.1.ads.y", string.Empty, string.Empty],
            ],
            ParseCsv(csv.Stdout));
    }

    [Theory]
    [InlineData(2, "--render draws the Graphviz picture, so the format is dot, not mermaid", "--render", "svg", "--format", "mermaid")]
    [InlineData(2, "A PNG picture is binary: pass --output <file.png>", "--render", "png")]
    [InlineData(2, "Argument 'pdf' not recognized", "--format", "pdf")]
    public async Task Usage_errors_exit_2_with_a_message_and_write_nothing(int code, string message, params string[] options)
    {
        var manifest = Write("m.jsonl", LineageSyncTests.Pair("ods.a", "dw.a"));

        var run = await RunAsync(["lineage", "export", "--file", manifest, .. options]);

        Assert.Equal(code, run.ExitCode);
        Assert.Contains(message, run.Stderr);
        Assert.Equal(string.Empty, run.Stdout);
    }

    [Fact]
    public async Task An_output_that_is_the_manifest_itself_is_refused_and_the_manifest_kept()
    {
        var manifest = Write("m.jsonl", LineageSyncTests.Pair("ods.a", "dw.a"));
        var before = File.ReadAllText(manifest);

        var run = await RunAsync("lineage", "export", "--file", manifest, "--format", "csv", "--output", manifest);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("--output is the manifest itself", run.Stderr);
        Assert.Equal(before, File.ReadAllText(manifest));
    }

    [Fact]
    public async Task A_manifest_with_an_unreadable_item_is_not_drawn_incompletely()
    {
        var manifest = Write("m.jsonl", LineageSyncTests.Pair("ods.a", "dw.a"), "{\"Source\":{\"ReferenceType\":\"BY_GUID\",\"MetadataType\":\"TABLE\",\"Guid\":\"odps.1.ods.b\"},\"Target\":42}");

        var run = await RunAsync("lineage", "export", "--file", manifest, "--format", "dot");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("m.jsonl: The manifest has 1 unreadable item(s), so its picture would be incomplete: item line 2", run.Stderr);
        Assert.Contains("Target", run.Stderr);
        Assert.Equal(string.Empty, run.Stdout);
    }

    [Fact]
    public async Task Export_table_walks_the_lineage_dataphin_holds_in_every_format_and_draws_it()
    {
        Seed("odps.1.ods.orders", "odps.1.dw.orders", ("id", "order_id"));
        Seed("odps.1.dw.orders", "odps.1.ads.sales");
        Seed("odps.1.ads.sales", "odps.1.rpt.daily");
        Seed("odps.1.ods.users", "odps.1.ods.orders");
        string[] walk = ["lineage", "export", "--table", "odps.1.dw.orders", "--level3-qps", "1000"];

        var mermaid = await RunAsync([.. walk, "--depth", "1", "--fields"]);
        Assert.True(mermaid.ExitCode == 0, mermaid.Stderr);
        Assert.StartsWith("flowchart LR\n", mermaid.Stdout);
        Assert.Contains("n1[\"orders (odps.1.dw.orders)\"]", mermaid.Stdout);
        Assert.Contains("orders (odps.1.ods.orders)", mermaid.Stdout);
        Assert.Contains("sales (odps.1.ads.sales)", mermaid.Stdout);
        Assert.DoesNotContain("daily", mermaid.Stdout);
        Assert.DoesNotContain("users", mermaid.Stdout);
        Assert.Contains("id → order_id", mermaid.Stdout);

        var down = await RunAsync([.. walk, "--depth", "2", "--direction", "downstream", "--format", "csv"]);
        Assert.True(down.ExitCode == 0, down.Stderr);
        Assert.Equal(
            ["source_table,target_table,source_field,target_field", "orders (odps.1.dw.orders),sales (odps.1.ads.sales),,", "sales (odps.1.ads.sales),daily (odps.1.rpt.daily),,"],
            down.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries));

        var json = await RunAsync([.. walk, "--format", "json"]);
        Assert.True(json.ExitCode == 0, json.Stderr);
        using (var document = JsonDocument.Parse(json.Stdout))
        {
            Assert.Equal("dataphin", document.RootElement.GetProperty("kind").GetString());
            Assert.Equal(3, document.RootElement.GetProperty("nodes").GetArrayLength());
            Assert.Equal(2, document.RootElement.GetProperty("edges").GetArrayLength());
        }

        var dot = await RunAsync([.. walk, "--direction", "upstream", "--depth", "2", "--format", "dot"]);
        Assert.True(dot.ExitCode == 0, dot.Stderr);
        var svg = await DotAsync(dot.Stdout, "svg");
        if (svg is not null)
        {
            var drawn = Drawing(svg);
            Assert.Equal(["orders (odps.1.dw.orders)", "orders (odps.1.ods.orders)", "users (odps.1.ods.users)"], drawn.Nodes.Values.Order(StringComparer.Ordinal));
            Assert.Equal(2, drawn.EdgeCount);

            var picture = Path.Combine(_folder, "walk.svg");
            var rendered = await RunAsync([.. walk, "--render", "svg", "--output", picture]);
            Assert.True(rendered.ExitCode == 0, rendered.Stderr);
            Assert.Contains("sales (odps.1.ads.sales)", Drawing(File.ReadAllText(picture)).Texts);
        }

        // Only reads: each table once per walk, nothing written.
        Assert.DoesNotContain(_emulator.Requests, r => r.Action is "AddRegisterLineage" or "DeleteRegisterLineage");
    }

    [Fact]
    public async Task Export_table_warns_when_the_walk_is_cut_at_max_tables()
    {
        Seed("odps.1.ods.a", "odps.1.dw.x");
        Seed("odps.1.ods.b", "odps.1.dw.x");
        Seed("odps.1.ods.c", "odps.1.dw.x");

        var run = await RunAsync("lineage", "export", "--table", "odps.1.dw.x", "--max-tables", "2", "--format", "csv", "--level3-qps", "1000");

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("warning: the lineage around odps.1.dw.x has more than 2 table(s) within 1 hop(s)", run.Stderr);
        Assert.Equal(2, run.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
    }

    [Fact]
    public async Task Export_table_reports_a_failed_read_for_people_and_writes_nothing()
    {
        Seed("odps.1.ods.a", "odps.1.dw.x");

        // A tenant the emulator's AccessKey may not use: the service refuses the read.
        var run = await RunAsync("lineage", "export", "--table", "odps.1.dw.x", "--tenant", "999", "--level3-qps", "1000");

        Assert.Equal(1, run.ExitCode);
        Assert.StartsWith("Reading the lineage of table odps.1.dw.x from Dataphin failed: ", run.Stderr);
        Assert.DoesNotContain("Exception", run.Stderr);
        Assert.Equal(string.Empty, run.Stdout);
    }

    [Theory]
    [InlineData("Give either --file (export a manifest) or --table", "--file", "MANIFEST", "--table", "odps.1.dw.x")]
    [InlineData("Nothing to export: give --file <manifest> to export a manifest, or --table <guid>", "--format", "csv")]
    [InlineData("--depth, --direction, --fields and --max-tables walk the lineage Dataphin holds from a table: they go with --table", "--file", "MANIFEST", "--depth", "2")]
    [InlineData("--depth, --direction, --fields and --max-tables", "--file", "MANIFEST", "--fields")]
    [InlineData("--plan-state and --manifest-format go with --file", "--table", "odps.1.dw.x", "--plan-state", "s.json")]
    [InlineData("--depth is the number of hops to walk from the table: 0 or more, not -1", "--table", "odps.1.dw.x", "--depth", "-1")]
    [InlineData("--max-tables is the most tables to show, the table itself included: 1 or more, not 0", "--table", "odps.1.dw.x", "--max-tables", "0")]
    [InlineData("--table needs the GUID of a table", "--table", " ")]
    [InlineData("Argument 'sideways' not recognized", "--table", "odps.1.dw.x", "--direction", "sideways")]
    public async Task Export_table_usage_errors_exit_2_with_a_message_for_people_and_call_nothing(string message, params string[] options)
    {
        var manifest = Write("m.jsonl", LineageSyncTests.Pair("ods.a", "dw.a"));

        var run = await RunAsync(["lineage", "export", .. options.Select(o => o == "MANIFEST" ? manifest : o)]);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains(message, run.Stderr);
        Assert.DoesNotContain("Exception", run.Stderr);
        Assert.DoesNotContain("System.", run.Stderr);
        Assert.Equal(string.Empty, run.Stdout);
        Assert.Equal(0, _emulator.RequestsReceived);
    }

    /// <summary>Stores a pair (with field lineages) as Dataphin's own lineage, as a traversal finds it.</summary>
    private void Seed(string source, string target, params (string Source, string Target)[] fields)
    {
        var command = new AddRegisterLineageCommand(AssetReference.ByGuid(source), AssetReference.ByGuid(target));
        foreach (var (from, to) in fields)
        {
            command.DetailedLineages.Add(new FieldLineage(AssetReference.FieldByGuid(source + "." + from, source), AssetReference.FieldByGuid(target + "." + to, target)));
        }

        _emulator.SeedSystemLineage(Tenant, Dataphin.OpenApi.Serialization.DataphinJson.Serialize(command));
    }

    private static (int, int, int, int, int, int) Summary(JsonElement summary)
        => (summary.GetProperty("add").GetInt32(), summary.GetProperty("update").GetInt32(), summary.GetProperty("delete").GetInt32(), summary.GetProperty("drift").GetInt32(), summary.GetProperty("unchanged").GetInt32(), summary.GetProperty("unmanaged").GetInt32());

    /// <summary>The DOT line of the edge into the node labelled <paramref name="target"/>.</summary>
    private static string DotEdge(string dot, string target)
    {
        var id = Regex.Match(dot, "^  (n[0-9]+) \\[label=\"" + Regex.Escape(target) + "\"\\];$", RegexOptions.Multiline).Groups[1].Value;
        Assert.NotEmpty(id);
        return Assert.Single(dot.Split('\n'), l => l.Contains($" -> {id} ", StringComparison.Ordinal));
    }

    /// <summary>The stroke color the linkStyle lines give the Mermaid edge into the node labelled <paramref name="target"/>.</summary>
    private static string MermaidEdgeColor(string mermaid, string target)
    {
        var lines = mermaid.Split('\n');
        var id = Regex.Match(mermaid, "^  (n[0-9]+)\\[\"" + Regex.Escape(target) + "\"\\]$", RegexOptions.Multiline).Groups[1].Value;
        var edges = lines.Where(l => Regex.IsMatch(l, "^  n[0-9]+ (-->|==>|-\\.->)")).ToList();
        var index = edges.FindIndex(l => l.EndsWith(" " + id, StringComparison.Ordinal));
        Assert.True(index >= 0, $"no edge into {target}");
        var style = Assert.Single(lines, l => l.StartsWith("  linkStyle ", StringComparison.Ordinal) && l.Split(' ')[3].Split(',').Contains(index.ToString(CultureInfo.InvariantCulture)));
        return Regex.Match(style, "stroke:(#[0-9a-f]{6})").Groups[1].Value;
    }

    private static string DecodeMermaid(string label)
        => Regex.Replace(label.Replace("<br>", "\n", StringComparison.Ordinal), "#([0-9]+);", m => ((char)int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture)).ToString());

    /// <summary>An SVG Graphviz drew: each node's text lines (joined by line breaks) by its id, the edge count, and every text.</summary>
    private static (Dictionary<string, string> Nodes, int EdgeCount, List<string> Texts) Drawing(string svg)
    {
        var document = XDocument.Parse(svg);
        XNamespace ns = "http://www.w3.org/2000/svg";
        var groups = document.Descendants(ns + "g").ToList();
        var nodes = groups.Where(g => (string?)g.Attribute("class") == "node")
            .ToDictionary(g => g.Element(ns + "title")!.Value, g => string.Join("\n", g.Elements(ns + "text").Select(t => t.Value)));
        var edges = groups.Count(g => (string?)g.Attribute("class") == "edge");
        return (nodes, edges, document.Descendants(ns + "text").Select(t => t.Value).ToList());
    }

    /// <summary>Renders <paramref name="dot"/> with Graphviz (asserting it accepts the text), or <see langword="null"/> off CI when dot is missing.</summary>
    private async Task<string?> DotAsync(string dot, string format)
    {
        var program = FindDot();
        if (program is null)
        {
            Assert.False(OnCi, "Graphviz 'dot' is not installed, and CI must parse the exported DOT with it (.ci/run installs it).");
            output.WriteLine("Not run: Graphviz 'dot' is not on PATH.");
            return null;
        }

        var start = new ProcessStartInfo(program) { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, StandardInputEncoding = new UTF8Encoding(false), StandardOutputEncoding = Encoding.UTF8 };
        start.ArgumentList.Add("-T" + format);
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.StandardInput.WriteAsync(dot);
        process.StandardInput.Close();

        // Only a guard against a hung process on a loaded machine.
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(timeout.Token);
        var errors = await stderr;
        Assert.True(process.ExitCode == 0, $"dot -T{format} rejected the export: {errors}\n{dot}");
        Assert.Equal(string.Empty, errors.Trim());
        return await stdout;
    }

    private static string? FindDot()
        => (Environment.GetEnvironmentVariable("PATH") ?? string.Empty)
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, "dot"))
            .FirstOrDefault(File.Exists);

    private static List<List<string>> ParseCsv(string text)
    {
        var rows = new List<List<string>>();
        var row = new List<string>();
        var cell = new StringBuilder();
        var quoted = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < text.Length && text[i + 1] == '"')
                {
                    cell.Append('"');
                    i++;
                }
                else if (c == '"')
                {
                    quoted = false;
                }
                else
                {
                    cell.Append(c);
                }
            }
            else if (c == '"')
            {
                quoted = true;
            }
            else if (c == ',')
            {
                row.Add(cell.ToString());
                cell.Clear();
            }
            else if (c == '\n')
            {
                row.Add(cell.ToString());
                cell.Clear();
                rows.Add(row);
                row = new List<string>();
            }
            else
            {
                cell.Append(c);
            }
        }

        return rows;
    }

    /// <summary>A manifest line (JSON Lines) of a table pair by GUID with its field lineages, whatever characters the GUIDs hold.</summary>
    private static string Item(string source, string target, params (string Source, string Target)[] fields)
    {
        static Dictionary<string, string> Reference(string type, string guid) => new() { ["ReferenceType"] = "BY_GUID", ["MetadataType"] = type, ["Guid"] = guid };
        return JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["Source"] = Reference("TABLE", source),
            ["Target"] = Reference("TABLE", target),
            ["DetailedLineages"] = fields.Select(f => new Dictionary<string, object> { ["Source"] = Reference("COLUMN", f.Source), ["Target"] = Reference("COLUMN", f.Target) }).ToList(),
        });
    }

    private string HostileManifest()
    {
        var t = HostileTables;
        return Write("hostile.jsonl", Item(t[0], t[2], (t[0] + ".列\"a\"", t[2] + ".line<br>")), Item(t[1], t[3]), Item(t[4], t[5]), Item(t[6], t[7]), Item(t[0], t[4]));
    }

    private string Write(string name, params string[] lines)
    {
        var path = Path.Combine(_folder, name);
        File.WriteAllText(path, string.Join("\n", lines) + "\n");
        return path;
    }

    private Task<CliRun> RunAsync(params string[] args) => RunAsync(new Dictionary<string, string>(), args);

    private async Task<CliRun> RunAsync(Dictionary<string, string> overrides, params string[] args)
    {
        var variables = new Dictionary<string, string>
        {
            ["ALIBABA_CLOUD_ACCESS_KEY_ID"] = _emulator.AccessKeyId,
            ["ALIBABA_CLOUD_ACCESS_KEY_SECRET"] = _emulator.AccessKeySecret,
            ["DATAPHIN_ENDPOINT"] = _emulator.Endpoint.ToString(),
            ["DATAPHIN_TENANT_ID"] = Tenant.ToString(CultureInfo.InvariantCulture),
            ["XDG_STATE_HOME"] = Path.Combine(_folder, "runs"),
            ["PATH"] = Environment.GetEnvironmentVariable("PATH") ?? string.Empty,
        };
        foreach (var (name, value) in overrides)
        {
            variables[name] = value;
        }

        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var environment = new CliEnvironment { GetVariable = name => variables.TryGetValue(name, out var value) ? value : null, Interactive = false };
        var code = await CliApp.RunAsync(args, stdout, stderr, environment);
        var run = new CliRun(code, stdout.ToString(), stderr.ToString());
        Assert.DoesNotContain(_emulator.AccessKeySecret, run.Stdout + run.Stderr, StringComparison.Ordinal);
        return run;
    }
}
