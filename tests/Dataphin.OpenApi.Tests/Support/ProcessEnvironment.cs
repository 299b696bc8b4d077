namespace Dataphin.OpenApi.Tests.Support;

/// <summary>Tests that read or change the process's environment variables run one at a time.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ProcessEnvironment
{
    public const string Name = "Process environment";

    /// <summary>Sets the credential variables for the duration of a test and restores them afterwards.</summary>
    internal static IDisposable CredentialVariables(string? id, string? secret, string? token = null)
    {
        var names = new[] { DataphinCredential.AccessKeyIdVariable, DataphinCredential.AccessKeySecretVariable, DataphinCredential.SecurityTokenVariable };
        var saved = names.ToDictionary(n => n, Environment.GetEnvironmentVariable);
        Environment.SetEnvironmentVariable(names[0], id);
        Environment.SetEnvironmentVariable(names[1], secret);
        Environment.SetEnvironmentVariable(names[2], token);
        return new Restore(saved);
    }

    private sealed class Restore(Dictionary<string, string?> saved) : IDisposable
    {
        public void Dispose()
        {
            foreach (var pair in saved)
            {
                Environment.SetEnvironmentVariable(pair.Key, pair.Value);
            }
        }
    }
}
