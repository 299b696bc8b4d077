using System.CommandLine;
using System.Globalization;
using Dataphin.OpenApi.Bulk;

namespace Dataphin.OpenApi.Cli;

/// <summary>The options every command that calls the service shares, and how they become a client.</summary>
internal sealed class ConnectionOptions
{
    public const string EndpointVariable = "DATAPHIN_ENDPOINT";
    public const string RegionVariable = "DATAPHIN_REGION_ID";
    public const string TenantVariable = "DATAPHIN_TENANT_ID";
    public const string AccessKeyIdVariable = "ALIBABA_CLOUD_ACCESS_KEY_ID";
    public const string AccessKeySecretVariable = "ALIBABA_CLOUD_ACCESS_KEY_SECRET";
    public const string SecurityTokenVariable = "ALIBABA_CLOUD_SECURITY_TOKEN";

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

    public Option<string?> Edition { get; } = new("--edition")
    {
        Description = "Your tenant's Dataphin edition, which sets how fast calls may go: Personal and Agile share 5 calls per second among all levels; Basic and Intelligent allow 50 / 20 / 5 per second for Levels 1 / 2 / 3 (lineage calls are Level 2). Default: Basic's quotas.",
        HelpName = "Personal|Agile|Basic|Intelligent",
    };

    public Option<double?> Level1Qps { get; } = new("--level1-qps") { Description = "Override the Level 1 quota, in calls per second (editions with a quota per level).", HelpName = "n" };

    public Option<double?> Level2Qps { get; } = new("--level2-qps") { Description = "Override the Level 2 quota, in calls per second: the pace of lineage add and delete (editions with a quota per level).", HelpName = "n" };

    public Option<double?> Level3Qps { get; } = new("--level3-qps") { Description = "Override the Level 3 quota, in calls per second (editions with a quota per level).", HelpName = "n" };

    public Option<double?> SharedQps { get; } = new("--shared-qps") { Description = "Override the quota all levels share on Personal and Agile, in calls per second.", HelpName = "n" };

    public Option<int> Concurrency { get; } = new("--concurrency")
    {
        Description = "The most items in progress at once (1-256). The quota decides the actual pace.",
        DefaultValueFactory = _ => 8,
        HelpName = "n",
    };

    public Option<string?> OpUserId { get; } = new("--op-user-id")
    {
        Description = "The Dataphin user id to act for, sent as OpUserId.",
        HelpName = "id",
    };

    public Option<string> MaxPause { get; } = new("--max-pause")
    {
        Description = "The most time the run may wait in all while the service is unavailable or throttles (it pauses instead of failing items), e.g. 90s, 5m, 1h; 0 stops at once. Default: 5m.",
        DefaultValueFactory = _ => "5m",
        HelpName = "duration",
    };

    /// <summary>Adds the options to a command; <paramref name="bulk"/> adds those only a bulk run uses (--concurrency, --op-user-id, --max-pause).</summary>
    public void AddTo(Command command, bool bulk = true)
    {
        command.Options.Add(Tenant);
        command.Options.Add(Endpoint);
        command.Options.Add(Region);
        command.Options.Add(Edition);
        command.Options.Add(Level1Qps);
        command.Options.Add(Level2Qps);
        command.Options.Add(Level3Qps);
        command.Options.Add(SharedQps);
        if (bulk)
        {
            command.Options.Add(Concurrency);
            command.Options.Add(OpUserId);
            command.Options.Add(MaxPause);
        }
    }

    /// <summary>The tenant from --tenant or the environment; in a dry run without one, a placeholder used only for validation.</summary>
    public long ResolveTenant(ParseResult parse, CliEnvironment environment, bool dryRun)
    {
        if (parse.GetValue(Tenant) is { } tenant)
        {
            return tenant > 0 ? tenant : throw new CliUsageException($"--tenant must be a positive tenant id; it was {tenant}.");
        }

        var text = environment.GetVariable(TenantVariable);
        if (!string.IsNullOrWhiteSpace(text))
        {
            return long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var fromEnvironment) && fromEnvironment > 0
                ? fromEnvironment
                : throw new CliUsageException($"${TenantVariable} must be a positive tenant id; it was '{text}'.");
        }

        return dryRun ? 1 : throw new CliUsageException($"No tenant: pass --tenant <id> or set ${TenantVariable} (the tenantId in the Dataphin URL).");
    }

    public BulkOptions BulkOptions(ParseResult parse, bool dryRun)
    {
        var concurrency = parse.GetValue(Concurrency);
        if (concurrency is < 1 or > 256)
        {
            throw new CliUsageException($"--concurrency must be between 1 and 256; it was {concurrency}.");
        }

        var opUserId = parse.GetValue(OpUserId);
        if (opUserId is not null && string.IsNullOrWhiteSpace(opUserId))
        {
            throw new CliUsageException("--op-user-id must not be empty.");
        }

        return new BulkOptions { MaxConcurrency = concurrency, DryRun = dryRun, OpUserId = opUserId, MaxPause = Durations.Parse("--max-pause", parse.GetValue(MaxPause)!) };
    }

    /// <summary>A client from the options and the environment, over a request tracker; a dry run gets one that never sends.</summary>
    public CliConnection Connect(ParseResult parse, CliEnvironment environment, bool dryRun)
    {
        var options = new DataphinClientOptions { UserAgentSuffix = "dataphin-cli" };
        ApplyEdition(parse, options);
        if (dryRun)
        {
            return new CliConnection(new DryRunClient(), null, null, null);
        }

        var endpoint = parse.GetValue(Endpoint) ?? environment.GetVariable(EndpointVariable);
        var region = parse.GetValue(Region) ?? environment.GetVariable(RegionVariable);
        if (!string.IsNullOrWhiteSpace(endpoint))
        {
            options.Endpoint = Uri.TryCreate(endpoint, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"
                ? uri
                : throw new CliUsageException($"The endpoint '{endpoint}' is not an absolute URL such as https://dataphin-public.cn-hangzhou.aliyuncs.com.");
            if (uri.Scheme == "http" && !uri.IsLoopback)
            {
                throw new CliUsageException($"The endpoint '{endpoint}' uses plain http to another machine: the signed requests and their answers would cross the network unencrypted. Use https; plain http is allowed only to this machine (127.0.0.1 or localhost), e.g. the emulator.");
            }
        }
        else if (!string.IsNullOrWhiteSpace(region))
        {
            options.RegionId = region;
        }
        else
        {
            throw new CliUsageException($"No endpoint: pass --endpoint <url> or --region <id>, or set ${EndpointVariable} or ${RegionVariable}.");
        }

        var id = environment.GetVariable(AccessKeyIdVariable);
        var secret = environment.GetVariable(AccessKeySecretVariable);
        var token = environment.GetVariable(SecurityTokenVariable);
        if (string.IsNullOrWhiteSpace(id) || string.IsNullOrWhiteSpace(secret))
        {
            throw new CliUsageException($"No credential: set {AccessKeyIdVariable} and {AccessKeySecretVariable} (and {SecurityTokenVariable} for STS credentials).");
        }

        options.Credential = new DataphinCredential(id, secret, string.IsNullOrWhiteSpace(token) ? null : token);
        var ownsHandler = environment.HttpHandler is null;
        var tracker = new BulkRequestTracker(environment.HttpHandler ?? CreateHandler());
        var http = new HttpClient(tracker, disposeHandler: false) { Timeout = Timeout.InfiniteTimeSpan };
        try
        {
            var client = new DataphinClient(http, options);
            return new CliConnection(client, tracker, http, ownsHandler ? tracker : null) { AccessKeyId = id };
        }
        catch (ArgumentException error)
        {
            http.Dispose();
            throw new CliUsageException(CliText.WithoutParameterName(error), error);
        }
    }

    private static SocketsHttpHandler CreateHandler() => new()
    {
        AllowAutoRedirect = false,
        PooledConnectionLifetime = TimeSpan.FromMinutes(5),
        AutomaticDecompression = System.Net.DecompressionMethods.GZip | System.Net.DecompressionMethods.Deflate,
    };

    private void ApplyEdition(ParseResult parse, DataphinClientOptions options)
    {
        var text = parse.GetValue(Edition);
        DataphinEdition? edition = null;
        if (text is not null)
        {
            edition = text.Trim().ToUpperInvariant() switch
            {
                "PERSONAL" => DataphinEdition.Personal,
                "AGILE" => DataphinEdition.Agile,
                "BASIC" => DataphinEdition.Basic,
                "INTELLIGENT" => DataphinEdition.Intelligent,
                _ => throw new CliUsageException($"--edition '{text}' is not one of Personal, Agile, Basic, Intelligent."),
            };
        }

        var level1 = Qps(parse, Level1Qps);
        var level2 = Qps(parse, Level2Qps);
        var level3 = Qps(parse, Level3Qps);
        var shared = Qps(parse, SharedQps);
        var sharesOneBudget = edition is DataphinEdition.Personal or DataphinEdition.Agile;
        if (sharesOneBudget && (level1 ?? level2 ?? level3) is not null)
        {
            throw new CliUsageException($"The {edition} edition has one quota for all levels: use --shared-qps instead of --level1-qps, --level2-qps or --level3-qps.");
        }

        if (!sharesOneBudget && shared is not null)
        {
            throw new CliUsageException("--shared-qps is the quota Personal and Agile share among all levels: pass --edition Personal or --edition Agile with it, or use --level1-qps, --level2-qps or --level3-qps.");
        }

        options.Edition = edition;
        options.RateLimit.Level1Qps = level1;
        options.RateLimit.Level2Qps = level2;
        options.RateLimit.Level3Qps = level3;
        options.RateLimit.SharedQps = shared;
    }

    private static double? Qps(ParseResult parse, Option<double?> option)
    {
        var value = parse.GetValue(option);
        return value is null or (> 0 and < 1_000_000) ? value : throw new CliUsageException($"{option.Name} must be a positive number of calls per second below 1,000,000; it was {value?.ToString(CultureInfo.InvariantCulture)}.");
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

/// <summary>A client, the tracker it sends through (none in a dry run), and what to dispose.</summary>
internal sealed class CliConnection(DataphinClient client, BulkRequestTracker? tracker, HttpClient? http, HttpMessageHandler? ownedHandler) : IDisposable
{
    public DataphinClient Client { get; } = client;

    public BulkRequestTracker? Tracker { get; } = tracker;

    /// <summary>The AccessKey id (not secret), for the journal's hash of it.</summary>
    public string? AccessKeyId { get; init; }

    public void Dispose()
    {
        Client.Dispose();
        http?.Dispose();
        ownedHandler?.Dispose();
    }
}
