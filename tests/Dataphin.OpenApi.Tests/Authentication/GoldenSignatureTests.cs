using System.Text;
using System.Text.Json;
using Dataphin.OpenApi.Authentication;
using Dataphin.OpenApi.Internal;
using Dataphin.OpenApi.Testing;
using Dataphin.OpenApi.Tests.Support;
using Dataphin.OpenApi.Transport;

namespace Dataphin.OpenApi.Tests.Authentication;

/// <summary>Known-answer tests: the published V3 example and the Dataphin vector signed by the official Node.js client.</summary>
public sealed class GoldenSignatureTests
{
    private static JsonElement Golden(string file)
    {
        var path = Path.Combine(AppContext.BaseDirectory, "Goldens", file);
        return JsonDocument.Parse(File.ReadAllText(path)).RootElement;
    }

    private static List<KeyValuePair<string, string>> Pairs(JsonElement obj)
        => obj.EnumerateObject().Select(p => new KeyValuePair<string, string>(p.Name, p.Value.GetString()!)).ToList();

    [Fact]
    public void Published_V3_example_gives_the_documented_canonical_hash_signature_and_authorization()
    {
        var example = Golden("published-examples.json").GetProperty("v3_doc_example");
        var expected = example.GetProperty("expected");
        var body = Encoding.UTF8.GetBytes(example.GetProperty("body").GetString()!);
        Assert.Equal(example.GetProperty("headers").GetProperty("x-acs-content-sha256").GetString(), HexEncoding.Sha256Hex(body));

        var canonical = Acs3Signer.CanonicalRequest(
            example.GetProperty("method").GetString()!,
            example.GetProperty("path").GetString()!,
            Acs3Signer.CanonicalQueryString(Pairs(example.GetProperty("query"))),
            Pairs(example.GetProperty("headers")),
            HexEncoding.Sha256Hex(body),
            out var signedHeaders);

        Assert.Equal(expected.GetProperty("hashedCanonicalRequest").GetString(), HexEncoding.Sha256Hex(canonical));
        Assert.Equal(expected.GetProperty("signedHeaders").GetString(), signedHeaders);
        var signature = Acs3Signer.Signature(Acs3Signer.StringToSign(canonical), example.GetProperty("accessKeySecret").GetString()!);
        Assert.Equal(expected.GetProperty("signature").GetString(), signature);
        Assert.Equal(
            expected.GetProperty("authorization").GetString(),
            Acs3Signer.Authorization(example.GetProperty("accessKeyId").GetString()!, signedHeaders, signature));
    }

    [Fact]
    public void The_golden_copies_are_the_shared_reference_and_hold_the_known_examples()
    {
        // A vector added to the reference goldens fails this until it gets a known-answer test here. v2_doc_example is the
        // older HMAC-SHA1 signature, which this client does not implement (it signs with ACS3-HMAC-SHA256 only).
        string[] files = ["published-examples.json", "v3-delete-register-lineage.json"];
        Assert.Equal(files, Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "Goldens"), "*.json").Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.Equal(
            ["note", "sha256_test", "v2_doc_example", "v3_doc_example"],
            Golden("published-examples.json").EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));

        // The copies here are the shared reference's goldens, byte for byte (when the reference is beside the clone).
        if (Throttling.RepositoryPaths.SharedReference is { } shared)
        {
            var reference = Path.Combine(shared, "goldens");
            Assert.Equal(files, Directory.GetFiles(reference).Select(Path.GetFileName).Order(StringComparer.Ordinal));
            Assert.All(files, file => Assert.Equal(File.ReadAllBytes(Path.Combine(reference, file)), File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "Goldens", file))));
        }
    }

    [Fact]
    public void Sha256_of_test_matches_the_published_value()
    {
        var sample = Golden("published-examples.json").GetProperty("sha256_test");
        Assert.Equal(sample.GetProperty("hex").GetString(), HexEncoding.Sha256Hex(sample.GetProperty("input").GetString()!));
    }

    [Fact]
    public void Dataphin_delete_vector_signs_to_the_official_clients_authorization_from_its_recorded_headers()
    {
        var golden = Golden("v3-delete-register-lineage.json");
        var request = golden.GetProperty("request");
        var credentials = golden.GetProperty("credentials");
        var body = Convert.FromBase64String(request.GetProperty("bodyBase64").GetString()!);
        Assert.Equal(request.GetProperty("bodySha256").GetString(), HexEncoding.Sha256Hex(body));

        var headers = Pairs(request.GetProperty("headers")).Where(h => h.Key != "authorization").ToList();
        var authorization = Acs3Signer.Sign(
            "POST",
            "/",
            Acs3Signer.CanonicalQueryString(Pairs(request.GetProperty("query"))),
            headers,
            HexEncoding.Sha256Hex(body),
            credentials.GetProperty("accessKeyId").GetString()!,
            credentials.GetProperty("accessKeySecret").GetString()!);

        Assert.Equal(golden.GetProperty("expected").GetProperty("authorization").GetString(), authorization);
    }

    [Fact]
    public void Dataphin_delete_vector_is_reproduced_byte_for_byte_by_the_sdks_own_request_path()
    {
        var golden = Golden("v3-delete-register-lineage.json");
        var operation = golden.GetProperty("operation");
        var request = golden.GetProperty("request");

        var rpc = RpcRequestBuilder.BuildLineage(operation.GetProperty("opTenantId").GetInt64(), GoldenDeleteCommand(), opUserId: null);
        Assert.Equal(request.GetProperty("bodyUtf8").GetString(), Encoding.UTF8.GetString(rpc.Body));
        Assert.Equal(request.GetProperty("bodySha256").GetString(), rpc.BodySha256);
        Assert.Equal(request.GetProperty("rawUrl").GetString(), rpc.PathAndQuery);

        var fixedDate = DateTimeOffset.Parse(golden.GetProperty("fixed").GetProperty("date").GetString()!, System.Globalization.CultureInfo.InvariantCulture);
        var credentials = golden.GetProperty("credentials");
        var credential = new DataphinCredential(credentials.GetProperty("accessKeyId").GetString()!, credentials.GetProperty("accessKeySecret").GetString()!);
        using var http = new HttpClient();
        var invoker = new AttemptInvoker(() => http, new Uri("https://" + request.GetProperty("headers").GetProperty("host").GetString()), new ManualTimeProvider(fixedDate), userAgentSuffix: null, observer: null)
        {
            NonceFactory = () => golden.GetProperty("fixed").GetProperty("nonce").GetString()!,
        };

        using var message = invoker.CreateSignedMessage(rpc, credential, retryAttempt: 0, TimeSpan.Zero, out _);
        Assert.Equal(golden.GetProperty("expected").GetProperty("authorization").GetString(), message.Headers.GetValues("Authorization").Single());
        Assert.Equal("2025-01-01T00:00:00Z", message.Headers.GetValues("x-acs-date").Single());
        Assert.Equal("application/x-www-form-urlencoded", message.Content!.Headers.ContentType!.ToString());
    }

    [Fact]
    public async Task Dataphin_delete_vector_is_reproduced_byte_for_byte_through_the_generated_DeleteRegisterLineage_method()
    {
        var golden = Golden("v3-delete-register-lineage.json");
        var request = golden.GetProperty("request");
        var credentials = golden.GetProperty("credentials");
        var handler = new FakeDataphinTransport();
        var options = new DataphinClientOptions
        {
            Endpoint = new Uri("https://" + request.GetProperty("headers").GetProperty("host").GetString()),
            Credential = new DataphinCredential(credentials.GetProperty("accessKeyId").GetString()!, credentials.GetProperty("accessKeySecret").GetString()!),
            TimeProvider = new ManualTimeProvider(DateTimeOffset.Parse(golden.GetProperty("fixed").GetProperty("date").GetString()!, System.Globalization.CultureInfo.InvariantCulture)),
        };
        options.Retry.MaxAttempts = 1;
        options.RateLimit.Enabled = false;
        using var client = new DataphinClient(handler.CreateHttpClient(), options);
        client.CallInvoker.Attempts.NonceFactory = () => golden.GetProperty("fixed").GetProperty("nonce").GetString()!;

        var response = await client.DataAsset.DeleteRegisterLineageAsync(golden.GetProperty("operation").GetProperty("opTenantId").GetInt64(), GoldenDeleteCommand());

        var sent = Assert.Single(handler.Requests);
        Assert.Equal(golden.GetProperty("expected").GetProperty("authorization").GetString(), sent.Header("authorization"));
        Assert.Equal(request.GetProperty("bodyUtf8").GetString(), sent.BodyText);
        Assert.Equal(request.GetProperty("bodySha256").GetString(), sent.Header("x-acs-content-sha256"));
        Assert.Equal(request.GetProperty("rawUrl").GetString(), sent.Uri.PathAndQuery);
        Assert.Equal(("DeleteRegisterLineage", "2025-01-01T00:00:00Z"), (sent.Header("x-acs-action"), sent.Header("x-acs-date")));
        Assert.Equal("82E78D6B-AA8F-1FEF-8AA3-5C9DA2A79140", response.RequestId);
    }

    [Theory]
    [InlineData("", "", "4ab59fffe3c5738ff8a2729f90cc04fe18b02a4b15b2102cbaf92f9ff3df2ea3")]
    [InlineData("GET", "/", "d16b30a7699ae9e43875b13195b2f81bcc3ed10c14a9b5eb780e51619aa50be1")]
    public void Headers_differing_only_in_case_are_joined_as_the_official_utils_do(string method, string path, string expectedSignature)
    {
        var canonical = Acs3Signer.CanonicalRequest(
            method,
            path,
            Acs3Signer.CanonicalQueryString([new("test", "ok"), new("empty", "")]),
            [new("x-acs-test", "http"), new("x-acs-TEST", "https")],
            "55e12e91650d2fec56ec74e1d3e4ddbfce2ef3a65890c2a19ecf88a307e76a23",
            out var signedHeaders);

        Assert.Equal("x-acs-test", signedHeaders);
        Assert.Contains("x-acs-test:http,https\n", canonical, StringComparison.Ordinal);
        Assert.Equal(expectedSignature, Acs3Signer.Signature(Acs3Signer.StringToSign(canonical), "secret"));
    }

    [Theory]
    [InlineData("abcXYZ019-_.~", "abcXYZ019-_.~")]
    [InlineData("a b", "a%20b")]
    [InlineData("!'()*", "%21%27%28%29%2A")]
    [InlineData("订单", "%E8%AE%A2%E5%8D%95")]
    [InlineData("a+b=c&d/e", "a%2Bb%3Dc%26d%2Fe")]
    public void Rfc3986_encoding_keeps_only_unreserved_characters(string input, string expected)
        => Assert.Equal(expected, Rfc3986.Encode(input));

    [Fact]
    public void Form_encoding_matches_nodes_querystring_escape()
        => Assert.Equal(
            "k%20%26=%7B%22a%22%3A%22x%20y%26%C3%A9!'()*~%22%7D&b=",
            Encoding.UTF8.GetString(FormEncoder.Encode([new("k &", "{\"a\":\"x y&é!'()*~\"}"), new("b", "")])));

    /// <summary>The command of the Dataphin vector, built with the SDK's typed models.</summary>
    internal static DeleteRegisterLineageCommand GoldenDeleteCommand() => new(
        AssetReference.ByProperty("ods_trade_order", schema: "ods_project", catalog: "dataphin", env: DataphinEnvironment.Prod, subType: MetadataSubType.PhysicalTable),
        AssetReference.ByGuid("odps.300001234.dw_project.dwd_trade_order_di"))
    {
        CascadeDeleteLineage = true,
        DetailedLineages =
        {
            new FieldLineage(
                AssetReference.FieldByProperty("pay_amount", schema: "ods_project", catalog: "dataphin", env: DataphinEnvironment.Prod),
                AssetReference.FieldByGuid("odps.300001234.dw_project.dwd_trade_order_di.pay_amount_cny", parentGuid: "odps.300001234.dw_project.dwd_trade_order_di")),
        },
    };
}
