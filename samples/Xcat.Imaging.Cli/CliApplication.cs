using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Parsing;
using Xcat.Imaging.Cli.Verbs;

namespace Xcat.Imaging.Cli;

/// <summary>xcatimg: verbs that mirror xCAT's commands and option letters, parsed with System.CommandLine.</summary>
internal static class CliApplication
{
    public const int Success = 0;
    public const int Failure = 1;
    public const int UsageError = 2;

    /// <summary>128 + SIGINT, as a shell reports a command that Ctrl-C stopped.</summary>
    public const int Interrupted = 130;

    private const string GlobalUsage = "Usage: xcatimg [--catalog PATH] [--install-dir DIR] <verb> [options]";

    private static readonly IReadOnlyList<IVerb> s_verbs =
    [
        new DemoVerb(),
        new LsdefVerb(),
        new MkdefVerb(),
        new ChdefVerb(),
        new RmdefVerb(),
        new TabdumpVerb(),
        new TabrestoreVerb(),
        new TableChangeVerb("chtab"),
        new TableChangeVerb("tabch"),
        new GettabVerb(),
        new TabpruneVerb(),
        new NodelsVerb(),
        new NodermVerb(),
        new GenimageVerb(),
        new PackimageVerb(),
        new PackVerb(),
        new UnpackVerb(),
        new InspectVerb(),
        new ImgexportVerb(),
        new ImgimportVerb(),
    ];

    private static readonly HashSet<string> s_globalValueOptions = ["--catalog", "--install-dir"];

    public static IReadOnlyList<IVerb> Verbs => s_verbs;

    public static async Task<int> RunAsync(string[] args, CliContext context, CancellationToken cancellationToken)
    {
        var cli = new Cli(context);
        List<string> words;
        try
        {
            words = cli.Normalize(args);
        }
        catch (UsageException ex)
        {
            return await cli.ReportUsageErrorAsync(args, ex.Message);
        }

        var result = cli.Root.Parse(words, new ParserConfiguration
        {
            // getopt bundles are split by VerbSyntax, which knows which letters take values; '@name' is a name, not a response file.
            EnablePosixBundling = false,
            ResponseFileTokenReplacer = null,
        });
        if (result.Action is not HelpAction && (result.Errors.Count > 0 || result.UnmatchedTokens.Count > 0))
        {
            return await cli.ReportParseErrorAsync(result);
        }

        var invocation = new InvocationConfiguration
        {
            Output = context.Out,
            Error = context.Error,
            // Exceptions are worded by RunVerbAsync; Ctrl-C is Program's, so that the verb's own token is cancelled.
            EnableDefaultExceptionHandler = false,
            ProcessTerminationTimeout = null,
        };
        return await result.InvokeAsync(invocation, cancellationToken);
    }

    /// <summary>
    /// The message without what .NET appends for a programmer: " (Parameter 'name')" and "Actual value was ...". The
    /// user gave no parameter; the message itself names the option or attribute.
    /// </summary>
    public static string UserMessage(Exception ex)
    {
        var message = ex.Message;
        if (ex is ArgumentException { ParamName: { } name })
        {
            var suffix = message.IndexOf($" (Parameter '{name}')", StringComparison.Ordinal);
            if (suffix >= 0)
            {
                message = message[..suffix];
            }
        }

        return message;
    }

    /// <summary>--version, and the -v of the verbs that have xCAT's version flag (tabdump, chtab, nodels, ...).</summary>
    public static async Task<int> WriteVersionAsync(CliContext context)
    {
        await context.Out.WriteAsync($"xcatimg {typeof(Catalog.IImageCatalog).Assembly.GetName().Version}\n");
        return Success;
    }

    public static async Task WriteErrorAsync(CliContext context, string message)
    {
        foreach (var line in message.Split('\n'))
        {
            // Library messages escape the names they quote; this keeps any other control character off the terminal.
            await context.Error.WriteAsync($"Error: {DisplayText.EscapeControlCharacters(line.TrimEnd('\r'))}\n");
        }
    }

    /// <summary>One run's command tree: the verbs' actions close over the run's context.</summary>
    private sealed class Cli
    {
        private readonly CliContext _context;
        // string[]: given before and after the verb, the last wins, as getopt has it.
        private readonly Option<string[]> _catalog = new("--catalog")
        {
            Description = "The catalog database. [default: $XCATIMG_CATALOG, else ~/.local/share/xcatimg/catalog.db]",
            HelpName = "PATH",
            Recursive = true,
            AllowMultipleArgumentsPerToken = false,
        };

        private readonly Option<string[]> _installDir = new("--install-dir")
        {
            Description = "The install directory (xCAT's site.installdir). [default: $XCATIMG_INSTALLDIR, else /install]",
            HelpName = "DIR",
            Recursive = true,
            AllowMultipleArgumentsPerToken = false,
        };

        private readonly Option<bool> _version = new("--version") { Description = "Print the version and exit.", Arity = ArgumentArity.Zero };
        private readonly Dictionary<string, (IVerb Verb, VerbSyntax Syntax)> _verbs = new(StringComparer.Ordinal);

        public Cli(CliContext context)
        {
            _context = context;
            Root = new RootCommand("Builds, packs and moves xCAT diskless images; the verbs mirror xCAT's commands and option letters.\n" +
                                   "Run 'xcatimg help <verb>' or 'xcatimg <verb> -h' for a verb's options.")
            {
                // Not the host's name: 'dotnet xcatimg.dll' and the tests' in-process runs show xcatimg too.
                HelpName = "xcatimg",
            };
            // No /h, /? or [directive] words: a path or a noderange may look like them.
            Root.Options.Clear();
            Root.Directives.Clear();
            Root.Add(new HelpOption("--help", "-h", "-?") { Recursive = true });
            Root.Add(_catalog);
            Root.Add(_installDir);
            Root.Add(_version);
            foreach (var verb in s_verbs)
            {
                var syntax = new VerbSyntax(verb.Name, verb.Summary);
                verb.Define(syntax);
                syntax.Command.SetAction((result, token) => RunVerbAsync(verb, syntax, result, token));
                Root.Add(syntax.Command);
                _verbs[verb.Name] = (verb, syntax);
            }

            var help = new Command("help", "Show the options of a verb: help <verb>.");
            var helpVerb = new Argument<string[]>("verb") { Arity = ArgumentArity.ZeroOrMore, HelpName = "verb" };
            helpVerb.CompletionSources.Add(_verbs.Keys.ToArray());
            help.Add(helpVerb);
            help.SetAction((result, token) => HelpAsync(result.GetValue(helpVerb) ?? [], token));
            Root.Add(help);
            Root.SetAction(async (result, _) =>
            {
                if (result.GetValue(_version))
                {
                    return await WriteVersionAsync(_context);
                }

                await WriteUsageAsync(_context.Error);
                return UsageError;
            });
        }

        public RootCommand Root { get; }

        /// <summary>The global options as given, then the verb and its words split as getopt would.</summary>
        public List<string> Normalize(string[] args)
        {
            var index = 0;
            while (index < args.Length && args[index].StartsWith("--", StringComparison.Ordinal) && args[index] != "--")
            {
                index += s_globalValueOptions.Contains(args[index]) ? 2 : 1;
            }

            if (index >= args.Length || !_verbs.TryGetValue(args[index], out var verb))
            {
                return [.. args];
            }

            return [.. args[..(index + 1)], .. verb.Syntax.Normalize(args[(index + 1)..], s_globalValueOptions)];
        }

        /// <summary>A refusal found while splitting the words, before System.CommandLine parsed them.</summary>
        public async Task<int> ReportUsageErrorAsync(string[] args, string message)
        {
            await WriteErrorAsync(_context, message);
            var verb = args.Select(a => _verbs.GetValueOrDefault(a).Verb).FirstOrDefault(static v => v is not null);
            await _context.Error.WriteAsync(verb is null ? $"{GlobalUsage}\n" : $"Usage: xcatimg {verb.Usage}\n");
            return UsageError;
        }

        public async Task<int> ReportParseErrorAsync(ParseResult result)
        {
            var command = result.CommandResult.Command;
            var verb = _verbs.GetValueOrDefault(command.Name).Verb;
            string message;
            if (result.UnmatchedTokens.Count > 0 && verb is null && command is RootCommand)
            {
                var word = result.UnmatchedTokens[0];
                message = word.StartsWith('-') ? $"Unknown option '{word}'." : UnknownVerb(word);
            }
            else if (result.UnmatchedTokens.Count > 0)
            {
                var word = result.UnmatchedTokens[0];
                message = word.StartsWith('-') ? $"Unknown option '{word}'." : $"Unexpected argument '{word}'.";
            }
            else
            {
                message = Translate(result.Errors[0]);
            }

            await WriteErrorAsync(_context, message);
            if (verb is null)
            {
                await _context.Error.WriteAsync($"{GlobalUsage}\nRun 'xcatimg --help' for the verbs.\n");
            }
            else
            {
                await _context.Error.WriteAsync($"Usage: xcatimg {verb.Usage}\n");
            }

            return UsageError;
        }

        private static string Translate(ParseError error) => error.SymbolResult switch
        {
            // System.CommandLine's "Required argument missing for option: '-t'." in getopt's words.
            OptionResult { Tokens.Count: 0, IdentifierToken: { } token } when error.Message.StartsWith("Required argument missing", StringComparison.Ordinal)
                => $"The option '{token.Value}' needs a value.",
            _ => error.Message,
        };

        private string UnknownVerb(string word)
            => Listing.NearMiss(word, _verbs.Keys) is { } near
                ? $"Unknown verb '{word}'. Did you mean '{near}'?"
                : $"Unknown verb '{word}'.";

        private async Task<int> HelpAsync(string[] words, CancellationToken cancellationToken)
        {
            if (words.Length == 0)
            {
                return await Root.Parse(["--help"]).InvokeAsync(Invocation(), cancellationToken);
            }

            if (words.Length > 1 || !_verbs.ContainsKey(words[0]))
            {
                await WriteErrorAsync(_context, words.Length > 1 ? "help takes one verb." : UnknownVerb(words[0]));
                await _context.Error.WriteAsync($"{GlobalUsage}\nRun 'xcatimg --help' for the verbs.\n");
                return UsageError;
            }

            return await Root.Parse([words[0], "--help"]).InvokeAsync(Invocation(), cancellationToken);
        }

        private InvocationConfiguration Invocation() => new() { Output = _context.Out, Error = _context.Error, ProcessTerminationTimeout = null };

        private async Task<int> RunVerbAsync(IVerb verb, VerbSyntax syntax, ParseResult result, CancellationToken cancellationToken)
        {
            try
            {
                var options = syntax.Bind(result);
                if (result.GetValue(_catalog) is [.., var catalog])
                {
                    _context.CatalogOption = catalog;
                }

                if (result.GetValue(_installDir) is [.., var installDir])
                {
                    _context.InstallDirectoryOption = installDir;
                }

                var exitCode = await verb.RunAsync(options, _context, cancellationToken);
                _context.Logs?.Flush();
                return exitCode;
            }
            catch (UsageException ex)
            {
                _context.Logs?.Discard();
                await WriteErrorAsync(_context, ex.Message);
                await _context.Error.WriteAsync($"Usage: xcatimg {verb.Usage}\n");
                return UsageError;
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                // The library writes its outputs atomically (temp file, then rename): nothing half-written is left.
                _context.Logs?.Discard();
                await WriteErrorAsync(_context, "Interrupted; nothing was written.");
                return Interrupted;
            }
            catch (Exception ex)
            {
                _context.Logs?.Discard();
                await WriteErrorAsync(_context, CliErrors.Describe(ex, _context));
                return Failure;
            }
        }

        private async Task WriteUsageAsync(TextWriter writer)
        {
            await writer.WriteAsync($"{GlobalUsage}\n\nVerbs:\n");
            foreach (var verb in s_verbs)
            {
                await writer.WriteAsync($"  {verb.Name,-11} {verb.Summary}\n");
            }

            await writer.WriteAsync("\nThe catalog is --catalog, else $XCATIMG_CATALOG, else ~/.local/share/xcatimg/catalog.db;\n" +
                                    "the install directory is --install-dir, else $XCATIMG_INSTALLDIR, else /install.\n" +
                                    "Run 'xcatimg help <verb>' or 'xcatimg <verb> -h' for a verb's options.\n");
        }
    }
}
