namespace Dataphin.OpenApi.Cli;

/// <summary>The exit codes of the dataphin tool.</summary>
internal static class ExitCodes
{
    /// <summary>Every item succeeded (or, in a dry run, was valid).</summary>
    public const int Success = 0;

    /// <summary>At least one item failed, was invalid or was cancelled, or the input broke off.</summary>
    public const int ItemsFailed = 1;

    /// <summary>The command line or the configuration (credentials, endpoint, tenant, files) is not usable.</summary>
    public const int UsageError = 2;
}
