using System.Net;
using Dataphin.OpenApi.Testing.Faults;
using Dataphin.OpenApi.Testing.Hosting;
using Dataphin.OpenApi.Testing.Lineage;
using Dataphin.OpenApi.Testing.Operations;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace Dataphin.OpenApi.Testing;

/// <summary>
/// A local stand-in for the Dataphin OpenAPI (<c>dataphin-public</c>, API version 2023-06-30) on a loopback Kestrel
/// server. It speaks the real wire protocol (POST <c>/</c>, action in <c>x-acs-action</c>, query and form body, the
/// service's JSON answers), verifies ACS3-HMAC-SHA256 signatures as the service does, stores registered lineage per
/// tenant, enforces edition quotas, injects faults on request, and lets test code inspect what it stored and received.
/// Thread-safe.
/// </summary>
/// <example>
/// <code>
/// await using var emulator = await DataphinEmulator.StartAsync();
/// using var client = new DataphinClient(emulator.Endpoint, new DataphinCredential(emulator.AccessKeyId, emulator.AccessKeySecret));
/// await client.AddRegisterLineageAsync(emulator.DefaultTenantId, command);
/// var stored = emulator.GetLineage(emulator.DefaultTenantId);
/// </code>
/// </example>
public sealed class DataphinEmulator : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly EmulatorState _state;
    private int _disposed;

    private DataphinEmulator(WebApplication app, EmulatorState state, Uri endpoint, DataphinEmulatorOptions options)
    {
        _app = app;
        _state = state;
        Endpoint = endpoint;
        AccessKeyId = options.AccessKeyId;
        AccessKeySecret = options.AccessKeySecret;
        SecurityToken = options.SecurityToken;
        DefaultTenantId = options.DefaultTenantId;
    }

    /// <summary>The operations the emulator knows (all 338 of the API), each with its throttling level (1 to 3; operations the throttling table does not list are Level 3).</summary>
    public static IReadOnlyDictionary<string, int> Operations => OperationCatalog.Levels;

    /// <summary>The endpoint to send requests to, e.g. <c>http://127.0.0.1:38685/</c>.</summary>
    public Uri Endpoint { get; }

    /// <summary>The id of the AccessKey created at start.</summary>
    public string AccessKeyId { get; }

    /// <summary>The secret of the AccessKey created at start.</summary>
    public string AccessKeySecret { get; }

    /// <summary>The security token the AccessKey created at start requires, or <see langword="null"/> for a plain AccessKey.</summary>
    public string? SecurityToken { get; }

    /// <summary>The tenant created at start, which the default AccessKey may call.</summary>
    public long DefaultTenantId { get; }

    /// <summary>The tenants the emulator has.</summary>
    public IReadOnlyCollection<long> Tenants => _state.Tenants.Keys.OrderBy(t => t).ToList();

    /// <summary>
    /// Every request received so far, oldest first, with how it was answered: up to
    /// <see cref="DataphinEmulatorOptions.MaxRecordedRequests"/> of them and about
    /// <see cref="DataphinEmulatorOptions.MaxRecordedRequestBytes"/> of memory (the oldest are dropped first).
    /// </summary>
    public IReadOnlyList<EmulatorRequest> Requests => _state.Log.Snapshot();

    /// <summary>
    /// How many requests the emulator has received since it started, counting those <see cref="Requests"/> no longer
    /// holds (dropped by its caps or by <see cref="ClearRequests"/>).
    /// </summary>
    public long RequestsReceived => _state.Log.Received;

    /// <summary>The quotas enforced; setting them replaces the quotas and refills every bucket.</summary>
    /// <exception cref="ArgumentNullException">The value is null.</exception>
    /// <exception cref="ArgumentException">A number is not valid.</exception>
    public EmulatorQuotas Quotas
    {
        get => _state.Quotas.Current;
        set
        {
            ArgumentNullException.ThrowIfNull(value);
            var problems = value.Problems().ToList();
            if (problems.Count > 0)
            {
                throw new ArgumentException(string.Join(" ", problems), nameof(value));
            }

            _state.Quotas.Replace(value);
        }
    }

    /// <summary>Starts an emulator on 127.0.0.1 (a free port unless <see cref="DataphinEmulatorOptions.Port"/> is set).</summary>
    /// <param name="options">Settings; defaults when <see langword="null"/>.</param>
    /// <param name="cancellationToken">Cancels the start.</param>
    /// <returns>The running emulator; dispose it to stop it.</returns>
    /// <exception cref="ArgumentException">The options are not valid; the message names every problem.</exception>
    public static async Task<DataphinEmulator> StartAsync(DataphinEmulatorOptions? options = null, CancellationToken cancellationToken = default)
    {
        options = (options ?? new DataphinEmulatorOptions()).Validate();
        var state = new EmulatorState(options);
        state.Tenants[options.DefaultTenantId] = true;
        state.Keys[options.AccessKeyId] = new EmulatorAccessKey(options.AccessKeyId, options.AccessKeySecret, options.DefaultTenantId)
        {
            SecurityToken = options.SecurityToken,
        };

        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore().ConfigureKestrel(kestrel =>
        {
            kestrel.Listen(IPAddress.Loopback, options.Port);
            kestrel.AddServerHeader = false;

            // The emulator caps bodies itself (MaxRequestBodyBytes), answering in the service's error shape.
            kestrel.Limits.MaxRequestBodySize = null;
        });
        var app = builder.Build();
        var handler = new EmulatorRequestHandler(state);
        app.Run(handler.HandleAsync);
        await app.StartAsync(cancellationToken).ConfigureAwait(false);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault()
            ?? throw new InvalidOperationException("Kestrel did not report the address it listens on.");
        var port = new Uri(address).Port;
        return new DataphinEmulator(app, state, new Uri($"http://127.0.0.1:{port}/"), options);
    }

    /// <summary>Adds a tenant (no AccessKey may call it until one is given access).</summary>
    /// <param name="tenantId">The tenant id.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="tenantId"/> is not positive.</exception>
    public void AddTenant(long tenantId)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(tenantId);
        _state.Tenants[tenantId] = true;
    }

    /// <summary>Adds an AccessKey, or replaces the one with the same id; its tenants are created if missing.</summary>
    /// <param name="accessKey">The AccessKey and what it may do.</param>
    /// <exception cref="ArgumentNullException"><paramref name="accessKey"/> is null.</exception>
    public void AddAccessKey(EmulatorAccessKey accessKey)
    {
        ArgumentNullException.ThrowIfNull(accessKey);
        foreach (var tenant in accessKey.TenantIds)
        {
            _state.Tenants[tenant] = true;
        }

        _state.Keys[accessKey.AccessKeyId] = accessKey;
    }

    /// <summary>Removes an AccessKey; later requests signed with it get <c>InvalidAccessKeyId.NotFound</c>.</summary>
    /// <param name="accessKeyId">The AccessKey id.</param>
    /// <returns>Whether the key existed.</returns>
    public bool RemoveAccessKey(string accessKeyId) => _state.Keys.TryRemove(accessKeyId, out _);

    /// <summary>Marks an AccessKey as having, or lacking, RAM authorization for the Dataphin OpenAPI (lacking: <c>DataphinOpenAPIRamUnAuthorized</c>, HTTP 401).</summary>
    /// <param name="accessKeyId">The AccessKey id.</param>
    /// <param name="authorized">Whether it is authorized.</param>
    /// <exception cref="KeyNotFoundException">No such AccessKey.</exception>
    public void SetRamAuthorized(string accessKeyId, bool authorized)
    {
        if (!_state.Keys.TryGetValue(accessKeyId, out var key))
        {
            throw new KeyNotFoundException($"The emulator has no AccessKey '{accessKeyId}'.");
        }

        _state.Keys[accessKeyId] = new EmulatorAccessKey(key.AccessKeyId, key.AccessKeySecret, [.. key.TenantIds])
        {
            SecurityToken = key.SecurityToken,
            RamAuthorized = authorized,
        };
    }

    /// <summary>The lineage stored for a tenant: table edges in the order first registered, each with its field edges (a snapshot).</summary>
    /// <param name="tenantId">The tenant id.</param>
    /// <returns>The table lineage edges; empty when there are none.</returns>
    public IReadOnlyList<RegisteredTableLineage> GetLineage(long tenantId) => _state.Lineage.Snapshot(tenantId);

    /// <summary>
    /// Stores lineage as if Dataphin had found it itself (for example from its own tasks), so not registered through
    /// the OpenAPI: DeleteRegisterLineage leaves it in place, as the service does.
    /// </summary>
    /// <param name="tenantId">The tenant id.</param>
    /// <param name="addRegisterLineageCommandJson">The lineage, in the JSON shape of an AddRegisterLineage command.</param>
    /// <exception cref="ArgumentException">The JSON breaks a rule of AddRegisterLineage; the message says which.</exception>
    public void SeedSystemLineage(long tenantId, string addRegisterLineageCommandJson)
    {
        var error = LineageCommandParser.Parse("AddRegisterLineageCommand", addRegisterLineageCommandJson, out var command);
        if (error is not null)
        {
            throw new ArgumentException(error.Message, nameof(addRegisterLineageCommandJson));
        }

        _state.Tenants[tenantId] = true;
        _state.Lineage.Add(tenantId, command!, throughApi: false);
    }

    /// <summary>
    /// Stores lineage as if Dataphin had found it in one of its task nodes: as <see cref="SeedSystemLineage(long, string)"/>,
    /// and its rows carry <c>NodeId</c>, so a <c>GetTableLineages</c> or <c>GetTableColumnLineages</c> filter with
    /// <c>NodeIdList</c> can pick it (registered lineage has no node, so such a filter leaves it out).
    /// </summary>
    /// <param name="tenantId">The tenant id.</param>
    /// <param name="addRegisterLineageCommandJson">The lineage, in the JSON shape of an AddRegisterLineage command.</param>
    /// <param name="nodeId">The task node's id.</param>
    /// <exception cref="ArgumentException">The JSON breaks a rule of AddRegisterLineage (the message says which), or <paramref name="nodeId"/> is empty.</exception>
    public void SeedSystemLineage(long tenantId, string addRegisterLineageCommandJson, string nodeId)
    {
        if (string.IsNullOrWhiteSpace(nodeId))
        {
            throw new ArgumentException("The node id must not be empty: it is what a NodeIdList filter matches.", nameof(nodeId));
        }

        var error = LineageCommandParser.Parse("AddRegisterLineageCommand", addRegisterLineageCommandJson, out var command);
        if (error is not null)
        {
            throw new ArgumentException(error.Message, nameof(addRegisterLineageCommandJson));
        }

        _state.Tenants[tenantId] = true;
        _state.Lineage.Add(tenantId, command!, throughApi: false, nodeId);
    }

    /// <summary>
    /// Drops a table from the emulator's catalog while its lineage stays, as lineage to a dropped table stays in
    /// Dataphin: ListCatalogAssets and GetCatalogAssetDetails no longer show it, and GetTableLineages and
    /// GetTableColumnLineages answer its rows (marked <c>InputTableDeleted</c>/<c>OutputTableDeleted</c>) only when the
    /// filter's <c>NeedNotExistObject</c> is true. Every other table the stored lineage names is in the catalog.
    /// </summary>
    /// <param name="tenantId">The tenant id.</param>
    /// <param name="tableGuid">The table's GUID as the emulator knows it (<see cref="RegisteredReference.EmulatorGuid"/>), compared case-insensitively.</param>
    /// <exception cref="ArgumentException"><paramref name="tableGuid"/> is empty.</exception>
    public void DropTable(long tenantId, string tableGuid)
    {
        if (string.IsNullOrWhiteSpace(tableGuid))
        {
            throw new ArgumentException("The table GUID must not be empty.", nameof(tableGuid));
        }

        _state.Lineage.Drop(tenantId, tableGuid);
    }

    /// <summary>
    /// What the emulator has received and holds, as served at <c>GET /_emulator/state</c>: requests per action and how
    /// they were answered, throttling answers, the lineage stored, and repeated registrations.
    /// </summary>
    /// <returns>A snapshot.</returns>
    public EmulatorStatistics GetStatistics() => _state.Counters.Snapshot(_state.Lineage.Counts());

    /// <summary>The address of the statistics (<see cref="GetStatistics"/>) as JSON, for scripts: <c>GET {Endpoint}_emulator/state</c>.</summary>
    public Uri StateEndpoint => new(Endpoint, EmulatorRequestHandler.StatePath.TrimStart('/'));

    /// <summary>Removes all lineage of a tenant.</summary>
    /// <param name="tenantId">The tenant id.</param>
    public void ClearLineage(long tenantId) => _state.Lineage.Clear(tenantId);

    /// <summary>Forgets the requests received so far.</summary>
    public void ClearRequests() => _state.Log.Clear();

    /// <summary>Injects faults into the answers to <paramref name="action"/> (<c>"*"</c> for every action without its own setting); <see langword="null"/> removes them.</summary>
    /// <param name="action">The operation name, or <c>"*"</c>.</param>
    /// <param name="fault">The faults, or <see langword="null"/>.</param>
    /// <exception cref="ArgumentException">The action is empty or the fault settings are not valid.</exception>
    public void SetFault(string action, EmulatorFault? fault)
    {
        if (string.IsNullOrWhiteSpace(action))
        {
            throw new ArgumentException("The action must be an operation name or \"*\".", nameof(action));
        }

        _state.Faults.Set(action, fault);
    }

    /// <summary>Removes every injected fault.</summary>
    public void ClearFaults() => _state.Faults.Clear();

    /// <summary>Stops the server and releases its port.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            await _app.StopAsync().ConfigureAwait(false);
            await _app.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <inheritdoc />
    public override string ToString() => $"DataphinEmulator {{ Endpoint = {Endpoint}, AccessKeyId = {AccessKeyId}, DefaultTenantId = {DefaultTenantId} }}";
}
