namespace Dataphin.OpenApi;

/// <summary>Settings of a <see cref="DataphinClient"/>. The client copies them when it is created.</summary>
public class DataphinClientOptions
{
    /// <summary>The API version every operation is called with: <c>2023-06-30</c>.</summary>
    public const string ApiVersion = "2023-06-30";

    /// <summary>
    /// The service endpoint, e.g. <c>https://dataphin-public.cn-hangzhou.aliyuncs.com</c>, or the API domain of a
    /// non-shared (independent) Dataphin deployment as shown on its AccessKey page. Wins over <see cref="RegionId"/>.
    /// </summary>
    public Uri? Endpoint { get; set; }

    /// <summary>The region id, e.g. <c>cn-hangzhou</c>; the endpoint is then <c>https://dataphin-public.&lt;region&gt;.aliyuncs.com</c>.</summary>
    public string? RegionId { get; set; }

    /// <summary>A fixed AccessKey credential. Use <see cref="CredentialProvider"/> for rotating or STS credentials.</summary>
    public DataphinCredential? Credential { get; set; }

    /// <summary>Supplies the credential for every attempt; wins over <see cref="Credential"/>.</summary>
    public DataphinCredentialProvider? CredentialProvider { get; set; }

    /// <summary>
    /// Allows plain <c>http://</c> to a host that is not a loopback address. Off by default: AccessKey-signed requests
    /// and their answers should not cross a network unencrypted. Loopback (the emulator) may always use http.
    /// </summary>
    public bool AllowInsecureHttp { get; set; }

    /// <summary>Text appended to the <c>User-Agent</c> header, e.g. your application's name and version.</summary>
    public string? UserAgentSuffix { get; set; }

    /// <summary>The clock used for request dates and all waits; replace it in tests. Defaults to <see cref="TimeProvider.System"/>.</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>Returns a shallow copy of these options.</summary>
    public virtual DataphinClientOptions Clone() => (DataphinClientOptions)MemberwiseClone();
}
