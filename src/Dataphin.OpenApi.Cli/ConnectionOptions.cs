using System.CommandLine;
using System.Globalization;
using System.Net;
using Dataphin.OpenApi.Bulk;
using Dataphin.OpenApi.Redis;

namespace Dataphin.OpenApi.Cli;

/// <summary>The options every command that calls the service shares, and how they become a client.</summary>
internal sealed partial class ConnectionOptions
{
    public const string EndpointVariable = "DATAPHIN_ENDPOINT";
    public const string RegionVariable = "DATAPHIN_REGION_ID";
    public const string TenantVariable = "DATAPHIN_TENANT_ID";
    public const string RedisVariable = "DATAPHIN_REDIS";

    public Option<long?> Tenant { get; } = new("--tenant")
    {
        Description = $"The tenant id (the tenantId in the Dataphin URL), sent as OpTenantId. Default: ${TenantVariable}, else the Dataphin profile's tenantId.",
        HelpName = "id",
    };

    public Option<string?> Endpoint { get; } = new("--endpoint")
    {
        Description = $"The service endpoint, e.g. https://dataphin-public.cn-hangzhou.aliyuncs.com. Default: ${EndpointVariable}, else the Dataphin profile's endpoint.",
        HelpName = "url",
    };

    public Option<string?> Region { get; } = new("--region")
    {
        Description = $"The region id, e.g. cn-hangzhou, when no endpoint is given. Default: ${RegionVariable}, else the Dataphin profile's regionId.",
        HelpName = "id",
    };

    public Option<string?> Edition { get; } = new("--edition")
    {
        Description = "Your tenant's Dataphin edition, which sets how fast calls may go: Personal and Agile share 5 calls per second among all levels; Basic and Intelligent allow 50 / 20 / 5 per second for Levels 1 / 2 / 3 (lineage calls are Level 2). Default: the Dataphin profile's edition, else Basic's quotas.",
        HelpName = "Personal|Agile|Basic|Intelligent",
    };

    public Option<double?> Level1Qps { get; } = new("--level1-qps") { Description = "Override the Level 1 quota, in calls per second (editions with a quota per level).", HelpName = "n" };

    public Option<double?> Level2Qps { get; } = new("--level2-qps") { Description = "Override the Level 2 quota, in calls per second: the pace of lineage add and delete (editions with a quota per level).", HelpName = "n" };

    public Option<double?> Level3Qps { get; } = new("--level3-qps") { Description = "Override the Level 3 quota, in calls per second (editions with a quota per level).", HelpName = "n" };

    public Option<double?> SharedQps { get; } = new("--shared-qps") { Description = "Override the quota all levels share on Personal and Agile, in calls per second.", HelpName = "n" };

    public Option<string?> Redis { get; } = new("--redis")
    {
        Description = $"Share the quota with every other process (on any machine) that uses the same Redis, endpoint, tenant and AccessKey: a Redis connection string such as localhost:6379 or host:6379,password=...,ssl=true. While Redis cannot be reached, each process goes on alone at a quarter of the quota. Default: ${RedisVariable}, else none (this process paces itself alone).",
        HelpName = "connection",
    };

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
        command.Options.Add(Profile);
        command.Options.Add(Edition);
        command.Options.Add(Level1Qps);
        command.Options.Add(Level2Qps);
        command.Options.Add(Level3Qps);
        command.Options.Add(SharedQps);
        command.Options.Add(Redis);
        if (bulk)
        {
            command.Options.Add(Concurrency);
            command.Options.Add(OpUserId);
            command.Options.Add(MaxPause);
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

        var opUserId = parse.GetValue(OpUserId);
        if (opUserId is not null && string.IsNullOrWhiteSpace(opUserId))
        {
            throw new CliUsageException("--op-user-id must not be empty.");
        }

        return new BulkOptions { MaxConcurrency = concurrency, DryRun = dryRun, OpUserId = opUserId, MaxPause = Durations.Parse("--max-pause", parse.GetValue(MaxPause)!) };
    }

    /// <summary>A client from the options, the environment and the profile, over a request tracker; a dry run gets one that never sends.</summary>
    public CliConnection Connect(ParseResult parse, CliEnvironment environment, bool dryRun)
    {
        var options = new DataphinClientOptions { UserAgentSuffix = "dataphin-cli" };
        ApplyEdition(parse, environment, options);
        if (dryRun)
        {
            return new CliConnection(new DryRunClient(), null, null, null);
        }

        var endpoint = ResolveEndpoint(parse, environment)
            ?? throw new CliUsageException($"No endpoint: pass --endpoint <url> or --region <id>, set ${EndpointVariable} or ${RegionVariable}, or give the Dataphin profile an endpoint (dataphin config set endpoint <url>).");
        (options.Endpoint, options.RegionId) = endpoint.Value;
        var credential = ResolveCredential(parse, environment);
        options.CredentialProvider = credential.Provider;
        var fleet = ConnectRedis(parse, environment);
        options.RateLimit.Provider = fleet;
        var ownsHandler = environment.HttpHandler is null;
        var tracker = new BulkRequestTracker(environment.HttpHandler ?? CreateHandler());
        var http = new HttpClient(tracker, disposeHandler: false) { Timeout = Timeout.InfiniteTimeSpan };
        try
        {
            var client = new DataphinClient(http, options);
            return new CliConnection(client, tracker, http, ownsHandler ? tracker : null)
            {
                Fleet = fleet,
                AccessKeyId = credential.Resolution.Credential.AccessKeyId,
                CredentialSource = credential.Resolution.Source,
            };
        }
        catch (ArgumentException error)
        {
            fleet?.Dispose();
            http.Dispose();
            if (ownsHandler)
            {
                tracker.Dispose();
            }

            throw new CliUsageException(CliText.WithoutParameterName(error), error);
        }
    }

    /// <summary>The shared budget of --redis (else $DATAPHIN_REDIS), or <see langword="null"/> when neither is given; its warnings go to standard error.</summary>
    private DataphinRedisRateLimiterProvider? ConnectRedis(ParseResult parse, CliEnvironment environment)
    {
        var (text, origin) = parse.GetValue(Redis) is { } given ? (given, "--redis") : (environment.GetVariable(RedisVariable), "$" + RedisVariable);
        if (text is null || (origin != "--redis" && text.Length == 0))
        {
            return null;
        }

        try
        {
            return new DataphinRedisRateLimiterProvider(text, null, new CliWarningLog(environment.Warnings));
        }
        catch (ArgumentException error)
        {
            throw new CliUsageException($"The Redis connection ({origin}) cannot be used: {CliText.WithoutParameterName(error)}", error);
        }
    }

    /// <summary>The edition and where it came from: --edition, else the profile's; <see langword="null"/> when neither names one.</summary>
    public Setting<DataphinEdition>? ResolveEdition(ParseResult parse, CliEnvironment environment)
    {
        var text = parse.GetValue(Edition);
        if (text is null)
        {
            return ProfileEdition(parse, environment);
        }

        var edition = text.Trim().ToUpperInvariant() switch
        {
            "PERSONAL" => DataphinEdition.Personal,
            "AGILE" => DataphinEdition.Agile,
            "BASIC" => DataphinEdition.Basic,
            "INTELLIGENT" => DataphinEdition.Intelligent,
            _ => throw new CliUsageException($"--edition '{text}' is not one of Personal, Agile, Basic, Intelligent."),
        };
        return new(edition, "--edition");
    }

    /// <summary>Whether plain http to <paramref name="uri"/> stays on this machine, as the SDK decides it (loopback addresses, localhost and names under .localhost).</summary>
    private static bool IsLoopback(Uri uri)
    {
        if (uri.IsLoopback || (IPAddress.TryParse(uri.Host.Trim('[', ']'), out var address) && IPAddress.IsLoopback(address)))
        {
            return true;
        }

        var name = uri.Host.TrimEnd('.');
        return string.Equals(name, "localhost", StringComparison.OrdinalIgnoreCase)
               || (name.EndsWith(".localhost", StringComparison.OrdinalIgnoreCase) && name.Length > ".localhost".Length && name[0] != '.');
    }

    /// <summary>Refuses an endpoint that is not http(s), or that sends signed requests over plain http to another machine.</summary>
    private static Uri CheckEndpoint(Uri uri, string text, string origin)
    {
        if (uri.Scheme is not ("http" or "https"))
        {
            throw new CliUsageException($"The endpoint '{text}' ({origin}) is not an absolute URL such as https://dataphin-public.cn-hangzhou.aliyuncs.com.");
        }

        if (uri.Scheme == "http" && !IsLoopback(uri))
        {
            throw new CliUsageException($"The endpoint '{text}' ({origin}) uses plain http to another machine: the signed requests and their answers would cross the network unencrypted. Use https; plain http is allowed only to this machine (127.0.0.1 or localhost), e.g. the emulator.");
        }

        if (uri.AbsolutePath != "/" || uri.Query.Length > 0 || uri.Fragment.Length > 0)
        {
            throw new CliUsageException($"The endpoint '{text}' ({origin}) must be a scheme and host (and port) only, such as https://dataphin-public.cn-hangzhou.aliyuncs.com; remove '{uri.PathAndQuery}{uri.Fragment}'.");
        }

        return uri;
    }

    /// <summary>Refuses a region id that cannot name an endpoint (the SDK builds https://dataphin-public.{region}.aliyuncs.com from it).</summary>
    private static string CheckRegion(string region, string origin)
    {
        var valid = region.Length > 0 && region[0] != '-' && region[^1] != '-' && region.All(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '-');
        return valid ? region : throw new CliUsageException($"The region '{region}' ({origin}) is not a region id such as cn-hangzhou (lower-case letters, digits and hyphens).");
    }

    private static SocketsHttpHandler CreateHandler() => new()
    {
        AllowAutoRedirect = false,
        PooledConnectionLifetime = TimeSpan.FromMinutes(5),
        AutomaticDecompression = System.Net.DecompressionMethods.GZip | System.Net.DecompressionMethods.Deflate,
    };

    /// <summary>The edition (--edition, else the profile's) and the quota overrides, checked against each other.</summary>
    private void ApplyEdition(ParseResult parse, CliEnvironment environment, DataphinClientOptions options)
    {
        var setting = ResolveEdition(parse, environment);
        var edition = setting?.Value;
        var level1 = Qps(parse, Level1Qps);
        var level2 = Qps(parse, Level2Qps);
        var level3 = Qps(parse, Level3Qps);
        var shared = Qps(parse, SharedQps);
        var sharesOneBudget = edition is DataphinEdition.Personal or DataphinEdition.Agile;
        var from = setting?.Origin == "--edition" ? string.Empty : $" ({setting?.Origin})";
        if (sharesOneBudget && (level1 ?? level2 ?? level3) is not null)
        {
            throw new CliUsageException($"The {edition} edition{from} has one quota for all levels: use --shared-qps instead of --level1-qps, --level2-qps or --level3-qps.");
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

    /// <summary>The AccessKey id (not secret) the run starts with, for the journal's hash of it.</summary>
    public string? AccessKeyId { get; init; }

    /// <summary>Where the credential came from (e.g. the environment variables, a credentials file section), for advice after an authentication error.</summary>
    public string? CredentialSource { get; init; }

    /// <summary>The quota shared through Redis (--redis), if any; closed with the connection.</summary>
    public IDisposable? Fleet { get; init; }

    public void Dispose()
    {
        Client.Dispose();
        Fleet?.Dispose();
        http?.Dispose();
        ownedHandler?.Dispose();
    }
}
