using System.CommandLine;
using System.CommandLine.Parsing;

namespace Xcat.Imaging.Cli;

/// <summary>
/// One verb's options as a System.CommandLine <see cref="System.CommandLine.Command"/>, with xCAT's getopt habits kept:
/// bundled letters (<c>-lv</c>), a value glued to its letter (<c>-tosimage</c>), the last of a repeated option wins, and
/// a word after <c>--</c> is never an option.
/// </summary>
internal sealed class VerbSyntax
{
    private readonly List<Spec> _specs = [];
    private Argument<string[]>? _arguments;
    private (string Requires, string Flag)? _helpWith;

    public VerbSyntax(string name, string summary)
    {
        Command = new Command(name, summary);
    }

    public Command Command { get; }

    /// <summary>A flag: <c>-l</c>, <c>--long</c>.</summary>
    public VerbSyntax Flag(char? shortName, string longName, string description)
    {
        var option = new Option<bool>("--" + longName, Aliases(shortName)) { Description = description, Arity = ArgumentArity.Zero };
        Command.Add(option);
        _specs.Add(new Spec(shortName, longName, TakesValue: false, option));
        return this;
    }

    /// <summary>
    /// An option with a value. <paramref name="defaultValue"/> is shown in the help only: the verb sees the option as
    /// not given. <paramref name="accepted"/> limits the values (and completes them); <paramref name="invalid"/> words
    /// the refusal, which names the option and the values it takes.
    /// </summary>
    public VerbSyntax Value(char? shortName, string longName, string helpName, string description, string? defaultValue = null,
        IReadOnlyList<string>? accepted = null, Func<string, string>? invalid = null)
    {
        // string[] so that a repeated option is not a parse error: the verb takes the last (or, for -w, all).
        var option = new Option<string[]>("--" + longName, Aliases(shortName))
        {
            Description = description,
            HelpName = helpName,
            Arity = ArgumentArity.OneOrMore,
            AllowMultipleArgumentsPerToken = false,
        };
        if (defaultValue is not null)
        {
            option.DefaultValueFactory = _ => [defaultValue];
        }

        if (accepted is not null)
        {
            option.CompletionSources.Add(accepted.ToArray());
            option.Validators.Add(result =>
            {
                foreach (var token in result.Tokens)
                {
                    if (!accepted.Contains(token.Value, StringComparer.Ordinal))
                    {
                        result.AddError(invalid?.Invoke(token.Value)
                            ?? $"The option '{result.IdentifierToken?.Value}' takes {Listing.OneOf(accepted)}, not '{token.Value}'.");
                        return;
                    }
                }
            });
        }

        Command.Add(option);
        _specs.Add(new Spec(shortName, longName, TakesValue: true, option));
        return this;
    }

    /// <summary>
    /// Declares a flag that <c>-h</c>, <c>--help</c> and <c>-?</c> turn into when the option <paramref name="requires"/>
    /// is given too: xCAT's <c>lsdef -t node -h</c> describes the attributes instead of printing the usage.
    /// </summary>
    public VerbSyntax HelpWith(string requires, string longName, string description)
    {
        Flag(null, longName, description);
        _helpWith = (requires, longName);
        return this;
    }

    /// <summary>The positional words (names, noderange, attr=value, paths); the verb checks how many it takes.</summary>
    public VerbSyntax Arguments(string helpName, string description)
    {
        _arguments = new Argument<string[]>(helpName) { Description = description, Arity = ArgumentArity.ZeroOrMore };
        Command.Add(_arguments);
        return this;
    }

    /// <summary>
    /// Splits getopt bundles into words System.CommandLine reads: <c>-lv</c> into <c>-l -v</c>, <c>-tosimage</c> into
    /// <c>-t osimage</c>. An unknown letter is kept as a word of its own so that <see cref="Bind"/> names it.
    /// </summary>
    public List<string> Normalize(IEnumerable<string> args, IReadOnlySet<string> globalValueOptions)
    {
        var words = new List<string>();
        var helpWords = new List<int>();
        var requiredGiven = false;
        var onlyPositional = false;
        var valueFollows = false;
        foreach (var arg in args)
        {
            if (onlyPositional || valueFollows || arg.Length < 2 || arg[0] != '-')
            {
                words.Add(arg);
                valueFollows = false;
                continue;
            }

            if (arg == "--")
            {
                onlyPositional = true;
                words.Add(arg);
                continue;
            }

            if (arg[1] == '-')
            {
                // --name=value needs no next word; --name of a value option does; a flag takes no value.
                var name = arg[2..];
                var eq = name.IndexOf('=', StringComparison.Ordinal);
                if (eq > 0 && _specs.Any(s => !s.TakesValue && s.Long == name[..eq]))
                {
                    throw new UsageException($"The option '--{name[..eq]}' takes no value.");
                }

                valueFollows = !name.Contains('=', StringComparison.Ordinal)
                    && (globalValueOptions.Contains(arg) || _specs.Any(s => s.TakesValue && s.Long == name));
                requiredGiven |= _helpWith is { } help && (name == help.Requires || name.StartsWith(help.Requires + "=", StringComparison.Ordinal));
                if (name == "help")
                {
                    helpWords.Add(words.Count);
                }

                words.Add(arg);
                continue;
            }

            for (var j = 1; j < arg.Length; j++)
            {
                var letter = arg[j];
                var spec = _specs.FirstOrDefault(s => s.Short == letter);
                requiredGiven |= spec is not null && _helpWith is { } help && spec.Long == help.Requires;
                if (spec is null && letter is 'h' or '?')
                {
                    helpWords.Add(words.Count);
                }

                words.Add("-" + letter);
                if (spec is { TakesValue: true })
                {
                    if (j + 1 < arg.Length)
                    {
                        words.Add(arg[(j + 1)..]);
                    }
                    else
                    {
                        valueFollows = true;
                    }

                    break;
                }
            }
        }

        if (requiredGiven && _helpWith is { } helpWith)
        {
            foreach (var index in helpWords)
            {
                words[index] = "--" + helpWith.Flag;
            }
        }

        return words;
    }

    /// <summary>The options the user gave, by long name, and the positionals; a positional that looks like an option is refused.</summary>
    public ParsedOptions Bind(ParseResult result)
    {
        var options = new ParsedOptions();
        foreach (var spec in _specs)
        {
            if (result.GetResult(spec.Option) is not { Implicit: false } given)
            {
                continue;
            }

            if (!spec.TakesValue)
            {
                options.Add(spec.Long, null);
                continue;
            }

            foreach (var token in given.Tokens)
            {
                options.Add(spec.Long, token.Value);
            }
        }

        if (_arguments is not null && result.GetResult(_arguments) is { } positional)
        {
            var tokens = result.Tokens;
            var doubleDash = tokens.ToList().FindIndex(static t => t.Type == TokenType.DoubleDash);
            foreach (var token in positional.Tokens)
            {
                var escaped = doubleDash >= 0 && IndexOf(tokens, token) > doubleDash;
                if (!escaped && token.Value.Length > 1 && token.Value[0] == '-')
                {
                    var eq = token.Value.IndexOf('=', StringComparison.Ordinal);
                    throw new UsageException($"Unknown option '{(token.Value.StartsWith("--", StringComparison.Ordinal) && eq > 0 ? token.Value[..eq] : token.Value)}'.");
                }

                options.Positional.Add(token.Value);
            }
        }

        return options;
    }

    private static int IndexOf(IReadOnlyList<Token> tokens, Token token)
    {
        for (var i = 0; i < tokens.Count; i++)
        {
            if (ReferenceEquals(tokens[i], token))
            {
                return i;
            }
        }

        return -1;
    }

    private static string[] Aliases(char? shortName) => shortName is { } letter ? ["-" + letter] : [];

    private sealed record Spec(char? Short, string Long, bool TakesValue, Option Option);
}
