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
        var clock = new FakeTimeProvider(new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero));
        var memory = new NonceMemory(Window);

        Assert.True(memory.TryUse("key", "n1", clock.GetUtcNow()));
        clock.Advance(Window + Window - TimeSpan.FromSeconds(1));
        Assert.True(memory.IsUsed("key", "n1", clock.GetUtcNow()));
        Assert.False(memory.TryUse("key", "n1", clock.GetUtcNow()));
        clock.Advance(TimeSpan.FromSeconds(1));
        Assert.False(memory.IsUsed("key", "n1", clock.GetUtcNow()));
        Assert.True(memory.TryUse("key", "n1", clock.GetUtcNow()));
        Assert.False(memory.TryUse("key", "n1", clock.GetUtcNow()));
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
        var clock = new FakeTimeProvider(new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero));
        var memory = new NonceMemory(Window);
        for (var i = 0; i < 150_000; i++)
        {
            Assert.True(memory.TryUse("key", "old-" + i, clock.GetUtcNow()));
        }

        clock.Advance(TimeSpan.FromMinutes(10));
        for (var i = 0; i < 1_000; i++)
        {
            Assert.True(memory.TryUse("key", "new-" + i, clock.GetUtcNow()));
        }

        Assert.Equal(151_000, memory.Count);
        clock.Advance(Window + Window - TimeSpan.FromMinutes(10));
        Assert.True(memory.TryUse("key", "one-more", clock.GetUtcNow()));

        Assert.Equal(1_001, memory.Count);
        Assert.False(memory.TryUse("key", "new-999", clock.GetUtcNow()));
        Assert.True(memory.TryUse("key", "old-0", clock.GetUtcNow()));
    }

    [Fact]
    public void A_clock_that_moves_backwards_never_lets_a_live_nonce_be_reused()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2025, 1, 1, 1, 0, 0, TimeSpan.Zero));
        var memory = new NonceMemory(Window);
        Assert.True(memory.TryUse("key", "late", clock.GetUtcNow()));
        clock.Advance(TimeSpan.FromMinutes(-20));
        Assert.True(memory.TryUse("key", "early", clock.GetUtcNow()));

        clock.Advance(Window + Window - TimeSpan.FromMinutes(1));

        Assert.False(memory.TryUse("key", "early", clock.GetUtcNow()));
        Assert.False(memory.TryUse("key", "late", clock.GetUtcNow()));
        clock.Advance(TimeSpan.FromMinutes(21));
        Assert.True(memory.TryUse("key", "early", clock.GetUtcNow()));
        Assert.True(memory.TryUse("key", "late", clock.GetUtcNow()));
    }

    [Fact]
    public void Work_per_call_stays_constant_with_more_than_100000_live_nonces()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero));
        var memory = new NonceMemory(Window);
        const int Live = 150_000;
        for (var i = 0; i < Live; i++)
        {
            memory.TryUse("key", "n" + i, clock.GetUtcNow());
            clock.Advance(TimeSpan.FromMilliseconds(1));
        }

        var before = memory.EntriesExamined;
        for (var i = 0; i < 10_000; i++)
        {
            clock.Advance(TimeSpan.FromSeconds(10));
            memory.TryUse("key", "m" + i, clock.GetUtcNow());
        }

        // A rescan per call would look at 150,000+ entries each time; forgetting from the front of the queue looks
        // at each expired entry once, plus the one live entry that stops it per call.
        var expired = Live + 10_000 - memory.Count;
        Assert.True(expired > 0);
        Assert.InRange(memory.EntriesExamined - before, 0, expired + 10_000);
    }
}
