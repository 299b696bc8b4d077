namespace Dataphin.OpenApi.Testing.Hosting;

/// <summary>An authenticated, authorized call of a known action.</summary>
internal sealed record ActionCall(string Action, long TenantId, IReadOnlyList<KeyValuePair<string, string>> Query, IReadOnlyList<KeyValuePair<string, string>> Form)
{
    /// <summary>The AccessKey the call was signed with.</summary>
    public EmulatorAccessKey? Key { get; init; }

    public string? FormField(string name) => Form.LastOrDefault(p => p.Key == name).Value;

    public string? QueryParameter(string name) => Query.LastOrDefault(p => p.Key == name).Value;
}
