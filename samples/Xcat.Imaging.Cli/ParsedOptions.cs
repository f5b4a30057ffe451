namespace Xcat.Imaging.Cli;

/// <summary>What the user gave a verb: options by long name (defaults are not given values) and positionals in order.</summary>
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

    /// <summary>The last value given, as getopt keeps it; null when the option was not given.</summary>
    public string? Get(string name) => _values.TryGetValue(name, out var list) ? list[^1] : null;

    public IReadOnlyList<string> GetAll(string name) => _values.TryGetValue(name, out var list) ? [.. list.OfType<string>()] : [];
}
