namespace Dataphin.OpenApi.Authentication.Sources;

/// <summary>A built-in source whose lookup never waits (variables and local files), so a chain or a start-up check can run it in place.</summary>
internal interface ISyncCredentialSource
{
    /// <summary>Returns the credential and where it came from, or throws a <see cref="DataphinCredentialException"/>.</summary>
    DataphinCredentialResolution Resolve();
}
