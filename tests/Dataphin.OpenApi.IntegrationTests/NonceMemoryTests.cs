using Dataphin.OpenApi.IntegrationTests.Support;
using Dataphin.OpenApi.Testing.Protocol;

namespace Dataphin.OpenApi.IntegrationTests;

/// <summary>The nonce memory forgets nonces once their time is past, and only then.</summary>
public sealed class NonceMemoryTests
{
    private static readonly TimeSpan Window = TimeSpan.FromMinutes(15);

    [Fact]
    public void A_nonce_is_rejected_within_two_windows_and_accepted_again_after()
    {
        var now = new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var memory = new NonceMemory(Window);

        Assert.True(memory.TryUse("key", "n1", now));
        now += Window + Window - TimeSpan.FromSeconds(1);
        Assert.True(memory.IsUsed("key", "n1", now));
        Assert.False(memory.TryUse("key", "n1", now));
        now += TimeSpan.FromSeconds(1);
        Assert.False(memory.IsUsed("key", "n1", now));
        Assert.True(memory.TryUse("key", "n1", now));
        Assert.False(memory.TryUse("key", "n1", now));
    }

    [Fact]
    public void The_same_nonce_of_another_AccessKey_is_a_different_nonce()
    {
        var now = new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var memory = new NonceMemory(Window);

        Assert.True(memory.TryUse("key-a", "n1", now));
        Assert.True(memory.TryUse("key-b", "n1", now));
        Assert.False(memory.TryUse("key-a", "n1", now));
    }

    [Fact]
    public void Expired_nonces_are_forgotten_so_memory_holds_only_the_live_ones()
    {
        var now = new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var memory = new NonceMemory(Window);
        for (var i = 0; i < 150_000; i++)
        {
            Assert.True(memory.TryUse("key", "old-" + i, now));
        }

        now += TimeSpan.FromMinutes(10);
        for (var i = 0; i < 1_000; i++)
        {
            Assert.True(memory.TryUse("key", "new-" + i, now));
        }

        Assert.Equal(151_000, memory.Count);
        now += Window + Window - TimeSpan.FromMinutes(10);
        Assert.True(memory.TryUse("key", "one-more", now));

        Assert.Equal(1_001, memory.Count);
        Assert.False(memory.TryUse("key", "new-999", now));
        Assert.True(memory.TryUse("key", "old-0", now));
    }

    [Fact]
    public void A_clock_that_moves_backwards_never_lets_a_live_nonce_be_reused()
    {
        var now = new DateTimeOffset(2025, 1, 1, 1, 0, 0, TimeSpan.Zero);
        var memory = new NonceMemory(Window);
        Assert.True(memory.TryUse("key", "late", now));
        now += TimeSpan.FromMinutes(-20);
        Assert.True(memory.TryUse("key", "early", now));

        now += Window + Window - TimeSpan.FromMinutes(1);

        Assert.False(memory.TryUse("key", "early", now));
        Assert.False(memory.TryUse("key", "late", now));
        now += TimeSpan.FromMinutes(21);
        Assert.True(memory.TryUse("key", "early", now));
        Assert.True(memory.TryUse("key", "late", now));
    }

    [Fact]
    public void Work_per_call_stays_constant_with_more_than_100000_live_nonces()
    {
        var now = new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var memory = new NonceMemory(Window);
        const int Live = 150_000;
        for (var i = 0; i < Live; i++)
        {
            memory.TryUse("key", "n" + i, now);
            now += TimeSpan.FromMilliseconds(1);
        }

        var before = memory.EntriesExamined;
        for (var i = 0; i < 10_000; i++)
        {
            now += TimeSpan.FromSeconds(10);
            memory.TryUse("key", "m" + i, now);
        }

        // A rescan per call would look at 150,000+ entries each time; forgetting from the front of the queue looks
        // at each expired entry once, plus the one live entry that stops it per call.
        var expired = Live + 10_000 - memory.Count;
        Assert.True(expired > 0);
        Assert.InRange(memory.EntriesExamined - before, 0, expired + 10_000);
    }
}
