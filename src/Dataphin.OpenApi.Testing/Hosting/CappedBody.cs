using Microsoft.AspNetCore.Http;

namespace Dataphin.OpenApi.Testing.Hosting;

/// <summary>
/// A request body read with a cap: never more than the cap plus one byte is read or held, and a body whose
/// <c>Content-Length</c> is over the cap is not read at all.
/// </summary>
internal readonly record struct CappedBody(ReadOnlyMemory<byte> Bytes, int BytesRead, bool TooLarge)
{
    private const int FirstBufferBytes = 16 * 1024;

    /// <summary>Reads the body of <paramref name="request"/>, stopping as soon as it is known to exceed <paramref name="cap"/> bytes.</summary>
    public static async Task<CappedBody> ReadAsync(HttpRequest request, int cap, CancellationToken cancellationToken)
    {
        if (request.ContentLength is { } announced)
        {
            if (announced > cap)
            {
                return new CappedBody(ReadOnlyMemory<byte>.Empty, 0, TooLarge: true);
            }

            var exact = new byte[announced];
            var got = 0;
            while (got < exact.Length)
            {
                var n = await request.Body.ReadAsync(exact.AsMemory(got), cancellationToken).ConfigureAwait(false);
                if (n == 0)
                {
                    break;
                }

                got += n;
            }

            return new CappedBody(exact.AsMemory(0, got), got, TooLarge: false);
        }

        // No length announced (chunked): grow the buffer up to cap + 1 bytes, the first byte too many proving the excess.
        var limit = cap + 1;
        var buffer = new byte[Math.Min(FirstBufferBytes, limit)];
        var read = 0;
        while (true)
        {
            if (read == buffer.Length)
            {
                if (buffer.Length == limit)
                {
                    break;
                }

                Array.Resize(ref buffer, (int)Math.Min((long)buffer.Length * 2, limit));
            }

            var n = await request.Body.ReadAsync(buffer.AsMemory(read), cancellationToken).ConfigureAwait(false);
            if (n == 0)
            {
                break;
            }

            read += n;
        }

        return read > cap
            ? new CappedBody(ReadOnlyMemory<byte>.Empty, read, TooLarge: true)
            : new CappedBody(buffer.AsMemory(0, read), read, TooLarge: false);
    }
}
