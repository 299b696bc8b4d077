namespace Dataphin.OpenApi.Cli;

/// <summary>The command line or the configuration is not usable (exit code 2); the message says what to fix.</summary>
internal sealed class CliUsageException : Exception
{
    public CliUsageException(string message, Exception? innerException = null)
        : base(message, innerException)
    {
    }
}
