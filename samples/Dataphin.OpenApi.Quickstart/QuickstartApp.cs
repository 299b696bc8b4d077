using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using Dataphin.OpenApi.Bulk;
using Dataphin.OpenApi.Testing;

namespace Dataphin.OpenApi.Quickstart;

/// <summary>
/// The quick start: registers an ETL lineage (source tables -> staging -> warehouse -> BI dataset), reads it back
/// with GetTableLineages and prints the graph, deletes one edge and shows it gone.
/// </summary>
public static class QuickstartApp
{
    /// <summary>Runs the quick start; returns the process exit code (0 on success).</summary>
    public static async Task<int> RunAsync(IReadOnlyList<string> args, TextWriter output, Func<string, string?> environment, CancellationToken cancellationToken = default)
    {
        QuickstartSettings settings;
        try
        {
            settings = QuickstartSettings.Read(args, environment);
        }
        catch (FormatException e)
        {
            output.WriteLine(e.Message);
            return 2;
        }

        if (!settings.UsesRealDataphin)
        {
            await using var emulator = await DataphinEmulator.StartAsync(cancellationToken: cancellationToken);
            output.WriteLine($"Using the embedded Dataphin emulator at {emulator.Endpoint} (tenant {emulator.DefaultTenantId}).");
            output.WriteLine($"Set {QuickstartSettings.EndpointVariable} (or {QuickstartSettings.RegionVariable}), {DataphinCredential.AccessKeyIdVariable}, {DataphinCredential.AccessKeySecretVariable} and {QuickstartSettings.TenantVariable} to use a real Dataphin.");
            using var client = new DataphinClient(emulator.Endpoint, new DataphinCredential(emulator.AccessKeyId, emulator.AccessKeySecret), new DataphinClientOptions());
            return await RunStepsAsync(client, emulator.DefaultTenantId, output, emulator, cleanUp: false, settings.GraphDirectory, environment, cancellationToken);
        }

        if (settings.TenantId is not { } tenantId)
        {
            output.WriteLine($"A real Dataphin needs a tenant id: set {QuickstartSettings.TenantVariable} or pass --tenant (the tenantId in the Dataphin URL).");
            return 2;
        }

        var accessKeyId = environment(DataphinCredential.AccessKeyIdVariable);
        var accessKeySecret = environment(DataphinCredential.AccessKeySecretVariable);
        var securityToken = environment(DataphinCredential.SecurityTokenVariable);
        if (string.IsNullOrWhiteSpace(accessKeyId) || string.IsNullOrWhiteSpace(accessKeySecret))
        {
            output.WriteLine($"A real Dataphin needs an AccessKey: set {DataphinCredential.AccessKeyIdVariable} and {DataphinCredential.AccessKeySecretVariable} (and {DataphinCredential.SecurityTokenVariable} for an STS token).");
            return 2;
        }

        var credential = new DataphinCredential(accessKeyId, accessKeySecret, string.IsNullOrWhiteSpace(securityToken) ? null : securityToken);

        var options = new DataphinClientOptions { Endpoint = settings.Endpoint, RegionId = settings.RegionId, Credential = credential };
        using var realClient = new DataphinClient(options);
        output.WriteLine($"Using the real Dataphin at {realClient.Endpoint} (tenant {tenantId}, AccessKey {credential}).");
        output.WriteLine("The lineage registered here is removed again at the end.");
        return await RunStepsAsync(realClient, tenantId, output, emulator: null, cleanUp: true, settings.GraphDirectory, environment, cancellationToken);
    }

    private static async Task<int> RunStepsAsync(DataphinClient client, long tenantId, TextWriter output, DataphinEmulator? emulator, bool cleanUp, string graphDirectory, Func<string, string?> environment, CancellationToken cancellationToken)
    {
        var etl = new EtlLineage(tenantId);
        try
        {
            output.WriteLine();
            output.WriteLine("1. Registering the ETL lineage (AddRegisterLineage):");
            foreach (var hop in etl.Hops)
            {
                var response = await WhenThrottledWaitAndRetryAsync(() => client.AddRegisterLineageAsync(tenantId, hop, cancellationToken), cancellationToken);
                output.WriteLine($"   {Describe(hop.Source!)} -> {Describe(hop.Target!)}: {hop.DetailedLineages.Count} field lineage{(hop.DetailedLineages.Count == 1 ? string.Empty : "s")}, {response.Code} (RequestId {response.RequestId})");
            }

            output.WriteLine();
            output.WriteLine($"2. The lineage graph upstream of the BI dataset table, read back with GetTableLineages:");
            await PrintUpstreamAsync(client, tenantId, etl.AdsSalesReport, output, cancellationToken);
            if (emulator is not null)
            {
                output.WriteLine();
                output.WriteLine("   Field lineage as the emulator stored it:");
                foreach (var edge in emulator.GetLineage(tenantId))
                {
                    output.WriteLine($"   {Short(edge.Source.EmulatorGuid)} -> {Short(edge.Target.EmulatorGuid)}");
                    foreach (var field in edge.FieldLineages)
                    {
                        output.WriteLine($"      .{FieldName(field.Source)} -> .{FieldName(field.Target)}{(field.IsDirect ? string.Empty : " (indirect)")}");
                    }
                }
            }

            output.WriteLine();
            await WriteGraphAsync(etl.Hops, graphDirectory, environment, output, cancellationToken);

            var gone = etl.HopToDelete;
            output.WriteLine();
            output.WriteLine($"3. Deleting {Describe(gone.Source!)} -> {Describe(gone.Target!)} (DeleteRegisterLineage, all its field lineages, cascading):");
            var deleted = await WhenThrottledWaitAndRetryAsync(() => client.DeleteRegisterLineageAsync(tenantId, ToDelete(gone), cancellationToken), cancellationToken);
            output.WriteLine($"   {deleted.Code} (RequestId {deleted.RequestId})");
            var upstream = await UpstreamAsync(client, tenantId, etl.AdsSalesReport, cancellationToken);
            var stillThere = upstream.Any(e => string.Equals(e.InputGuid, gone.Source!.Guid, StringComparison.OrdinalIgnoreCase));
            output.WriteLine($"   Upstream of {Short(etl.AdsSalesReport)} now: {(upstream.Count == 0 ? "(none)" : string.Join(", ", upstream.Select(e => Short(e.InputGuid))))}");
            output.WriteLine(stillThere ? $"   {Short(gone.Source!.Guid!)} -> {Short(etl.AdsSalesReport)} is still there." : $"   {Short(gone.Source!.Guid!)} -> {Short(etl.AdsSalesReport)} is gone.");

            if (cleanUp)
            {
                output.WriteLine();
                output.WriteLine("4. Removing the rest of the quick start's lineage:");
                foreach (var hop in etl.Hops.Where(h => h != gone))
                {
                    await WhenThrottledWaitAndRetryAsync(() => client.DeleteRegisterLineageAsync(tenantId, ToDelete(hop), cancellationToken), cancellationToken);
                    output.WriteLine($"   deleted {Describe(hop.Source!)} -> {Describe(hop.Target!)}");
                }
            }

            output.WriteLine();
            output.WriteLine("Done.");
            return stillThere ? 1 : 0;
        }
        catch (DataphinValidationException e)
        {
            output.WriteLine($"Invalid command: {e.Message}");
            return 1;
        }
        catch (DataphinRequestException e)
        {
            output.WriteLine($"The call failed: {e.Message}");
            return 1;
        }
        catch (DataphinTransportException e)
        {
            output.WriteLine($"Could not reach Dataphin: {e.Message}");
            return 1;
        }
        catch (DataphinException e)
        {
            output.WriteLine($"The call failed: {e.Message}");
            return 1;
        }
    }

    /// <summary>
    /// Dataphin throttles per tenant and level (GetTableLineages is Level 3: 5 calls a second). A throttled call was
    /// not executed, so it is safe to send again after the wait the service asks for.
    /// </summary>
    private static async Task<T> WhenThrottledWaitAndRetryAsync<T>(Func<Task<T>> call, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await call();
            }
            catch (DataphinThrottledException e) when (attempt < 5)
            {
                var wait = e.RetryAfter ?? TimeSpan.FromMilliseconds(200);
                await Task.Delay(wait > TimeSpan.FromSeconds(5) ? TimeSpan.FromSeconds(5) : wait, cancellationToken);
            }
        }
    }

    /// <summary>
    /// Writes the registered lineage as a picture with Dataphin.OpenApi.Bulk's exporter: lineage.mmd (Mermaid; GitHub
    /// draws it in a ```mermaid block), lineage.dot (Graphviz) and, when Graphviz 'dot' is on the PATH, lineage.svg.
    /// </summary>
    private static async Task WriteGraphAsync(IReadOnlyList<AddRegisterLineageCommand> hops, string folder, Func<string, string?> environment, TextWriter output, CancellationToken cancellationToken)
    {
        var graph = LineageGraph.FromCommands(hops);
        Directory.CreateDirectory(folder);
        var mermaid = Path.GetFullPath(Path.Combine(folder, "lineage.mmd"));
        var dot = Path.GetFullPath(Path.Combine(folder, "lineage.dot"));
        await File.WriteAllTextAsync(mermaid, LineageGraphExporter.Export(graph, LineageGraphFormat.Mermaid), cancellationToken);
        await File.WriteAllTextAsync(dot, LineageGraphExporter.Export(graph, LineageGraphFormat.Dot), cancellationToken);
        output.WriteLine($"   The graph as pictures: {mermaid} (Mermaid) and {dot} (Graphviz).");

        var program = (environment("PATH") ?? string.Empty).Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(d => Path.Combine(d, OperatingSystem.IsWindows() ? "dot.exe" : "dot"))
            .FirstOrDefault(File.Exists);
        if (program is null)
        {
            output.WriteLine("   Graphviz 'dot' is not on the PATH, so no lineage.svg (https://graphviz.org/download/; or: dataphin lineage export --render svg).");
            return;
        }

        var svg = Path.GetFullPath(Path.Combine(folder, "lineage.svg"));
        var start = new ProcessStartInfo(program) { RedirectStandardError = true };
        start.ArgumentList.Add("-Tsvg");
        start.ArgumentList.Add("-o" + svg);
        start.ArgumentList.Add(dot);
        using var process = Process.Start(start)!;
        var errors = await process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        output.WriteLine(process.ExitCode == 0 ? $"   Drawn by Graphviz: {svg}" : $"   Graphviz 'dot' could not draw lineage.svg (exit code {process.ExitCode}): {errors.Trim()}");
    }

    private static DeleteRegisterLineageCommand ToDelete(AddRegisterLineageCommand hop)
    {
        var command = new DeleteRegisterLineageCommand(hop.Source!.Clone(), hop.Target!.Clone()) { CascadeDeleteLineage = true };
        foreach (var field in hop.DetailedLineages)
        {
            command.DetailedLineages.Add(field.Clone());
        }

        return command;
    }

    private static async Task PrintUpstreamAsync(DataphinClient client, long tenantId, string tableGuid, TextWriter output, CancellationToken cancellationToken)
    {
        output.WriteLine($"   {Short(tableGuid)}  [BI dataset: daily sales dashboard]");
        var visited = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { tableGuid };
        await PrintLevelAsync(tableGuid, "   ");

        async Task PrintLevelAsync(string guid, string indent)
        {
            foreach (var edge in await UpstreamAsync(client, tenantId, guid, cancellationToken))
            {
                output.WriteLine($"{indent}  <- {Short(edge.InputGuid)}{(edge.InputEnv is null ? string.Empty : " (" + edge.InputEnv + ")")}");
                if (visited.Add(edge.InputGuid))
                {
                    await PrintLevelAsync(edge.InputGuid, indent + "     ");
                }
            }
        }
    }

    private static async Task<List<(string InputGuid, string? InputEnv)>> UpstreamAsync(DataphinClient client, long tenantId, string tableGuid, CancellationToken cancellationToken)
    {
        var request = new DataphinOperationRequest("GetTableLineages", tenantId)
            .AddQuery("TableGuid", tableGuid)
            .AddFormJson("FilterQuery", new JsonObject { ["NeedUpstream"] = true, ["NeedDownstream"] = false });
        var response = await WhenThrottledWaitAndRetryAsync(() => client.SendAsync(request, cancellationToken), cancellationToken);
        var edges = new List<(string, string?)>();
        if (response.Content.TryGetProperty("TableLineageList", out var list) && list.ValueKind == JsonValueKind.Array)
        {
            foreach (var item in list.EnumerateArray())
            {
                if (item.TryGetProperty("InputTableGuid", out var guid) && guid.GetString() is { Length: > 0 } text)
                {
                    edges.Add((text, item.TryGetProperty("InputTableEnv", out var env) ? env.GetString() : null));
                }
            }
        }

        return edges;
    }

    private static string FieldName(RegisteredReference field) => field.Name ?? field.Guid?.Split('.')[^1] ?? "?";

    private static string Describe(AssetReference table)
        => table.Guid is { } guid ? Short(guid) : $"{table.Catalog}.{table.Schema}.{table.Name}";

    /// <summary>Drops the <c>odps.&lt;tenant&gt;.</c> prefix of a GUID for display.</summary>
    private static string Short(string guid)
    {
        var parts = guid.Split('.');
        return parts.Length == 4 && parts[0] == "odps" ? parts[2] + "." + parts[3] : guid;
    }
}
