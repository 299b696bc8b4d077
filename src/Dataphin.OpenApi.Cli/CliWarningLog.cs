using Microsoft.Extensions.Logging;

namespace Dataphin.OpenApi.Cli;

/// <summary>
/// The log of the shared quota (--redis), for people: its warnings ("Redis did not answer ...: each process now
/// paces itself alone ...") and the note when Redis answers again go to standard error; debug messages are dropped.
/// </summary>
internal sealed class CliWarningLog(TextWriter warnings) : ILoggerFactory, ILogger
{
    private readonly object _gate = new();

    public void AddProvider(ILoggerProvider provider)
    {
    }

    public ILogger CreateLogger(string categoryName) => this;

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        if (!IsEnabled(logLevel))
        {
            return;
        }

        var text = (logLevel >= LogLevel.Warning ? "Warning: " : "Note: ") + formatter(state, exception);
        lock (_gate)
        {
            warnings.WriteLine(text);
        }
    }

    public void Dispose()
    {
    }
}
