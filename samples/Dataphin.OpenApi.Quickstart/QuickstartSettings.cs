using System.Globalization;

namespace Dataphin.OpenApi.Quickstart;

/// <summary>Where the quick start sends its calls: the embedded emulator (no configuration) or a real Dataphin.</summary>
public sealed class QuickstartSettings
{
    public const string EndpointVariable = "DATAPHIN_ENDPOINT";
    public const string RegionVariable = "DATAPHIN_REGION_ID";
    public const string TenantVariable = "DATAPHIN_TENANT_ID";

    public Uri? Endpoint { get; private init; }

    public string? RegionId { get; private init; }

    public long? TenantId { get; private init; }

    /// <summary>Where the graph is written as lineage.mmd, lineage.dot and lineage.svg (<c>--graph-dir</c>; the current directory by default).</summary>
    public string GraphDirectory { get; private init; } = ".";

    /// <summary>True when an endpoint or region was given: talk to a real Dataphin.</summary>
    public bool UsesRealDataphin => Endpoint is not null || RegionId is not null;

    /// <summary>Reads <c>--endpoint</c>, <c>--region</c>, <c>--tenant</c>, <c>--graph-dir</c>, falling back to the environment variables.</summary>
    public static QuickstartSettings Read(IReadOnlyList<string> args, Func<string, string?> environment)
    {
        string? endpoint = environment(EndpointVariable), region = environment(RegionVariable), tenant = environment(TenantVariable), graphDirectory = null;
        for (var i = 0; i < args.Count; i++)
        {
            var name = args[i];
            string Value() => i + 1 < args.Count ? args[++i] : throw new FormatException($"{name} needs a value.");
            switch (name)
            {
                case "--endpoint": endpoint = Value(); break;
                case "--region": region = Value(); break;
                case "--tenant": tenant = Value(); break;
                case "--graph-dir": graphDirectory = Value(); break;
                default: throw new FormatException($"Unknown argument '{name}'. Use --endpoint <url>, --region <id>, --tenant <id>, --graph-dir <folder>.");
            }
        }

        Uri? endpointUri = null;
        if (!string.IsNullOrWhiteSpace(endpoint) && !Uri.TryCreate(endpoint.Trim(), UriKind.Absolute, out endpointUri))
        {
            throw new FormatException($"The endpoint '{endpoint}' is not an absolute URL such as https://dataphin-public.cn-hangzhou.aliyuncs.com.");
        }

        long? tenantId = null;
        if (!string.IsNullOrWhiteSpace(tenant))
        {
            tenantId = long.TryParse(tenant.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var parsed) && parsed > 0
                ? parsed
                : throw new FormatException($"The tenant id '{tenant}' is not a positive number (it is the tenantId in the Dataphin URL).");
        }

        return new QuickstartSettings
        {
            Endpoint = endpointUri,
            RegionId = string.IsNullOrWhiteSpace(region) ? null : region.Trim(),
            TenantId = tenantId,
            GraphDirectory = string.IsNullOrWhiteSpace(graphDirectory) ? "." : graphDirectory,
        };
    }
}
