using Xcat.Imaging.Cli;

using var cancellation = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    // The verb's token is cancelled and it stops cleanly (exit 130); a second Ctrl-C ends the process at once.
    e.Cancel = !cancellation.IsCancellationRequested;
    cancellation.Cancel();
};

// Logs go to stderr so that stdout stays byte-compatible with xCAT's output; -v shows Information.
var verbose = args.Contains("-v") || args.Contains("--verbose");
var logs = new CliLoggerProvider(Console.Error, verbose);
using var loggerFactory = new Microsoft.Extensions.Logging.LoggerFactory([logs]);

var context = new CliContext
{
    Out = Console.Out,
    Error = Console.Error,
    GetEnvironmentVariable = Environment.GetEnvironmentVariable,
    WorkingDirectory = Environment.CurrentDirectory,
    LoggerFactory = loggerFactory,
    Logs = logs,
    IsTerminal = !Console.IsErrorRedirected,
    IsOutputTerminal = !Console.IsOutputRedirected,
};
return await CliApplication.RunAsync(args, context, cancellation.Token);
