namespace Dataphin.OpenApi.Tests.Credentials;

/// <summary>
/// A throw-away home folder with its own environment variables and clock: the credential sources under test read
/// only this, never the real HOME or the process's variables.
/// </summary>
internal sealed class TempHome : IDisposable
{
    public TempHome()
    {
        Home = Path.Combine(Path.GetTempPath(), "dataphin-creds-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Home);
    }

    public string Home { get; }

    public Dictionary<string, string> Variables { get; } = new(StringComparer.Ordinal);

    public TestClock Clock { get; } = new();

    public DataphinProcessEnvironment Environment => new(name => Variables.TryGetValue(name, out var value) ? value : null, Home);

    public DataphinCredentialSourceOptions Options(TimeSpan? refresh = null) => new()
    {
        Environment = Environment,
        TimeProvider = Clock,
        RefreshInterval = refresh ?? TimeSpan.FromSeconds(5),
    };

    public string PathOf(string relative) => Path.Combine(Home, relative);

    /// <summary>Writes a file under the home folder, private to its owner unless <paramref name="mode"/> says otherwise.</summary>
    public string Write(string relative, string text, UnixFileMode mode = UnixFileMode.UserRead | UnixFileMode.UserWrite)
    {
        var path = PathOf(relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, mode);
        }

        return path;
    }

    /// <summary>Replaces a file's text and moves its last-write time on, so the change is visible whatever the file system's time resolution.</summary>
    public void Rewrite(string path, string text)
    {
        var before = File.GetLastWriteTimeUtc(path);
        File.WriteAllText(path, text);
        File.SetLastWriteTimeUtc(path, before.AddMinutes(1));
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Home, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    public static string AccessKeyIni(string section, string id, string secret)
        => $"[{section}]\ntype = access_key\naccess_key_id = {id}\naccess_key_secret = {secret}\n";

    public static string CliConfig(string current, params (string Name, string Mode, string Id, string Secret, string? Token)[] profiles)
        => "{\"current\": \"" + current + "\", \"profiles\": ["
           + string.Join(",", profiles.Select(p => $"{{\"name\":\"{p.Name}\",\"mode\":\"{p.Mode}\",\"access_key_id\":\"{p.Id}\",\"access_key_secret\":\"{p.Secret}\"" + (p.Token is null ? string.Empty : $",\"sts_token\":\"{p.Token}\"") + ",\"region_id\":\"cn-hangzhou\"}"))
           + "]}";
}

/// <summary>A clock that moves only when a test moves it.</summary>
internal sealed class TestClock : TimeProvider
{
    private DateTimeOffset _now = new(2026, 5, 22, 6, 0, 0, TimeSpan.Zero);

    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    public override DateTimeOffset GetUtcNow() => _now;

    public override long GetTimestamp() => _now.UtcTicks;

    public void Advance(TimeSpan by) => _now += by;
}
