using System.IO.Abstractions;

namespace Xcat.Imaging.Exclusion;

/// <summary>
/// Reads an exlist and, breadth first, every file it includes, so that expansion itself needs no I/O and the sync
/// and async loaders share it. A relative include is resolved against the including file's directory.
/// </summary>
internal sealed class ExlistFileSet(IFileSystem fileSystem)
{
    private readonly Dictionary<string, string> _texts = new(StringComparer.Ordinal);
    private readonly Queue<(string Path, string Name, string IncludedFrom)> _unread = new();
    private readonly HashSet<string> _queued = new(StringComparer.Ordinal);

    public string GetFullPath(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        return fileSystem.Path.GetFullPath(path);
    }

    public string GetText(string path) => _texts[path];

    public void Read(string path, string? name, string? includedFrom)
    {
        if (_texts.ContainsKey(path))
        {
            return;
        }

        string text;
        try
        {
            text = fileSystem.File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw Unreadable(path, name, includedFrom, e);
        }

        Add(path, text);
    }

    public async Task ReadAsync(string path, string? name, string? includedFrom, CancellationToken cancellationToken)
    {
        if (_texts.ContainsKey(path))
        {
            return;
        }

        string text;
        try
        {
            text = await fileSystem.File.ReadAllTextAsync(path, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw Unreadable(path, name, includedFrom, e);
        }

        Add(path, text);
    }

    public bool TryTakeUnread(out string path, out string name, out string includedFrom)
    {
        var found = _unread.TryDequeue(out var next);
        (path, name, includedFrom) = next;
        return found;
    }

    /// <summary>For <see cref="ExlistIncludeExpander"/>: the full path of an include and its text.</summary>
    public (string Identity, string? Text) Resolve(string name, string? includingFile)
    {
        var path = ResolvePath(name, includingFile!);
        return (path, _texts.GetValueOrDefault(path));
    }

    private static FileNotFoundException Unreadable(string path, string? name, string? includedFrom, Exception e) => includedFrom is null
        ? new FileNotFoundException($"Cannot read the exlist '{path}': {e.Message}", path, e)
        : new FileNotFoundException($"Cannot read '{name}' ({path}), included by the exlist '{includedFrom}': {e.Message}", path, e);

    private void Add(string path, string text)
    {
        _texts[path] = text;
        foreach (var name in ExlistIncludeExpander.FindIncludes(text))
        {
            var included = ResolvePath(name, path);
            if (!_texts.ContainsKey(included) && _queued.Add(included))
            {
                _unread.Enqueue((included, name, path));
            }
        }
    }

    private string ResolvePath(string name, string includingFile)
    {
        var path = fileSystem.Path.IsPathRooted(name)
            ? name
            : fileSystem.Path.Combine(fileSystem.Path.GetDirectoryName(includingFile) ?? string.Empty, name);
        return fileSystem.Path.GetFullPath(path);
    }
}
