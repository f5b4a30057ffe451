using Microsoft.Extensions.Logging;

namespace Xcat.Imaging.Cli;

/// <summary>
/// The library's log as plain "Warning: ..." lines on stderr. Warnings are held until the verb ends: printed after a
/// success, dropped after a refusal, so that a refusal is the one Error line. With -v, everything is printed at once.
/// </summary>
internal sealed class CliLoggerProvider(TextWriter error, bool verbose) : ILoggerProvider
{
    private readonly Lock _gate = new();
    private readonly List<string> _held = [];

    private LogLevel Minimum => verbose ? LogLevel.Information : LogLevel.Warning;

    public ILogger CreateLogger(string categoryName) => new CliLogger(this);

    /// <summary>Prints the held warnings.</summary>
    public void Flush()
    {
        lock (_gate)
        {
            foreach (var line in _held)
            {
                error.Write(line);
            }

            _held.Clear();
        }
    }

    /// <summary>Drops the held warnings: the refusal says what went wrong.</summary>
    public void Discard()
    {
        lock (_gate)
        {
            _held.Clear();
        }
    }

    public void Dispose() => Flush();

    private void Write(LogLevel level, string message)
    {
        var prefix = level switch
        {
            >= LogLevel.Error => "Error: ",
            LogLevel.Warning => "Warning: ",
            _ => "Info: ",
        };
        var line = prefix + DisplayText.EscapeControlCharacters(message) + "\n";
        lock (_gate)
        {
            if (verbose)
            {
                error.Write(line);
            }
            else
            {
                _held.Add(line);
            }
        }
    }

    private sealed class CliLogger(CliLoggerProvider provider) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= provider.Minimum && logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel))
            {
                provider.Write(logLevel, formatter(state, exception));
            }
        }
    }
}
