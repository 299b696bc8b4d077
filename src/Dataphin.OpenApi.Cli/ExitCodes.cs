namespace Dataphin.OpenApi.Cli;

/// <summary>The exit codes of the dataphin tool.</summary>
internal static class ExitCodes
{
    /// <summary>Every item succeeded (or was already done, or, in a dry run, was valid).</summary>
    public const int Success = 0;

    /// <summary>At least one item failed or was invalid, the input broke off or was empty; the run went through the rest.</summary>
    public const int ItemsFailed = 1;

    /// <summary>The command line or the configuration (credentials, endpoint, tenant, files, journal) is not usable; nothing was sent.</summary>
    public const int UsageError = 2;

    /// <summary>
    /// The run stopped early: an error that applies to every call (credential, tenant permission, edition), the
    /// service unavailable for longer than --max-pause, or the journal not writable. Fix it and run the same command again.
    /// </summary>
    public const int Stopped = 3;

    /// <summary>Interrupted by Ctrl+C (SIGINT) or SIGTERM; the calls in flight were finished and recorded. Run the same command again to go on.</summary>
    public const int Interrupted = 130;
}
