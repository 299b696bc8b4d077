using System.Net;

namespace Dataphin.OpenApi.Transport;

/// <summary>Resolves and checks the endpoint a client talks to (protocol.md section 9).</summary>
internal static class EndpointResolver
{
    public static Uri Resolve(DataphinClientOptions options)
    {
        Uri endpoint;
        if (options.Endpoint is { } explicitEndpoint)
        {
            if (!explicitEndpoint.IsAbsoluteUri)
            {
                throw new ArgumentException(
                    $"DataphinClientOptions.Endpoint must be an absolute URI such as https://dataphin-public.cn-hangzhou.aliyuncs.com; '{explicitEndpoint.OriginalString}' is not.",
                    nameof(options));
            }

            endpoint = explicitEndpoint;
        }
        else if (!string.IsNullOrWhiteSpace(options.RegionId))
        {
            endpoint = FromRegion(options.RegionId!);
        }
        else
        {
            throw new ArgumentException(
                "No endpoint: set DataphinClientOptions.Endpoint (e.g. https://dataphin-public.cn-hangzhou.aliyuncs.com, or your non-shared deployment's API domain) or DataphinClientOptions.RegionId (e.g. cn-hangzhou).",
                nameof(options));
        }

        Check(endpoint, options.AllowInsecureHttp, nameof(options));
        return new Uri(endpoint.GetLeftPart(UriPartial.Authority) + "/");
    }

    public static Uri FromRegion(string regionId)
    {
        var region = regionId.Trim();
        if (!IsRegionId(region))
        {
            throw new ArgumentException(
                $"DataphinClientOptions.RegionId '{regionId}' is not a region id such as cn-hangzhou (lower-case letters, digits and hyphens).",
                nameof(regionId));
        }

        return new Uri($"https://dataphin-public.{region}.aliyuncs.com/");
    }

    /// <summary>
    /// Whether <paramref name="uri"/> names this machine: a loopback address (127.0.0.0/8, ::1), or <c>localhost</c>
    /// or a name under <c>.localhost</c>, each with or without the trailing root dot (RFC 6761 section 6.3).
    /// </summary>
    public static bool IsLoopback(Uri uri)
        => uri.IsLoopback
           || (IPAddress.TryParse(uri.Host.Trim('[', ']'), out var address) && IPAddress.IsLoopback(address))
           || IsLocalhostName(uri.Host);

    private static bool IsLocalhostName(string host)
    {
        var name = host.EndsWith(".", StringComparison.Ordinal) ? host.Substring(0, host.Length - 1) : host;
        return string.Equals(name, "localhost", StringComparison.OrdinalIgnoreCase)
               || (name.EndsWith(".localhost", StringComparison.OrdinalIgnoreCase) && name.Length > ".localhost".Length && name[0] != '.');
    }

    private static void Check(Uri endpoint, bool allowInsecureHttp, string paramName)
    {
        if (endpoint.Scheme != Uri.UriSchemeHttps && endpoint.Scheme != Uri.UriSchemeHttp)
        {
            throw new ArgumentException($"DataphinClientOptions.Endpoint must use https (got '{endpoint.Scheme}').", paramName);
        }

        if (endpoint.Scheme == Uri.UriSchemeHttp && !allowInsecureHttp && !IsLoopback(endpoint))
        {
            throw new ArgumentException(
                $"DataphinClientOptions.Endpoint '{endpoint.GetLeftPart(UriPartial.Authority)}' uses plain http to a non-loopback host. Use https, or set AllowInsecureHttp = true if you really mean it.",
                paramName);
        }

        if (endpoint.AbsolutePath != "/" || endpoint.Query.Length > 0 || endpoint.Fragment.Length > 0)
        {
            throw new ArgumentException(
                $"DataphinClientOptions.Endpoint must be a scheme and host (and port) only, e.g. https://dataphin-public.cn-hangzhou.aliyuncs.com; remove '{endpoint.PathAndQuery}{endpoint.Fragment}'.",
                paramName);
        }
    }

    private static bool IsRegionId(string region)
    {
        if (region.Length == 0 || region[0] == '-' || region[region.Length - 1] == '-')
        {
            return false;
        }

        foreach (var c in region)
        {
            if (c is not (>= 'a' and <= 'z' or >= '0' and <= '9' or '-'))
            {
                return false;
            }
        }

        return true;
    }
}
