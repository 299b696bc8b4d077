namespace Dataphin.OpenApi;

/// <summary>Hands out the <see cref="DataphinClient"/>s registered with <c>AddDataphinClient(name, ...)</c>: one shared instance per name.</summary>
public interface IDataphinClientFactory
{
    /// <summary>Returns the client registered under <paramref name="name"/> (the same instance every time).</summary>
    /// <param name="name">The name given to <c>AddDataphinClient</c>; <see cref="string.Empty"/> for the default client.</param>
    /// <returns>The client.</returns>
    /// <exception cref="InvalidOperationException">No client of that name is registered.</exception>
    /// <exception cref="Microsoft.Extensions.Options.OptionsValidationException">The client's settings are invalid; the message names each bad setting.</exception>
    DataphinClient CreateClient(string name);
}
