using System.CommandLine;
using System.Globalization;
using System.Net;
using Dataphin.OpenApi.OpenLineage;
using Dataphin.OpenApi.OpenLineage.AspNetCore;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Dataphin.OpenApi.Cli;

/// <summary>
/// <c>dataphin serve</c>: an OpenLineage endpoint (the Dataphin.OpenApi.OpenLineage.AspNetCore package) that Spark,
/// Airflow, dbt and Flink post their events to, forwarding them to Dataphin, until Ctrl+C or SIGTERM.
/// </summary>
internal static class ServeCommand
{
    public const string ApiKeysVariable = "DATAPHIN_SERVE_API_KEYS";
    public const string ReadyLine = "Ready. Press Ctrl+C to stop; what is not forwarded yet stays queued for the next start.";
    private const string Route = "/api/v1/lineage";

    public static Command Build(TextWriter stdout, CliEnvironment environment)
    {
        var command = new Command("serve", "Run an OpenLineage endpoint that Spark, Airflow, dbt and Flink post their events to (HTTP transport, one event or an array per post, gzip allowed) and forward their table and column lineage to Dataphin. "
            + "Every accepted event is written to a queue on disk before it is acknowledged, so a crash or restart loses nothing; the endpoint answers 503 with Retry-After when the queue is full. "
            + $"Events go to POST {Route}; GET /health tells whether the queue is writable, GET {Route}/unmapped lists the datasets no rule maps, GET {Route}/status the queue depth and counts.");
        var port = new Option<int>("--port") { Description = "The port to listen on (0: any free port, printed when ready). Default: 5000.", DefaultValueFactory = _ => 5000, HelpName = "n" };
        var host = new Option<string>("--host") { Description = "The address to listen on: 127.0.0.1 (this machine only, the default), 0.0.0.0 or :: (every interface) or one address of this machine.", DefaultValueFactory = _ => "127.0.0.1", HelpName = "address" };
        var apiKeys = new Option<string[]>("--api-key") { Description = $"An API key senders must present as 'Authorization: Bearer <key>' (at least 16 characters; repeat the option for several). Default: ${ApiKeysVariable} (comma-separated). Prefer the variable: a command line is visible to other users of the machine.", HelpName = "key", AllowMultipleArgumentsPerToken = false };
        var anonymous = new Option<bool>("--allow-anonymous") { Description = "Accept events without an API key from this machine only (listening on 127.0.0.1 or ::1); for trying it out." };
        var rules = new Option<FileInfo>("--rules") { Description = "The mapping rules from OpenLineage dataset namespace/name to Dataphin tables (JSON, as for 'openlineage import --mapping').", Required = true, HelpName = "rules.json" };
        var state = new Option<DirectoryInfo?>("--state") { Description = "The folder of the queue (one server per folder). Default: ~/.local/state/dataphin/serve ($XDG_STATE_HOME; %LOCALAPPDATA% on Windows).", HelpName = "folder" };
        var capacity = new Option<int>("--queue-capacity") { Description = "The most events waiting to be forwarded; beyond it posts are answered 503 with Retry-After. Default: 10000.", DefaultValueFactory = _ => 10_000, HelpName = "n" };
        var connection = new ConnectionOptions();
        command.Options.Add(port);
        command.Options.Add(host);
        command.Options.Add(apiKeys);
        command.Options.Add(anonymous);
        command.Options.Add(rules);
        command.Options.Add(state);
        command.Options.Add(capacity);
        connection.AddTo(command, bulk: false);
        command.Options.Add(connection.Concurrency);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var portNumber = parse.GetValue(port);
            if (portNumber is < 0 or > 65535)
            {
                throw new CliUsageException($"--port must be between 0 and 65535; it was {portNumber}.");
            }

            var hostText = parse.GetValue(host)!.Trim();
            if (!IPAddress.TryParse(hostText.Trim('[', ']'), out var address))
            {
                throw new CliUsageException($"--host '{hostText}' is not an IP address such as 127.0.0.1, 0.0.0.0 or ::.");
            }

            var allowAnonymous = parse.GetValue(anonymous);
            if (allowAnonymous && !IPAddress.IsLoopback(address))
            {
                throw new CliUsageException($"--allow-anonymous accepts events without a key only from this machine, so it needs --host 127.0.0.1 or ::1; with --host {hostText}, give an --api-key instead.");
            }

            var keys = Keys(parse.GetValue(apiKeys), environment);
            if (keys.Count == 0 && !allowAnonymous)
            {
                throw new CliUsageException($"No API key: pass --api-key <key> (repeatable) or set ${ApiKeysVariable} (comma-separated), e.g. a key made with 'openssl rand -hex 32'. Or pass --allow-anonymous to accept events without a key from this machine only.");
            }

            for (var i = 0; i < keys.Count; i++)
            {
                if (keys[i].Length < 16)
                {
                    throw new CliUsageException($"API key number {i + 1} is shorter than 16 characters; use a long random key, e.g. made with 'openssl rand -hex 32'.");
                }
            }

            var queueCapacity = parse.GetValue(capacity);
            if (queueCapacity is < 1 or > 10_000_000)
            {
                throw new CliUsageException($"--queue-capacity must be between 1 and 10,000,000; it was {queueCapacity}.");
            }

            var concurrency = parse.GetValue(connection.Concurrency);
            if (concurrency is < 1 or > 256)
            {
                throw new CliUsageException($"--concurrency must be between 1 and 256; it was {concurrency}.");
            }

            var rulesFile = parse.GetValue(rules)!;
            if (!rulesFile.Exists)
            {
                throw new CliUsageException($"The mapping rules file '{rulesFile.FullName}' does not exist.");
            }

            OpenLineageMappingRules mapping;
            try
            {
                mapping = OpenLineageMappingRules.Parse(await File.ReadAllTextAsync(rulesFile.FullName, cancellationToken).ConfigureAwait(false));
                _ = new OpenLineageImporter(mapping);
            }
            catch (ArgumentException error)
            {
                throw new CliUsageException($"{rulesFile.Name}: {CliText.WithoutParameterName(error)}", error);
            }

            var folder = parse.GetValue(state)?.FullName ?? Path.Combine(Path.GetDirectoryName(StateFolder.Runs(environment))!, "serve");
            var tenant = connection.ResolveTenant(parse, environment, dryRun: false);
            using var connected = connection.Connect(parse, environment, dryRun: false);

            var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [] });
            builder.WebHost.UseUrls($"http://{(address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? $"[{address}]" : address.ToString())}:{portNumber.ToString(CultureInfo.InvariantCulture)}");
            builder.Services.AddSingleton<IHostLifetime, CliHostLifetime>(); // Ctrl+C and SIGTERM are the tool's (StopSignals), not the host's.
            builder.Logging.ClearProviders();
            builder.Logging.AddSimpleConsole(o =>
            {
                o.SingleLine = true;
                o.TimestampFormat = "HH:mm:ss ";
            });
            builder.Services.Configure<Microsoft.Extensions.Logging.Console.ConsoleLoggerOptions>(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
            builder.Logging.SetMinimumLevel(LogLevel.Warning);
            builder.Logging.AddFilter("Dataphin.OpenApi.OpenLineage.AspNetCore", LogLevel.Information);
            builder.Services.AddSingleton(connected.Client);
            builder.Services.AddDataphinOpenLineage(o =>
            {
                o.TenantId = tenant;
                foreach (var key in keys)
                {
                    o.ApiKeys.Add(key);
                }

                o.AllowAnonymousOnLoopback = allowAnonymous;
                o.MappingRules = mapping;
                o.StateFolder = folder;
                o.QueueCapacity = queueCapacity;
                o.MaxConcurrency = concurrency;
            });
            var app = builder.Build();
            await using (app.ConfigureAwait(false))
            {
                app.MapDataphinOpenLineage(Route);
                app.MapHealthChecks("/health");
                try
                {
                    await app.StartAsync(cancellationToken).ConfigureAwait(false);
                }
                catch (IOException error)
                {
                    throw new CliUsageException($"Cannot listen on {hostText} port {portNumber}: {error.Message}", error);
                }
                catch (InvalidOperationException error)
                {
                    throw new CliUsageException(error.Message, error);
                }

                var listening = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
                var queue = app.Services.GetRequiredService<Dataphin.OpenApi.OpenLineage.AspNetCore.Queue.OpenLineageQueueHolder>().Get();
                var baseUrl = listening.GetLeftPart(UriPartial.Authority);
                await stdout.WriteLineAsync($"dataphin serve: listening on {baseUrl}{Route}").ConfigureAwait(false);
                await stdout.WriteLineAsync($"  OpenLineage transport: url {baseUrl}, endpoint {Route.TrimStart('/')}, {(keys.Count == 0 ? "no API key (this machine only)" : $"API key: {(parse.GetResult(apiKeys) is null ? $"from ${ApiKeysVariable}" : "from --api-key")} ({keys.Count})")}").ConfigureAwait(false);
                await stdout.WriteLineAsync($"  health:                {baseUrl}/health").ConfigureAwait(false);
                await stdout.WriteLineAsync($"  unmapped datasets:     {baseUrl}{Route}/unmapped").ConfigureAwait(false);
                await stdout.WriteLineAsync($"  forwarding to:         {connected.Client.Endpoint} tenant {tenant}, at most {concurrency} pairs at once, within the Level 2 quota").ConfigureAwait(false);
                await stdout.WriteLineAsync($"  queue:                 {queue.Path} ({queue.Replayed} events from before, {queueCapacity} at most)").ConfigureAwait(false);
                await StopSignals.AnnounceReadyAndWaitAsync(stdout, ReadyLine, cancellationToken).ConfigureAwait(false);

                await stdout.WriteLineAsync("Stopping: forwarding what is ready for up to 10 s.").ConfigureAwait(false);
                await app.StopAsync(CancellationToken.None).ConfigureAwait(false);
                await stdout.WriteLineAsync($"Stopped: {queue.Count} events stay queued in {queue.Path} and are forwarded after the next start.").ConfigureAwait(false);
            }

            return ExitCodes.Success;
        });
        return command;
    }

    private static List<string> Keys(string[]? fromOptions, CliEnvironment environment)
    {
        var keys = new List<string>();
        var source = fromOptions is { Length: > 0 } ? fromOptions : (environment.GetVariable(ApiKeysVariable) ?? string.Empty).Split(',');
        foreach (var key in source)
        {
            if (key.Trim().Length > 0)
            {
                keys.Add(key.Trim());
            }
        }

        return keys;
    }

    /// <summary>A host lifetime that leaves the process's signals alone: the tool stops the host itself.</summary>
    private sealed class CliHostLifetime : IHostLifetime
    {
        public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
