using Microsoft.Extensions.Logging;
using Xcat.Imaging.Cli;

using var cancellation = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cancellation.Cancel();
};

// Logs go to stderr so that stdout stays byte-compatible with xCAT's output; -v shows Information.
var verbose = args.Contains("-v") || args.Contains("--verbose");
using var loggerFactory = LoggerFactory.Create(builder => builder
    .AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace)
    .SetMinimumLevel(verbose ? LogLevel.Information : LogLevel.Warning));

var context = new CliContext
{
    Out = Console.Out,
    Error = Console.Error,
    GetEnvironmentVariable = Environment.GetEnvironmentVariable,
    WorkingDirectory = Environment.CurrentDirectory,
    LoggerFactory = loggerFactory,
    IsTerminal = !Console.IsErrorRedirected,
    IsOutputTerminal = !Console.IsOutputRedirected,
};
return await CliApplication.RunAsync(args, context, cancellation.Token);
