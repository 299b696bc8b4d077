using Dataphin.OpenApi.Authentication.Sources;

namespace Dataphin.OpenApi;

/// <summary>
/// The default credential chain. It tries, in this order, and uses the first that has a credential:
/// <list type="number">
/// <item><description>the environment variables <c>ALIBABA_CLOUD_ACCESS_KEY_ID</c>, <c>ALIBABA_CLOUD_ACCESS_KEY_SECRET</c>
/// and the optional <c>ALIBABA_CLOUD_SECURITY_TOKEN</c> (<see cref="DataphinEnvironmentCredentialProvider"/>);</description></item>
/// <item><description>the Alibaba Cloud credentials file: <c>ALIBABA_CLOUD_CREDENTIALS_FILE</c>, else
/// <c>~/.alibabacloud/credentials</c>, section <c>ALIBABA_CLOUD_PROFILE</c>, else <c>[default]</c>
/// (<see cref="DataphinCredentialsFileProvider"/>);</description></item>
/// <item><description>the <c>aliyun</c> CLI's <c>~/.aliyun/config.json</c>, profile <c>ALIBABA_CLOUD_PROFILE</c>, else
/// its current profile, unless <c>ALIBABA_CLOUD_CLI_PROFILE_DISABLED=true</c>
/// (<see cref="DataphinAliyunCliCredentialProvider"/>).</description></item>
/// </list>
/// A source that holds no credential (<see cref="DataphinCredentialUnavailableException"/>) or only a RAM role
/// (<see cref="DataphinRamRoleNotSupportedException"/>) is passed over; a source that is set up but broken (a malformed
/// file, a half-set pair of variables) stops the chain with its error, so a typo never silently selects another
/// identity. The chain remembers the source that worked and asks it first next time; when it stops having a
/// credential, the chain starts again from the top. Sent as <c>x-acs-credentials-provider: default/&lt;source&gt;</c>.
/// </summary>
/// <remarks>
/// The official credential libraries check the <c>aliyun</c> CLI profiles before the credentials file, and also try
/// an OIDC role, the ECS instance RAM role and a credentials URI: roles cannot call the Dataphin OpenAPI, so this chain
/// leaves them out, and it prefers the credentials file, the configuration written for SDKs, over the CLI's own.
/// </remarks>
public sealed class DataphinDefaultCredentialProvider : DataphinCredentialProvider, ISyncCredentialSource
{
    /// <summary>Set to <c>true</c> to leave the <c>aliyun</c> CLI profiles out of the chain.</summary>
    public const string CliProfileDisabledVariable = "ALIBABA_CLOUD_CLI_PROFILE_DISABLED";

    private const string ChainName = "default credential chain";
    private const string Advice = "Set ALIBABA_CLOUD_ACCESS_KEY_ID and ALIBABA_CLOUD_ACCESS_KEY_SECRET, add a [default] section of type access_key to ~/.alibabacloud/credentials, or configure an AK profile with the aliyun CLI. RAM roles cannot call the Dataphin OpenAPI.";

    private readonly DataphinProcessEnvironment _environment;
    private readonly ISyncCredentialSource[] _sources;
    private volatile Remembered? _remembered;

    /// <summary>Creates the chain.</summary>
    /// <param name="options">The environment, clock and file refresh interval the sources share; <see langword="null"/> for the defaults.</param>
    /// <exception cref="ArgumentException">An option is invalid.</exception>
    public DataphinDefaultCredentialProvider(DataphinCredentialSourceOptions? options = null)
    {
        options = (options ?? new DataphinCredentialSourceOptions()).Validated();
        _environment = options.Environment;
        var environment = new DataphinEnvironmentCredentialProvider(options.Environment);
        var file = new DataphinCredentialsFileProvider(options: options);
        var cli = new DataphinAliyunCliCredentialProvider(options: options);
        Sources = [environment, file, cli];
        _sources = [environment, file, cli];
    }

    /// <summary>The sources in the order they are tried.</summary>
    public IReadOnlyList<DataphinCredentialProvider> Sources { get; }

    /// <inheritdoc/>
    /// <exception cref="DataphinCredentialUnavailableException">No source has a credential; <see cref="DataphinCredentialUnavailableException.Attempts"/> says why for each.</exception>
    /// <exception cref="DataphinCredentialException">A source is set up but broken (malformed file, half-set variables).</exception>
    public override ValueTask<DataphinCredential> GetCredentialAsync(CancellationToken cancellationToken) => new(Resolve().Credential);

    /// <inheritdoc/>
    public override ValueTask<DataphinCredentialResolution> ResolveAsync(CancellationToken cancellationToken) => new(Resolve());

    /// <inheritdoc/>
    public DataphinCredentialResolution Resolve()
    {
        if (_remembered is { } remembered && !IsSkipped(remembered.Index, out _))
        {
            try
            {
                return remembered.Wrap(_sources[remembered.Index].Resolve());
            }
            catch (DataphinCredentialException)
            {
                // The remembered source lost its credential: look again from the top.
            }
        }

        var skipped = new List<DataphinCredentialException>(_sources.Length);
        for (var i = 0; i < _sources.Length; i++)
        {
            if (IsSkipped(i, out var disabled))
            {
                skipped.Add(disabled!);
                continue;
            }

            try
            {
                var found = _sources[i].Resolve();
                var next = new Remembered(i, skipped);
                _remembered = next;
                return next.Wrap(found);
            }
            catch (DataphinCredentialException passedOver) when (passedOver is DataphinCredentialUnavailableException or DataphinRamRoleNotSupportedException)
            {
                skipped.Add(passedOver);
            }
        }

        _remembered = null;
        throw new DataphinCredentialUnavailableException(ChainName, skipped, Advice);
    }

    private bool IsSkipped(int index, out DataphinCredentialException? reason)
    {
        reason = null;
        if (_sources[index] is DataphinAliyunCliCredentialProvider
            && string.Equals(_environment.GetVariable(CliProfileDisabledVariable)?.Trim(), "true", StringComparison.OrdinalIgnoreCase))
        {
            reason = new DataphinCredentialUnavailableException("aliyun CLI configuration", $"left out because {CliProfileDisabledVariable} is true.");
            return true;
        }

        return false;
    }

    /// <summary>Names the chain; never a value.</summary>
    public override string ToString() => "DataphinDefaultCredentialProvider(environment, credentials file, aliyun CLI)";

    /// <summary>The source that worked, the reasons the ones before it were passed over, and the last credential handed out.</summary>
    private sealed class Remembered(int index, IReadOnlyList<DataphinCredentialException> skipped)
    {
        private Pair? _last;

        public int Index { get; } = index;

        public DataphinCredentialResolution Wrap(DataphinCredentialResolution inner)
        {
            // The same inner resolution (nothing changed) gives the same outer one: no allocation per request.
            if (Volatile.Read(ref _last) is { } last && ReferenceEquals(last.Inner, inner))
            {
                return last.Outer;
            }

            var outer = inner.WithSkipped(skipped, inner.Credential.WithProviderName("default/" + inner.Credential.WireProviderName));
            Volatile.Write(ref _last, new Pair(inner, outer));
            return outer;
        }

        private sealed class Pair(DataphinCredentialResolution inner, DataphinCredentialResolution outer)
        {
            public DataphinCredentialResolution Inner { get; } = inner;

            public DataphinCredentialResolution Outer { get; } = outer;
        }
    }
}
