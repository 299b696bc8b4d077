namespace Dataphin.OpenApi.Transport;

/// <summary>The HTTP plumbing a client uses unless given its own: the primary handler and the HTTP client over it.</summary>
internal static class HttpTransport
{
    /// <summary>The primary handler every client uses unless told otherwise: no automatic redirects, pooled connections renewed every 5 minutes.</summary>
    public static HttpMessageHandler CreatePrimaryHandler()
    {
#if NET5_0_OR_GREATER
        return new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            AutomaticDecompression = System.Net.DecompressionMethods.GZip | System.Net.DecompressionMethods.Deflate,
        };
#else
        return new HttpClientHandler
        {
            AllowAutoRedirect = false,
            AutomaticDecompression = System.Net.DecompressionMethods.GZip | System.Net.DecompressionMethods.Deflate,
        };
#endif
    }

    /// <summary>An HTTP client over <see cref="CreatePrimaryHandler"/> with no timeout of its own (the pipeline sets the timeouts).</summary>
    public static HttpClient CreateHttpClient() => new(CreatePrimaryHandler()) { Timeout = Timeout.InfiniteTimeSpan };
}
