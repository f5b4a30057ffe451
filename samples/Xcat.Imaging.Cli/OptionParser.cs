namespace Xcat.Imaging.Cli;

/// <summary>A small getopt: short letters (bundled flags allowed), long names, values in the next word or after '='.</summary>
internal sealed class OptionParser
{
    private readonly List<(char? Short, string Long, bool TakesValue)> _specs = [];

    public OptionParser Flag(char? shortName, string longName)
    {
        _specs.Add((shortName, longName, false));
        return this;
    }

    public OptionParser Value(char? shortName, string longName)
    {
        _specs.Add((shortName, longName, true));
        return this;
    }

    /// <summary>Parses <paramref name="args"/>; options may appear anywhere, "--" ends them.</summary>
    public ParsedOptions Parse(IReadOnlyList<string> args)
    {
        var result = new ParsedOptions();
        var onlyPositional = false;
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            if (onlyPositional || arg == "-" || !arg.StartsWith('-'))
            {
                result.Positional.Add(arg);
                continue;
            }

            if (arg == "--")
            {
                onlyPositional = true;
                continue;
            }

            if (arg.StartsWith("--", StringComparison.Ordinal))
            {
                var eq = arg.IndexOf('=', StringComparison.Ordinal);
                var name = eq < 0 ? arg[2..] : arg[2..eq];
                var spec = _specs.FirstOrDefault(s => s.Long == name);
                if (spec.Long is null)
                {
                    throw new UsageException($"Unknown option '--{name}'.");
                }

                if (spec.TakesValue)
                {
                    var value = eq >= 0 ? arg[(eq + 1)..] : (++i < args.Count ? args[i] : throw new UsageException($"The option '--{name}' needs a value."));
                    result.Add(spec.Long, value);
                }
                else if (eq >= 0)
                {
                    throw new UsageException($"The option '--{name}' takes no value.");
                }
                else
                {
                    result.Add(spec.Long, null);
                }

                continue;
            }

            for (var j = 1; j < arg.Length; j++)
            {
                var letter = arg[j];
                var spec = _specs.FirstOrDefault(s => s.Short == letter);
                if (spec.Long is null)
                {
                    throw new UsageException($"Unknown option '-{letter}'.");
                }

                if (!spec.TakesValue)
                {
                    result.Add(spec.Long, null);
                    continue;
                }

                var value = j + 1 < arg.Length ? arg[(j + 1)..] : (++i < args.Count ? args[i] : throw new UsageException($"The option '-{letter}' needs a value."));
                result.Add(spec.Long, value);
                break;
            }
        }

        return result;
    }
}

internal sealed class ParsedOptions
{
    private readonly Dictionary<string, List<string?>> _values = new(StringComparer.Ordinal);

    public List<string> Positional { get; } = [];

    public void Add(string name, string? value)
    {
        if (!_values.TryGetValue(name, out var list))
        {
            _values[name] = list = [];
        }

        list.Add(value);
    }

    public bool Has(string name) => _values.ContainsKey(name);

    public string? Get(string name) => _values.TryGetValue(name, out var list) ? list[^1] : null;

    public IReadOnlyList<string> GetAll(string name) => _values.TryGetValue(name, out var list) ? [.. list.OfType<string>()] : [];
}

/// <summary>A command-line mistake: reported with the verb's usage and exit code 2.</summary>
internal sealed class UsageException(string message) : Exception(message);
