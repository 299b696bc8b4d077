using System.CommandLine;
using System.Globalization;
using System.Text.Json;

namespace Dataphin.OpenApi.Cli;

/// <summary>
/// <c>dataphin whoami</c>: which profile and which credential source were chosen and why, the endpoint, tenant and
/// edition with where each came from, the AccessKey id masked (never the secret or the token), and one cheap read call
/// (GetMyTenants, Level 1, read-only) to prove the key works.
/// </summary>
internal static class WhoamiCommand
{
    /// <summary>The operation called to prove the key: read-only, Level 1 (the largest quota), offered by every edition.</summary>
    public const string CheckOperation = "GetMyTenants";

    public static Command Build(TextWriter stdout, CliEnvironment environment)
    {
        // whoami prints warnings in its own report, not a second time on standard error.
        environment = environment.WithWarnings(TextWriter.Null);
        var command = new Command("whoami", $"Show which Dataphin profile, credential source, endpoint, tenant and edition would be used, and why; then call {CheckOperation} once to prove the AccessKey works. Never shows the secret or the token.");
        var json = new Option<bool>("--json") { Description = "Print the answer as one JSON object." };
        var offline = new Option<bool>("--no-call") { Description = $"Only show the settings; do not call {CheckOperation}." };
        var connection = new ConnectionOptions();
        command.Options.Add(json);
        command.Options.Add(offline);
        connection.AddTo(command, bulk: false);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var report = new Report();
            var profile = Try(report, () => connection.ChooseProfile(parse, environment));
            if (profile is not null)
            {
                report.ProfileFile = profile.Path;
                report.Profile = profile.Profile?.Name;
                report.ProfileWhy = profile.Why ?? profile.NoneBecause;
                report.Warnings.AddRange(profile.Warnings);
            }

            var endpoint = Try(report, () => connection.ResolveEndpoint(parse, environment)
                ?? throw new CliUsageException($"No endpoint: pass --endpoint <url> or --region <id>, set ${ConnectionOptions.EndpointVariable} or ${ConnectionOptions.RegionVariable}, or give the Dataphin profile an endpoint."));
            if (endpoint is not null)
            {
                report.Endpoint = endpoint.Value.Endpoint?.GetLeftPart(UriPartial.Authority) ?? $"https://dataphin-public.{endpoint.Value.Region}.aliyuncs.com (region {endpoint.Value.Region})";
                report.EndpointFrom = endpoint.Origin;
            }

            var tenant = Try(report, () => connection.ResolveTenantSetting(parse, environment)
                ?? throw new CliUsageException($"No tenant: pass --tenant <id>, set ${ConnectionOptions.TenantVariable}, or give the Dataphin profile a tenantId."));
            report.Tenant = tenant?.Value;
            report.TenantFrom = tenant?.Origin;

            var credential = profile is null ? null : Try(report, () => connection.ResolveCredential(parse, environment));
            if (credential is not null)
            {
                var resolution = credential.Resolution;
                report.CredentialSource = resolution.Source;
                report.CredentialWhy = credential.Why;
                report.PassedOver = resolution.Skipped.Select(s => s.Message).ToList();
                report.AccessKeyId = resolution.Credential.MaskedAccessKeyId;
                report.SecurityToken = resolution.Credential.HasSecurityToken;
                report.Warnings.AddRange(resolution.Warnings);
            }

            // --edition, else the profile's (not asked again when the profile could not be read: that is reported above).
            var edition = parse.GetValue(connection.Edition) is null && profile is null ? null : Try(report, () => connection.ResolveEdition(parse, environment));
            report.Edition = edition?.Value.ToString();
            report.EditionFrom = edition?.Origin;

            CliConnection? connected = null;
            if (report.Problems.Count == 0)
            {
                connected = Try(report, () => connection.Connect(parse, environment, dryRun: false));
            }

            using (connected)
            {
                if (connected is not null && !parse.GetValue(offline))
                {
                    await CheckAsync(connected.Client, report.Tenant!.Value, report, cancellationToken).ConfigureAwait(false);
                }
            }

            if (parse.GetValue(json))
            {
                WriteJson(stdout, report);
            }
            else
            {
                WriteHuman(stdout, report);
            }

            return report.Problems.Count > 0 ? ExitCodes.UsageError : report.CheckFailed ? ExitCodes.ItemsFailed : ExitCodes.Success;
        });
        return command;
    }

    private static T? Try<T>(Report report, Func<T?> resolve)
        where T : class
    {
        try
        {
            return resolve();
        }
        catch (CliUsageException problem)
        {
            report.Problems.Add(problem.Message);
            return null;
        }
    }

    private static async Task CheckAsync(DataphinClient client, long tenant, Report report, CancellationToken cancellationToken)
    {
        try
        {
            var response = await client.SendAsync(new DataphinOperationRequest(CheckOperation, tenant), cancellationToken).ConfigureAwait(false);
            report.CheckRequestId = response.RequestId;
            var tenants = new List<string>();
            if (response.Content.TryGetProperty("TenantList", out var list) && list.ValueKind == JsonValueKind.Array)
            {
                foreach (var item in list.EnumerateArray())
                {
                    var id = item.TryGetProperty("Id", out var idValue) && idValue.ValueKind == JsonValueKind.Number ? idValue.GetInt64().ToString(CultureInfo.InvariantCulture) : "?";
                    var name = item.TryGetProperty("Name", out var nameValue) && nameValue.ValueKind == JsonValueKind.String ? nameValue.GetString() : null;
                    tenants.Add(name is null ? id : $"{id} ({name})");
                }
            }

            report.Tenants = tenants;
            report.Check = $"{CheckOperation} succeeded: the AccessKey works for tenant {tenant}" + (tenants.Count == 0 ? "." : $"; its tenants: {string.Join(", ", tenants)}.");
        }
        catch (DataphinException error)
        {
            report.CheckFailed = true;
            report.CheckErrorKind = Kind(error);
            report.CheckRequestId = (error as DataphinRequestException)?.RequestId;
            report.Check = $"{CheckOperation} failed ({report.CheckErrorKind}): {error.Message}{Hint(error, tenant)}";
        }
    }

    private static string Kind(Exception error) => error switch
    {
        DataphinAuthenticationException => "authentication",
        DataphinForbiddenException => "forbidden",
        DataphinThrottledException => "throttled",
        DataphinEditionException => "edition",
        DataphinTimeoutException => "timeout",
        DataphinCircuitOpenException => "circuit open",
        DataphinCredentialException => "credential",
        DataphinRequestException => "service error",
        DataphinTransportException => "network",
        _ => "error",
    };

    private static string Hint(Exception error, long tenant) => error switch
    {
        DataphinAuthenticationException => " The AccessKey was not accepted: check the secret, that the key is enabled, and that its RAM user has the Dataphin OpenAPI permission (RAM roles cannot call it).",
        DataphinForbiddenException => $" The AccessKey is known but may not use tenant {tenant}: check the tenant id (the tenantId in the Dataphin URL) and that the OpenAPI is enabled for it.",
        _ => string.Empty,
    };

    private static void WriteHuman(TextWriter stdout, Report report)
    {
        void Line(string label, string? value) => stdout.WriteLine($"{label,-12} {value}");

        Line("Profile:", report.Profile is null ? $"none ({report.ProfileWhy ?? "no profile file"})" : $"{report.Profile} in {report.ProfileFile} ({report.ProfileWhy})");
        Line("Endpoint:", report.Endpoint is null ? "not set" : $"{report.Endpoint} (from {report.EndpointFrom})");
        Line("Tenant:", report.Tenant is null ? "not set" : $"{report.Tenant.Value.ToString(CultureInfo.InvariantCulture)} (from {report.TenantFrom})");
        Line("Edition:", report.Edition is null ? "not set (no edition checks; the quotas of Basic R&D)" : $"{report.Edition} (from {report.EditionFrom ?? "the command line"})");
        if (report.CredentialSource is not null)
        {
            Line("Credential:", report.CredentialSource);
            Line(string.Empty, $"chosen because {report.CredentialWhy}");
            foreach (var passed in report.PassedOver)
            {
                Line(string.Empty, "passed over: " + passed);
            }

            Line("AccessKey:", report.AccessKeyId + (report.SecurityToken ? " (with an STS token)" : string.Empty));
        }
        else
        {
            Line("Credential:", "none");
        }

        foreach (var warning in report.Warnings)
        {
            Line("Warning:", warning);
        }

        foreach (var problem in report.Problems)
        {
            Line("Problem:", problem);
        }

        if (report.Check is not null)
        {
            Line("Check:", report.Check + (report.CheckRequestId is null ? string.Empty : $" (RequestId {report.CheckRequestId})"));
        }
    }

    private static void WriteJson(TextWriter stdout, Report report)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            json.WriteStartObject();
            json.WriteStartObject("profile");
            json.WriteString("name", report.Profile);
            json.WriteString("file", report.ProfileFile);
            json.WriteString("why", report.ProfileWhy);
            json.WriteEndObject();
            WriteSetting(json, "endpoint", report.Endpoint, report.EndpointFrom);
            json.WriteStartObject("tenant");
            if (report.Tenant is { } tenant)
            {
                json.WriteNumber("value", tenant);
            }
            else
            {
                json.WriteNull("value");
            }

            json.WriteString("from", report.TenantFrom);
            json.WriteEndObject();
            WriteSetting(json, "edition", report.Edition, report.Edition is null ? null : report.EditionFrom ?? "the command line");
            json.WriteStartObject("credential");
            json.WriteString("source", report.CredentialSource);
            json.WriteString("why", report.CredentialWhy);
            json.WriteString("accessKeyId", report.AccessKeyId);
            json.WriteBoolean("securityToken", report.SecurityToken);
            json.WriteStartArray("passedOver");
            report.PassedOver.ForEach(json.WriteStringValue);
            json.WriteEndArray();
            json.WriteEndObject();
            json.WriteStartArray("warnings");
            report.Warnings.ForEach(json.WriteStringValue);
            json.WriteEndArray();
            json.WriteStartArray("problems");
            report.Problems.ForEach(json.WriteStringValue);
            json.WriteEndArray();
            if (report.Check is null)
            {
                json.WriteNull("check");
            }
            else
            {
                json.WriteStartObject("check");
                json.WriteString("operation", CheckOperation);
                json.WriteBoolean("succeeded", !report.CheckFailed);
                json.WriteString("errorKind", report.CheckErrorKind);
                json.WriteString("requestId", report.CheckRequestId);
                json.WriteString("message", report.Check);
                json.WriteStartArray("tenants");
                report.Tenants.ForEach(json.WriteStringValue);
                json.WriteEndArray();
                json.WriteEndObject();
            }

            json.WriteEndObject();
        }

        stdout.WriteLine(System.Text.Encoding.UTF8.GetString(buffer.ToArray()));
    }

    private static void WriteSetting(Utf8JsonWriter json, string name, string? value, string? from)
    {
        json.WriteStartObject(name);
        json.WriteString("value", value);
        json.WriteString("from", from);
        json.WriteEndObject();
    }

    /// <summary>What whoami found; only masked or non-secret values.</summary>
    private sealed class Report
    {
        public string? Profile { get; set; }

        public string? ProfileFile { get; set; }

        public string? ProfileWhy { get; set; }

        public string? Endpoint { get; set; }

        public string? EndpointFrom { get; set; }

        public long? Tenant { get; set; }

        public string? TenantFrom { get; set; }

        public string? Edition { get; set; }

        public string? EditionFrom { get; set; }

        public string? CredentialSource { get; set; }

        public string? CredentialWhy { get; set; }

        public List<string> PassedOver { get; set; } = [];

        public string? AccessKeyId { get; set; }

        public bool SecurityToken { get; set; }

        public List<string> Warnings { get; } = [];

        public List<string> Problems { get; } = [];

        public string? Check { get; set; }

        public bool CheckFailed { get; set; }

        public string? CheckErrorKind { get; set; }

        public string? CheckRequestId { get; set; }

        public List<string> Tenants { get; set; } = [];
    }
}
