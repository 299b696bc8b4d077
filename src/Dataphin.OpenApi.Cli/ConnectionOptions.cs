using System.CommandLine;
using Dataphin.OpenApi.Bulk;

namespace Dataphin.OpenApi.Cli;

/// <summary>The options every command that calls the service shares, and how they become a client.</summary>
internal sealed partial class ConnectionOptions
{
    public const string EndpointVariable = "DATAPHIN_ENDPOINT";
    public const string RegionVariable = "DATAPHIN_REGION_ID";
    public const string TenantVariable = "DATAPHIN_TENANT_ID";

    public Option<long?> Tenant { get; } = new("--tenant")
    {
        Description = $"The tenant id (the tenantId in the Dataphin URL), sent as OpTenantId. Default: ${TenantVariable}.",
        HelpName = "id",
    };

    public Option<string?> Endpoint { get; } = new("--endpoint")
    {
        Description = $"The service endpoint, e.g. https://dataphin-public.cn-hangzhou.aliyuncs.com. Default: ${EndpointVariable}.",
        HelpName = "url",
    };

    public Option<string?> Region { get; } = new("--region")
    {
        Description = $"The region id, e.g. cn-hangzhou, when no endpoint is given. Default: ${RegionVariable}.",
        HelpName = "id",
    };

    public Option<int> Concurrency { get; } = new("--concurrency")
    {
        Description = "The most items in progress at once (1-256). The client's rate limiter decides the actual pace.",
        DefaultValueFactory = _ => 8,
        HelpName = "n",
    };

    public Option<string?> OpUserId { get; } = new("--op-user-id")
    {
        Description = "The Dataphin user id to act for, sent as OpUserId.",
        HelpName = "id",
    };

    /// <summary>Adds the options to a command; <paramref name="bulk"/> adds those only a bulk run uses (--concurrency, --op-user-id).</summary>
    public void AddTo(Command command, bool bulk = true)
    {
        command.Options.Add(Tenant);
        command.Options.Add(Endpoint);
        command.Options.Add(Region);
        command.Options.Add(Profile);
        if (bulk)
        {
            command.Options.Add(Concurrency);
            command.Options.Add(OpUserId);
        }
    }

    /// <summary>The tenant from --tenant, the environment or the profile; in a dry run without one, a placeholder used only for validation.</summary>
    public long ResolveTenant(ParseResult parse, CliEnvironment environment, bool dryRun)
    {
        if (ResolveTenantSetting(parse, environment) is { } tenant)
        {
            return tenant.Value;
        }

        return dryRun ? 1 : throw new CliUsageException($"No tenant: pass --tenant <id>, set ${TenantVariable}, or give the Dataphin profile a tenantId (the tenantId in the Dataphin URL).");
    }

    public BulkOptions BulkOptions(ParseResult parse, bool dryRun)
    {
        var concurrency = parse.GetValue(Concurrency);
        if (concurrency is < 1 or > 256)
        {
            throw new CliUsageException($"--concurrency must be between 1 and 256; it was {concurrency}.");
        }

        return new BulkOptions { MaxConcurrency = concurrency, DryRun = dryRun, OpUserId = parse.GetValue(OpUserId) };
    }

    /// <summary>A client from the options and the environment; a dry run gets one that never sends.</summary>
    public DataphinClient CreateClient(ParseResult parse, CliEnvironment environment, bool dryRun)
    {
        if (dryRun)
        {
            return new DryRunClient();
        }

        var options = new DataphinClientOptions { UserAgentSuffix = "dataphin-cli" };
        var endpoint = ResolveEndpoint(parse, environment)
            ?? throw new CliUsageException($"No endpoint: pass --endpoint <url> or --region <id>, set ${EndpointVariable} or ${RegionVariable}, or give the Dataphin profile an endpoint (dataphin config set endpoint <url>).");
        (options.Endpoint, options.RegionId) = endpoint.Value;
        ApplyProfile(options, parse, environment);
        options.CredentialProvider = ResolveCredential(parse, environment).Provider;
        EffectiveOptions = options;
        try
        {
            return environment.HttpHandler is { } handler
                ? new DataphinClient(new HttpClient(handler, disposeHandler: false) { Timeout = Timeout.InfiniteTimeSpan }, options)
                : new DataphinClient(options);
        }
        catch (ArgumentException error)
        {
            throw new CliUsageException(error.Message, error);
        }
    }

    /// <summary>The client of a dry run: the bulk runner validates only, so any call is a bug.</summary>
    private sealed class DryRunClient : DataphinClient
    {
        public override Task<DataphinResponse> AddRegisterLineageAsync(long opTenantId, AddRegisterLineageCommand command, CancellationToken cancellationToken = default)
            => throw new InvalidOperationException("A dry run sends nothing.");

        public override Task<DataphinResponse> DeleteRegisterLineageAsync(long opTenantId, DeleteRegisterLineageCommand command, CancellationToken cancellationToken = default)
            => throw new InvalidOperationException("A dry run sends nothing.");
    }
}
