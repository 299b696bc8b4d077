using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace Dataphin.OpenApi.Samples.AspNetCore;

/// <summary>The settings of this API: which Dataphin tenant lineage goes to.</summary>
public sealed class LineageApiSettings
{
    /// <summary>The tenant id (the tenantId in the Dataphin URL).</summary>
    public long TenantId { get; set; }
}

/// <summary>Builds the lineage API; tests call <see cref="Build"/> with their own configuration.</summary>
public static class LineageApi
{
    /// <summary>Creates the application: the Dataphin client from configuration section "Dataphin", the tenant from "Lineage".</summary>
    /// <param name="args">Command-line arguments.</param>
    /// <param name="configure">Changes the builder before the app is built (tests add configuration and URLs).</param>
    /// <returns>The application, not started.</returns>
    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(args);
        configure?.Invoke(builder);

        builder.Services.AddProblemDetails();
        builder.Services.AddOptions<LineageApiSettings>().BindConfiguration("Lineage")
            .Validate(s => s.TenantId > 0, "Lineage:TenantId must be the positive tenant id of your Dataphin URL.")
            .ValidateOnStart();
        builder.Services.AddDataphinClient(builder.Configuration.GetSection("Dataphin"));

        var app = builder.Build();

        // Anything not answered below becomes a problem-details 500, never an empty body.
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.MapPost("/jobs/{jobName}/lineage", (string jobName, JobLineage body, DataphinClient client, IOptions<LineageApiSettings> settings, CancellationToken ct) =>
        {
            var tenant = settings.Value.TenantId;
            var command = new AddRegisterLineageCommand();
            Fill(command, body);
            command.RelationProperties["jobName"] = jobName;
            return SendAsync(jobName, tenant, command, command.SplitByFieldLineageLimit, part => client.AddRegisterLineageAsync(tenant, part, ct));
        });
        app.MapDelete("/jobs/{jobName}/lineage", (string jobName, [FromBody] JobLineage body, DataphinClient client, IOptions<LineageApiSettings> settings, CancellationToken ct) =>
        {
            var tenant = settings.Value.TenantId;
            var command = new DeleteRegisterLineageCommand();
            Fill(command, body);
            return SendAsync(jobName, tenant, command, command.SplitByFieldLineageLimit, part => client.DeleteRegisterLineageAsync(tenant, part, ct));
        });
        return app;
    }

    private static async Task<IResult> SendAsync<TCommand>(
        string jobName,
        long tenantId,
        TCommand command,
        Func<int, IReadOnlyList<TCommand>> split,
        Func<TCommand, Task<DataphinResponse>> send)
        where TCommand : LineageCommand
    {
        // Every rule but the 100-per-call limit: a larger job is split explicitly below, every part for the same table pair.
        var errors = LineageCommandValidator.Validate(tenantId, command).Where(e => e.Rule != DataphinValidationRules.TooMany).ToList();
        if (errors.Count > 0)
        {
            return Results.ValidationProblem(
                errors.GroupBy(e => e.Path).ToDictionary(g => g.Key, g => g.Select(e => e.Message).ToArray()),
                title: "The job's lineage is not valid; nothing was sent to Dataphin.");
        }

        try
        {
            var requestIds = new List<string?>();
            foreach (var part in split(LineageLimits.MaxFieldLineagesPerCall))
            {
                requestIds.Add((await send(part)).RequestId);
            }

            return Results.Ok(new { job = jobName, fieldLineages = command.DetailedLineages.Count, requestIds });
        }
        catch (DataphinValidationException invalid)
        {
            // A rule only the client can check once the call is built, such as the 10 MiB body limit: nothing was sent.
            return Results.ValidationProblem(
                invalid.Errors.GroupBy(e => e.Path).ToDictionary(g => g.Key, g => g.Select(e => e.Message).ToArray()),
                title: "The job's lineage is not valid; nothing was sent to Dataphin.");
        }
        catch (DataphinException failed)
        {
            return UpstreamProblem(failed);
        }
    }

    /// <summary>
    /// Dataphin failing is this API's upstream failing, answered as RFC 7807 problem details, never as a bare 500:
    /// 503 with Retry-After (when known) while Dataphin throttles or the client's circuit is open, 504 when the call
    /// ran out of time, and 502 for everything else (the connection failed, a server error, a rejected AccessKey).
    /// The exception messages of the SDK hold no secret; the RequestId is there for Alibaba Cloud support.
    /// </summary>
    private static IResult UpstreamProblem(DataphinException failed)
    {
        var extensions = new Dictionary<string, object?>();
        (int Status, string Title, TimeSpan? RetryAfter) answer = failed switch
        {
            DataphinThrottledException throttled => (StatusCodes.Status503ServiceUnavailable, "Dataphin is throttling lineage registration; retry later.", throttled.RetryAfter),
            DataphinCircuitOpenException open => (StatusCodes.Status503ServiceUnavailable, "Dataphin failed repeatedly; calls are paused for a while.", open.RetryAfter),
            DataphinTimeoutException => (StatusCodes.Status504GatewayTimeout, "Dataphin did not answer in time.", null),
            DataphinTransportException => (StatusCodes.Status502BadGateway, "Dataphin could not be reached.", null),
            DataphinRequestException request => (StatusCodes.Status502BadGateway, $"Dataphin answered {request.ErrorCode ?? "an error"}.", null),
            _ => (StatusCodes.Status502BadGateway, "The call to Dataphin failed.", null),
        };
        switch (failed)
        {
            case DataphinRequestException request:
                extensions["requestId"] = request.RequestId;
                extensions["dataphinStatus"] = request.Status;
                break;
            case DataphinTransportException transport:
                extensions["attempts"] = transport.Attempts;
                extensions["failure"] = transport.Kind.ToString();
                break;
        }

        var problem = Results.Problem(title: answer.Title, detail: failed.Message, statusCode: answer.Status, extensions: extensions);
        return answer.RetryAfter is { } wait ? new WithRetryAfter(problem, wait) : problem;
    }

    private static void Fill(LineageCommand command, JobLineage body)
    {
        command.Source = Table(body.Source);
        command.Target = Table(body.Target);
        foreach (var column in body.Columns)
        {
            command.DetailedLineages.Add(new FieldLineage
            {
                Source = Field(body.Source, column.Source),
                Target = Field(body.Target, column.Target),
                IsDirect = column.Direct,
            });
        }
    }

    // Missing parts are left missing: the SDK's validation reports them by path (Source, Target.Name, ...).
    private static AssetReference? Table(TableRef? table) => table switch
    {
        null => null,
        { Guid: { Length: > 0 } guid } => new AssetReference { ReferenceType = ReferenceType.ByGuid, MetadataType = MetadataType.Table, Guid = guid },
        _ => new AssetReference
        {
            ReferenceType = ReferenceType.ByProperty,
            MetadataType = MetadataType.Table,
            Catalog = table.Catalog,
            Schema = table.Schema,
            Name = table.Name,
            Env = table.Env is null ? (DataphinEnvironment?)null : new DataphinEnvironment(table.Env),
        },
    };

    private static AssetReference? Field(TableRef? table, string? column) => table switch
    {
        null => null,
        { Guid: { Length: > 0 } guid } => new AssetReference { ReferenceType = ReferenceType.ByGuid, MetadataType = MetadataType.Column, Guid = column is null ? null : guid + "." + column, ParentGuid = guid },
        _ => new AssetReference
        {
            ReferenceType = ReferenceType.ByProperty,
            MetadataType = MetadataType.Column,
            Catalog = table.Catalog,
            Schema = table.Schema,
            Name = column,
            Env = table.Env is null ? (DataphinEnvironment?)null : new DataphinEnvironment(table.Env),
        },
    };

    /// <summary>An answer with a <c>Retry-After</c> header in whole seconds, rounded up.</summary>
    private sealed class WithRetryAfter(IResult inner, TimeSpan wait) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext)
        {
            var seconds = Math.Max(1, (long)Math.Ceiling(wait.TotalSeconds));
            httpContext.Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
            return inner.ExecuteAsync(httpContext);
        }
    }
}
