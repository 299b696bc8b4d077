using System.Text.RegularExpressions;
using Dataphin.OpenApi.Resilience;
using Dataphin.OpenApi.Transport;
using Microsoft.Extensions.Options;

namespace Dataphin.OpenApi.DependencyInjection;

/// <summary>
/// Checks a registered client's options when the host starts (<c>ValidateOnStart</c>): configuration errors, the
/// endpoint, the credential (configuration, a provider, a Dataphin profile, or the default chain) and every resilience
/// setting. Each failure names the setting by its configuration path when the options came from configuration.
/// </summary>
internal sealed class DataphinClientOptionsValidator(string name, string? sectionPath, Func<bool> hasCredentialProviderService, Func<DataphinDefaultCredentialProvider> defaultChain) : IValidateOptions<DataphinClientOptions>
{
    private static readonly Regex OptionPath = new(@"DataphinClientOptions\.([A-Za-z0-9.]+)", RegexOptions.CultureInvariant);

    public ValidateOptionsResult Validate(string? optionsName, DataphinClientOptions options)
    {
        if (!string.Equals(optionsName ?? Options.DefaultName, name, StringComparison.Ordinal))
        {
            return ValidateOptionsResult.Skip;
        }

        var errors = new List<string>(options.ConfigurationErrors);
        Check(errors, () => EndpointResolver.Resolve(options));
        Check(errors, () => ResilienceOptionsValidator.Validate(options));
        if (options.Credential is null && options.CredentialProvider is null && !hasCredentialProviderService())
        {
            try
            {
                _ = defaultChain().Resolve();
            }
            catch (DataphinCredentialException missing)
            {
                var where = sectionPath is null ? "DataphinClientOptions.Credential" : $"{sectionPath}:AccessKeyId and {sectionPath}:AccessKeySecret";
                errors.Add($"No credential: set {where}, register a DataphinCredentialProvider, use a Dataphin profile, or give the default chain a credential. {missing.Message}");
            }
        }

        if (errors.Count == 0)
        {
            return ValidateOptionsResult.Success;
        }

        var client = name.Length == 0 ? "The Dataphin client" : $"The Dataphin client '{name}'";
        return ValidateOptionsResult.Fail(errors.Select(e => $"{client}: {Rename(e)}"));
    }

    private string Rename(string message)
        => sectionPath is null ? message : OptionPath.Replace(message, m => sectionPath + ":" + m.Groups[1].Value.TrimEnd('.').Replace('.', ':'));

    private static void Check(List<string> errors, Action check)
    {
        try
        {
            check();
        }
        catch (ArgumentException invalid)
        {
            var message = invalid.Message;
            var paramSuffix = invalid.ParamName is null ? null : $" (Parameter '{invalid.ParamName}')";
            errors.Add(paramSuffix is not null && message.EndsWith(paramSuffix, StringComparison.Ordinal) ? message.Substring(0, message.Length - paramSuffix.Length) : message);
        }
    }
}
