using System.Text;
using Dataphin.OpenApi.Bulk;

namespace Dataphin.OpenApi.Tests.Bulk;

/// <summary>The run journal: every outcome is kept as it happens, and a later run with the same journal skips what is done.</summary>
public sealed class FileBulkRunStoreTests : IDisposable
{
    private const long Tenant = 300001234;
    private readonly string _folder = Directory.CreateTempSubdirectory("dataphin-journal-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public async Task A_second_run_with_the_journal_sends_only_what_the_first_did_not_finish()
    {
        var path = Path.Combine(_folder, "run.jsonl");
        var identity = Identity();
        var first = new FakeLineageClient((command, _) => command.Target!.Name is "dwd_t3" or "dwd_t7" ? throw MissingAsset() : Task.CompletedTask);
        BulkSummary firstSummary;
        using (var store = FileBulkRunStore.Open(path, identity))
        {
            Assert.False(store.Resumed);
            firstSummary = await new DataphinBulkLineage(first, Tenant).RunToSummaryAsync(LineageItems.Many(10), new BulkOptions { RunStore = store });
        }

        var journal = BulkRunJournal.Read(path);
        Assert.Equal(10, journal.Entries.Count);
        Assert.Equal(8, journal.SucceededCount);
        var failed = Assert.Single(journal.Entries, e => e.Id == "item-3");
        Assert.Equal(BulkItemStatus.Failed, failed.Status);
        Assert.Equal("InvalidParameter.AssetNotFound", failed.Code);
        Assert.Contains("The table does not exist.", failed.Message);
        Assert.Equal(8, firstSummary.Succeeded);

        var second = new FakeLineageClient();
        BulkSummary secondSummary;
        using (var store = FileBulkRunStore.Open(path, identity))
        {
            Assert.True(store.Resumed);
            Assert.Equal(8, store.SucceededEarlier);
            secondSummary = await new DataphinBulkLineage(second, Tenant).RunToSummaryAsync(LineageItems.Many(10), new BulkOptions { RunStore = store });
        }

        Assert.Equal(["dwd_t3", "dwd_t7"], second.Sent.Select(c => c.Target!.Name).Order());
        Assert.Equal(8, secondSummary.AlreadyDone);
        Assert.Equal(2, secondSummary.Succeeded);
        Assert.True(secondSummary.AllSucceeded);
        var reread = BulkRunJournal.Read(path);
        Assert.Equal(10, reread.SucceededCount);
        Assert.Equal(1, reread.Resumes);
        Assert.Equal(12, reread.Entries.Count);
    }

    [Fact]
    public async Task The_journal_is_readable_by_a_person_one_line_per_outcome()
    {
        var path = Path.Combine(_folder, "run.jsonl");
        var client = new FakeLineageClient((command, _) => command.Target!.Name == "dwd_t1" ? throw MissingAsset() : Task.CompletedTask);
        var items = LineageItems.Many(2).Append(LineageItem.Unreadable("line 9", 9, [new DataphinValidationError("$", DataphinValidationRules.Malformed, "Line 9 is not valid JSON")]));
        using (var store = FileBulkRunStore.Open(path, Identity()))
        {
            await new DataphinBulkLineage(client, Tenant).RunToSummaryAsync(items, new BulkOptions { RunStore = store, MaxConcurrency = 1 });
        }

        var lines = await File.ReadAllLinesAsync(path);
        Assert.Equal(4, lines.Length);
        Assert.StartsWith("""{"journal":"dataphin-bulk-run","version":1,"operation":"lineage add","manifest":{"sha256":"aaaa""", lines[0]);
        Assert.Contains("\"tenant\":300001234", lines[0]);
        Assert.Contains("\"accessKeyIdHash\":\"sha256:", lines[0]);
        Assert.DoesNotContain("testAccessKeyId", lines[0]);
        Assert.Equal("""{"item":1,"id":"item-0","status":"succeeded"}""", lines[1]);
        Assert.StartsWith("""{"item":2,"id":"item-1","status":"failed","code":"InvalidParameter.AssetNotFound","message":"AddRegisterLineage failed: HTTP 400""", lines[2]);
        Assert.Equal("""{"item":3,"id":"line 9","status":"invalid","message":"Line 9 is not valid JSON"}""", lines[3]);
    }

    [Fact]
    public async Task A_last_line_cut_short_by_a_crash_is_ignored_and_that_item_is_sent_again()
    {
        var path = Path.Combine(_folder, "run.jsonl");
        using (var store = FileBulkRunStore.Open(path, Identity()))
        {
            await new DataphinBulkLineage(new FakeLineageClient(), Tenant).RunToSummaryAsync(LineageItems.Many(3), new BulkOptions { RunStore = store, MaxConcurrency = 1 });
        }

        var intact = new FileInfo(path).Length;
        await File.AppendAllTextAsync(path, """{"item":4,"id":"item-3","stat""");
        Assert.True(BulkRunJournal.Read(path).HadTornLastLine);
        Assert.Equal(3, BulkRunJournal.Read(path).SucceededCount);

        var client = new FakeLineageClient();
        using (var store = FileBulkRunStore.Open(path, Identity()))
        {
            Assert.Equal(3, store.SucceededEarlier);
            await new DataphinBulkLineage(client, Tenant).RunToSummaryAsync(LineageItems.Many(5), new BulkOptions { RunStore = store, MaxConcurrency = 1 });
        }

        Assert.Equal(["dwd_t3", "dwd_t4"], client.Sent.Select(c => c.Target!.Name));
        var journal = BulkRunJournal.Read(path);
        Assert.False(journal.HadTornLastLine);
        Assert.Equal(5, journal.SucceededCount);
        Assert.DoesNotContain("\"stat{", await File.ReadAllTextAsync(path));
        Assert.True(new FileInfo(path).Length > intact);
    }

    [Fact]
    public void A_damaged_line_before_the_last_is_refused_with_its_line_number()
    {
        var path = Path.Combine(_folder, "run.jsonl");
        using (FileBulkRunStore.Open(path, Identity()))
        {
        }

        File.AppendAllText(path, "{\"item\":1,\"id\":\"a\",\"status\":\"succeeded\"}\nnot json at all\n{\"item\":2,\"id\":\"b\",\"status\":\"succeeded\"}\n");

        var error = Assert.Throws<BulkRunJournalException>(() => FileBulkRunStore.Open(path, Identity()));

        Assert.Equal(BulkRunJournalProblem.Damaged, error.Problem);
        Assert.Contains("line 3", error.Message);
    }

    [Fact]
    public void A_file_that_is_not_a_journal_is_refused()
    {
        var path = Path.Combine(_folder, "lineage.jsonl");
        File.WriteAllText(path, "{\"Source\":{}}\n");

        var error = Assert.Throws<BulkRunJournalException>(() => FileBulkRunStore.Open(path, Identity()));

        Assert.Equal(BulkRunJournalProblem.Damaged, error.Problem);
        Assert.Contains("is not a run journal", error.Message);
        Assert.Equal("{\"Source\":{}}\n", File.ReadAllText(path));
    }

    [Theory]
    [InlineData("operation", "another operation ('lineage add', not 'lineage delete')")]
    [InlineData("manifest", "another manifest (10 items, SHA-256 aaaaaaaaaaaa...; this one has 11 items")]
    [InlineData("endpoint", "another endpoint (http://127.0.0.1:9/, not https://dataphin-public.cn-hangzhou.aliyuncs.com/)")]
    [InlineData("tenant", "another tenant (300001234, not 42)")]
    public void A_journal_written_for_another_run_is_refused_naming_the_difference(string what, string expected)
    {
        var path = Path.Combine(_folder, "run.jsonl");
        using (FileBulkRunStore.Open(path, Identity()))
        {
        }

        var other = what switch
        {
            "operation" => Identity(operation: "lineage delete"),
            "manifest" => Identity(items: 11),
            "endpoint" => Identity(endpoint: "https://dataphin-public.cn-hangzhou.aliyuncs.com"),
            _ => Identity(tenant: 42),
        };

        var error = Assert.Throws<BulkRunJournalException>(() => FileBulkRunStore.Open(path, other));

        Assert.Equal(BulkRunJournalProblem.DifferentRun, error.Problem);
        Assert.Contains(expected, Assert.Single(error.Differences));
        using var fresh = FileBulkRunStore.Open(path, other, fresh: true);
        Assert.False(fresh.Resumed);
    }

    [Fact]
    public void Two_runs_cannot_write_one_journal_at_once()
    {
        var path = Path.Combine(_folder, "run.jsonl");
        using var first = FileBulkRunStore.Open(path, Identity());

        var error = Assert.Throws<BulkRunJournalException>(() => FileBulkRunStore.Open(path, Identity()));

        Assert.Equal(BulkRunJournalProblem.InUse, error.Problem);
    }

    [Fact]
    public void A_journal_left_by_a_killed_run_can_be_continued()
    {
        var path = Path.Combine(_folder, "run.jsonl");
        using (FileBulkRunStore.Open(path, Identity()))
        {
        }

        // A killed run leaves its lock file behind (but not the lock itself).
        File.WriteAllText(path + ".lock", string.Empty);

        using var store = FileBulkRunStore.Open(path, Identity());
        Assert.True(store.Resumed);
    }

    [Fact]
    public async Task An_item_recorded_under_another_id_at_the_same_position_is_not_skipped()
    {
        var path = Path.Combine(_folder, "run.jsonl");
        using (var store = FileBulkRunStore.Open(path, Identity()))
        {
            await new DataphinBulkLineage(new FakeLineageClient(), Tenant).RunToSummaryAsync(LineageItems.Many(2), new BulkOptions { RunStore = store });
        }

        using var reopened = FileBulkRunStore.Open(path, Identity());
        Assert.True(reopened.IsSucceeded(0, "item-0"));
        Assert.False(reopened.IsSucceeded(0, "item-1"));
        Assert.False(reopened.IsSucceeded(2, "item-2"));
    }

    [Fact]
    public void Identity_fingerprints_differ_for_every_field_that_must_match()
    {
        var fingerprints = new[]
        {
            Identity().Fingerprint,
            Identity(operation: "lineage delete").Fingerprint,
            Identity(items: 11).Fingerprint,
            Identity(endpoint: "http://127.0.0.1:10").Fingerprint,
            Identity(tenant: 42).Fingerprint,
        };

        Assert.Equal(fingerprints.Length, fingerprints.Distinct().Count());
        Assert.Equal(Identity().Fingerprint, new BulkRunIdentity("lineage add", new string('A', 64), 10, "HTTP://127.0.0.1:9", Tenant, "other").Fingerprint);
        Assert.Matches("^[0-9a-f]{16}$", Identity().Fingerprint);
    }

    [Fact]
    public async Task The_input_hash_is_the_sha256_of_its_bytes()
    {
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes("abc"));

        Assert.Equal("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", await BulkRunIdentity.Sha256Async(stream));
    }

    private static BulkRunIdentity Identity(string operation = "lineage add", long items = 10, string endpoint = "http://127.0.0.1:9", long tenant = Tenant)
        => new(operation, new string('a', 64), items, endpoint, tenant, BulkRunIdentity.HashAccessKeyId("testAccessKeyId"));

    private static DataphinRequestException MissingAsset()
        => new(new DataphinErrorDetails("AddRegisterLineage", 400) { ErrorCode = "InvalidParameter.AssetNotFound", ServiceMessage = "The table does not exist.", RequestId = "req-1" });
}
