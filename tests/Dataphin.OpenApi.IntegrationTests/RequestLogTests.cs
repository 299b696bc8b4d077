using System.Text.Json.Nodes;
using Dataphin.OpenApi.IntegrationTests.Support;
using Dataphin.OpenApi.Testing;
using Dataphin.OpenApi.Testing.Recording;

namespace Dataphin.OpenApi.IntegrationTests;

/// <summary>The request log is bounded by bytes as well as by count, dropping the oldest requests first.</summary>
public sealed class RequestLogTests
{
    private const long KiB = 1024;

    private static EmulatorRequest Request(long sequence, int formChars) => new()
    {
        Sequence = sequence,
        ReceivedAt = DateTimeOffset.UnixEpoch,
        RequestId = "REQ-" + sequence,
        Method = "POST",
        Query = [new("OpTenantId", "300001234")],
        Form = [new("Big", new string('x', formChars))],
        Headers = new Dictionary<string, string> { ["host"] = "127.0.0.1" },
    };

    [Fact]
    public void Requests_over_the_byte_cap_evict_the_oldest_first()
    {
        var log = new RequestLog(capacity: 1_000, maxBytes: 100 * KiB);

        for (var i = 1; i <= 10; i++)
        {
            log.Add(Request(i, formChars: 20_000)); // about 40 KB each as UTF-16
        }

        var kept = log.Snapshot();
        Assert.Equal([9L, 10L], kept.Select(r => r.Sequence));
        Assert.Equal(kept.Sum(RequestLog.SizeOf), log.Bytes);
        Assert.True(log.Bytes <= 100 * KiB);
        Assert.True(log.Bytes + RequestLog.SizeOf(Request(8, formChars: 20_000)) > 100 * KiB);
    }

    [Fact]
    public void The_count_cap_still_applies_when_the_requests_are_small()
    {
        var log = new RequestLog(capacity: 3, maxBytes: 100 * KiB);

        for (var i = 1; i <= 5; i++)
        {
            log.Add(Request(i, formChars: 10));
        }

        Assert.Equal([3L, 4L, 5L], log.Snapshot().Select(r => r.Sequence));
    }

    [Fact]
    public void The_newest_request_is_kept_even_when_it_alone_is_over_the_cap_and_clearing_frees_its_bytes()
    {
        var log = new RequestLog(capacity: 1_000, maxBytes: 10 * KiB);
        log.Add(Request(1, formChars: 100));
        log.Add(Request(2, formChars: 100_000));

        Assert.Equal(2, Assert.Single(log.Snapshot()).Sequence);
        log.Add(Request(3, formChars: 100));
        Assert.Equal(3, Assert.Single(log.Snapshot()).Sequence);
        log.Clear();
        Assert.Empty(log.Snapshot());
        Assert.Equal(0, log.Bytes);
    }

    [Fact]
    public void The_size_estimate_counts_the_decoded_text_of_query_form_and_headers()
    {
        var small = RequestLog.SizeOf(Request(1, formChars: 0));
        var large = RequestLog.SizeOf(Request(1, formChars: 8_000_000));

        Assert.Equal(16_000_000, large - small);
    }

    [Fact]
    public async Task The_emulator_keeps_only_the_newest_requests_that_fit_its_byte_cap()
    {
        await using var emulator = await DataphinEmulator.StartAsync(new DataphinEmulatorOptions { Quotas = EmulatorQuotas.Disabled, MaxRecordedRequestBytes = 1024 * KiB });
        using var client = Lineages.Client(emulator, configure: Lineages.SingleAttempt);
        var big = new string('x', 200_000); // 400 KB once decoded to UTF-16

        for (var i = 0; i < 8; i++)
        {
            // ListFiles with its required ListQuery, and a large field the operation does not declare (ignored, but recorded).
            var response = await client.SendAsync(new DataphinOperationRequest("ListFiles", emulator.DefaultTenantId)
                .AddFormJson("ListQuery", new JsonObject { ["Category"] = "tempCode", ["Directory"] = "/", ["Env"] = "DEV", ["ProjectId"] = 1, ["Recursive"] = true })
                .AddForm("Big", big));
            Assert.Equal("OK", response.Code);
        }

        var kept = emulator.Requests;
        Assert.Equal(2, kept.Count);
        Assert.Equal([7L, 8L], kept.Select(r => r.Sequence));
        Assert.All(kept, r => Assert.Equal(big, Assert.Single(r.Form, f => f.Key == "Big").Value));
        Assert.True(kept.Sum(RequestLog.SizeOf) <= 1024 * KiB);
        Assert.Equal(8, emulator.RequestsReceived);
        emulator.ClearRequests();
        Assert.Empty(emulator.Requests);
        Assert.Equal(8, emulator.RequestsReceived);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-5)]
    public async Task A_byte_cap_that_is_not_positive_is_refused_at_start(long cap)
    {
        var error = await Assert.ThrowsAsync<ArgumentException>(() => DataphinEmulator.StartAsync(new DataphinEmulatorOptions { MaxRecordedRequestBytes = cap }));

        Assert.Contains("MaxRecordedRequestBytes", error.Message, StringComparison.Ordinal);
    }
}
