using Dataphin.OpenApi.Transport;

namespace Dataphin.OpenApi.Tests.Authentication;

public class NonceTests
{
    [Fact]
    public void Nonces_are_32_lower_case_hex_digits_and_never_repeat_across_refills_and_threads()
    {
        // 1,000 per thread crosses the per-thread buffer of 64 nonces many times.
        var nonces = new System.Collections.Concurrent.ConcurrentBag<string>();
        Parallel.For(0, 4, _ =>
        {
            for (var i = 0; i < 1_000; i++)
            {
                nonces.Add(AttemptInvoker.NewNonce());
            }
        });

        Assert.Equal(4_000, nonces.Count);
        Assert.Equal(4_000, nonces.Distinct(StringComparer.Ordinal).Count());
        Assert.All(nonces, nonce => Assert.Matches("^[0-9a-f]{32}$", nonce));
    }
}
