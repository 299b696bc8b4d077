using System.Text.Json;
using Dataphin.OpenApi.Testing;

namespace Dataphin.OpenApi.Cli.Tests;

public class LineageCommandTests
{
    [Theory]
    [InlineData("manifests/lineage.csv", 3)]
    [InlineData("manifests/lineage.jsonl", 3)]
    [InlineData("manifests/lineage.json", 2)]
    public async Task Add_registers_every_item_of_a_sample_manifest_and_exits_0(string sample, int items)
    {
        var handler = new FakeDataphinTransport();

        var run = await CliRun.RunAsync(handler, "lineage", "add", "--file", CliRun.Sample(sample));

        Assert.Equal(0, run.ExitCode);
        Assert.Contains($"lineage add: {items} items: {items} succeeded, 0 failed, 0 invalid, 0 not attempted; {items} requests sent.", run.Stdout);
        Assert.Equal(items, handler.Requests.Count);
        Assert.All(handler.Requests, r => Assert.Equal("AddRegisterLineage", r.Action));
        Assert.All(handler.Requests, r => Assert.Equal("300001234", r.Query["OpTenantId"]));
    }

    [Fact]
    public async Task Delete_sends_DeleteRegisterLineage()
    {
        var handler = new FakeDataphinTransport();

        var run = await CliRun.RunAsync(handler, "lineage", "delete", "-f", CliRun.Sample("manifests/lineage.csv"), "--tenant", "42");

        Assert.Equal(0, run.ExitCode);
        Assert.Equal(3, handler.Requests.Count);
        Assert.All(handler.Requests, r => Assert.Equal("DeleteRegisterLineage", r.Action));
        Assert.All(handler.Requests, r => Assert.Equal("42", r.Query["OpTenantId"]));
    }

    [Fact]
    public async Task Dry_run_sends_nothing_and_needs_no_credentials()
    {
        var handler = new FakeDataphinTransport();

        var run = await CliRun.RunAsync(handler, new Dictionary<string, string>(), "lineage", "add", "--file", CliRun.Sample("manifests/lineage.jsonl"), "--dry-run");

        Assert.Equal(0, run.ExitCode);
        Assert.Empty(handler.Requests);
        Assert.Contains("3 valid", run.Stdout);
        Assert.Contains("Nothing was sent.", run.Stdout);
    }

    [Fact]
    public async Task Invalid_items_are_listed_with_their_lines_and_exit_1()
    {
        var handler = new FakeDataphinTransport();

        var run = await CliRun.RunAsync(handler, "lineage", "add", "--file", CliRun.Sample("manifests/lineage-with-errors.jsonl"));

        Assert.Equal(1, run.ExitCode);
        Assert.Single(handler.Requests);
        Assert.Contains("INVALID typo (line 2): $.Sorce", run.Stdout);
        Assert.Contains("INVALID no-guid (line 3): Source.Guid", run.Stdout);
        Assert.Contains("INVALID line 4:", run.Stdout);
        Assert.Contains("4 items: 1 succeeded, 0 failed, 3 invalid", run.Stdout);
    }

    [Fact]
    public async Task Failures_are_written_out_and_a_re_run_with_them_finishes_the_job()
    {
        var failures = Path.Combine(Path.GetTempPath(), $"dataphin-cli-{Guid.NewGuid():N}.csv");
        try
        {
            var first = CliRun.FailingFor("dim_user", System.Net.HttpStatusCode.BadRequest, "InvalidParameter.AssetNotFound");
            var run = await CliRun.RunAsync(first, "lineage", "add", "--file", CliRun.Sample("manifests/lineage.csv"), "--failures-out", failures);

            Assert.Equal(1, run.ExitCode);
            Assert.Contains("FAILED lines 5-6: AddRegisterLineage failed: HTTP 400 InvalidParameter.AssetNotFound: The service refused it. (RequestId req-fail)", run.Stdout);
            Assert.Contains($"1 item(s) left to do were written to {failures}", run.Stdout);

            var second = new FakeDataphinTransport();
            var rerun = await CliRun.RunAsync(second, "lineage", "add", "--file", failures);

            Assert.Equal(0, rerun.ExitCode);
            var command = CliRun.Command(Assert.Single(second.Requests));
            Assert.Contains("dim_user", command);
            Assert.Contains("nick_name", command);
        }
        finally
        {
            File.Delete(failures);
        }
    }

    [Fact]
    public async Task Items_too_broken_for_the_failures_file_are_counted_and_pointed_to()
    {
        var failures = Path.Combine(Path.GetTempPath(), $"dataphin-cli-{Guid.NewGuid():N}.jsonl");
        try
        {
            var run = await CliRun.RunAsync(new FakeDataphinTransport(), "lineage", "add", "--file", CliRun.Sample("manifests/lineage-with-errors.jsonl"), "--failures-out", failures);
            var json = await CliRun.RunAsync(new FakeDataphinTransport(), "lineage", "add", "--file", CliRun.Sample("manifests/lineage-with-errors.jsonl"), "--failures-out", failures, "--json");

            Assert.Equal(1, run.ExitCode);
            Assert.Contains($"1 item(s) left to do were written to {failures}", run.Stdout);
            Assert.Contains("2 item(s) could not be read and are not in it: fix them in the manifest at the lines listed above.", run.Stdout);
            var written = Assert.Single(File.ReadAllLines(failures));
            Assert.Contains("\"Id\":\"no-guid\"", written);
            using var document = JsonDocument.Parse(json.Stdout);
            Assert.Equal(1, document.RootElement.GetProperty("failuresWritten").GetInt32());
            Assert.Equal(2, document.RootElement.GetProperty("failuresUnreadable").GetInt32());
        }
        finally
        {
            File.Delete(failures);
        }
    }

    [Fact]
    public async Task Json_output_is_one_machine_readable_summary()
    {
        var handler = CliRun.FailingFor("ads_gmv_daily", System.Net.HttpStatusCode.BadRequest, "InvalidParameter.AssetNotFound");

        var run = await CliRun.RunAsync(handler, "lineage", "add", "--file", CliRun.Sample("manifests/lineage.csv"), "--json");

        Assert.Equal(1, run.ExitCode);
        using var json = JsonDocument.Parse(run.Stdout);
        var root = json.RootElement;
        Assert.Equal(3, root.GetProperty("total").GetInt32());
        Assert.Equal(2, root.GetProperty("succeeded").GetInt32());
        Assert.Equal(1, root.GetProperty("failed").GetInt32());
        Assert.Equal(1, root.GetProperty("exitCode").GetInt32());
        var problem = Assert.Single(root.GetProperty("problems").EnumerateArray());
        Assert.Equal("line 7", problem.GetProperty("id").GetString());
        Assert.Equal(400, problem.GetProperty("error").GetProperty("httpStatus").GetInt32());
        Assert.Equal("serviceError", problem.GetProperty("error").GetProperty("kind").GetString());
        Assert.Equal("req-fail", problem.GetProperty("error").GetProperty("requestId").GetString());
    }

    [Fact]
    public async Task A_json_manifest_that_breaks_off_reports_what_was_done_and_exits_1()
    {
        var manifest = Path.Combine(Path.GetTempPath(), $"dataphin-cli-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(manifest, "{\"items\": [\n{\"Source\":{\"Guid\":\"a.b\",\"MetadataType\":\"TABLE\",\"ReferenceType\":\"BY_GUID\"},\"Target\":{\"Guid\":\"a.c\",\"MetadataType\":\"TABLE\",\"ReferenceType\":\"BY_GUID\"}},\n{\"Source\": nope\n");
        try
        {
            var handler = new FakeDataphinTransport();
            var run = await CliRun.RunAsync(handler, "lineage", "add", "--file", manifest);

            Assert.Equal(1, run.ExitCode);
            Assert.Contains("The input broke off: The JSON manifest is not well-formed at line 3", run.Stdout);
            Assert.Contains("1 item: 1 succeeded", run.Stdout);
        }
        finally
        {
            File.Delete(manifest);
        }
    }

    [Theory]
    [InlineData("ALIBABA_CLOUD_ACCESS_KEY_SECRET", "ALIBABA_CLOUD_ACCESS_KEY_ID and ALIBABA_CLOUD_ACCESS_KEY_SECRET")]
    [InlineData("DATAPHIN_ENDPOINT", "No endpoint")]
    [InlineData("DATAPHIN_TENANT_ID", "No tenant")]
    public async Task Missing_configuration_exits_2_naming_what_to_set(string missing, string expected)
    {
        var variables = CliRun.Variables();
        variables.Remove(missing);
        var handler = new FakeDataphinTransport();

        var run = await CliRun.RunAsync(handler, variables, "lineage", "add", "--file", CliRun.Sample("manifests/lineage.csv"));

        Assert.Equal(2, run.ExitCode);
        Assert.Contains(expected, run.Stderr);
        Assert.Empty(handler.Requests);
    }

    [Theory]
    [InlineData(new[] { "lineage", "add" }, "--file")]
    [InlineData(new[] { "lineage", "add", "--file", "x.csv", "--bogus" }, "--bogus")]
    [InlineData(new[] { "lineage", "add", "--file", "does-not-exist.csv" }, "does not exist")]
    [InlineData(new[] { "lineage", "add", "--file", "x.csv", "--format", "xml" }, "xml")]
    [InlineData(new[] { "lineage", "add", "--file", "x.csv", "--concurrency", "0" }, "--concurrency")]
    [InlineData(new[] { "lineage" }, "Required command")]
    public async Task Usage_errors_exit_2(string[] args, string expected)
    {
        var sampleArgs = args.Select(a => a == "x.csv" ? CliRun.Sample("manifests/lineage.csv") : a).ToArray();

        var run = await CliRun.RunAsync(new FakeDataphinTransport(), sampleArgs);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains(expected, run.Stderr);
    }

    [Theory]
    [InlineData("samples")]
    [InlineData("samples/manifests")]
    public async Task A_directory_given_as_the_manifest_is_named_as_a_directory(string relative)
    {
        var handler = new FakeDataphinTransport();
        var directory = Path.Combine(AppContext.BaseDirectory, relative);

        var run = await CliRun.RunAsync(handler, "lineage", "add", "--file", directory);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains($"'{directory}' is a directory; --file takes a manifest file", run.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("Cannot tell the manifest format", run.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("does not exist", run.Stderr, StringComparison.Ordinal);
        Assert.Empty(handler.Requests);
    }

    [Fact]
    public async Task Repeated_keys_and_bytes_that_are_not_utf8_are_invalid_items_with_their_lines_and_the_rest_is_registered()
    {
        const string Good = "{\"Source\":{\"Guid\":\"a.b\",\"MetadataType\":\"TABLE\",\"ReferenceType\":\"BY_GUID\"},\"Target\":{\"Guid\":\"a.c\",\"MetadataType\":\"TABLE\",\"ReferenceType\":\"BY_GUID\"}}";
        var manifest = Path.Combine(Path.GetTempPath(), $"dataphin-cli-{Guid.NewGuid():N}.jsonl");
        var bytes = new List<byte>();
        bytes.AddRange(System.Text.Encoding.UTF8.GetBytes(Good + "\n" + Good.Replace("{\"Source\"", "{\"Id\":1,\"Id\":2,\"Source\"", StringComparison.Ordinal) + "\n"));
        var line3 = new List<byte>(System.Text.Encoding.UTF8.GetBytes(Good));
        line3.Insert(Good.IndexOf("a.b", StringComparison.Ordinal) + 1, 0xFF); // "a\xFF.b", at byte offset 20 of line 3
        bytes.AddRange(line3);
        bytes.AddRange(System.Text.Encoding.UTF8.GetBytes("\n" + Good + "\n"));
        await File.WriteAllBytesAsync(manifest, bytes.ToArray());
        try
        {
            var handler = new FakeDataphinTransport();
            var run = await CliRun.RunAsync(handler, "lineage", "add", "--file", manifest);

            Assert.Equal(1, run.ExitCode);
            Assert.Contains("4 items: 2 succeeded, 0 failed, 2 invalid", run.Stdout);
            Assert.Contains("INVALID line 2: $.Id: Line 2: the property \"Id\" appears twice in the same object", run.Stdout);
            Assert.Contains("INVALID line 3: $: Line 3 is not valid UTF-8: the byte 0xFF at byte offset 20 of the line", run.Stdout);
            Assert.Equal(2, handler.Requests.Count);
            Assert.DoesNotContain(handler.Requests, r => CliRun.Command(r).Contains('\uFFFD', StringComparison.Ordinal));
        }
        finally
        {
            File.Delete(manifest);
        }
    }
}
