using System.IO.Abstractions;
using System.Text;
using Xcat.Imaging.Unix;

namespace Xcat.Imaging.Exclusion;

/// <summary>
/// Reads an exlist and, breadth first, every file it includes, so that expansion itself needs no I/O and the sync
/// and async loaders share it. A relative include is resolved against the including file's directory. Only regular
/// files are read (a FIFO would block forever, <c>/dev/zero</c> never ends), each at most
/// <see cref="ExcludeList.MaxFileLength"/> characters, all of them together at most four times that.
/// </summary>
internal sealed class ExlistFileSet(IFileSystem fileSystem)
{
    private const int MaxTotalLength = 4 * ExcludeList.MaxFileLength;

    private readonly Dictionary<string, string> _texts = new(StringComparer.Ordinal);
    private readonly Queue<(string Path, string Name, string IncludedFrom)> _unread = new();
    private readonly HashSet<string> _queued = new(StringComparer.Ordinal);
    private readonly IUnixMetadataProvider _metadata = UnixMetadataProvider.For(fileSystem);
    private long _totalLength;

    public string GetFullPath(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        return fileSystem.Path.GetFullPath(path);
    }

    public string GetText(string path) => _texts[path];

    /// <summary>Reads the roots and, breadth first, every file they include; the sync twin runs with <paramref name="useAsync"/> false.</summary>
    public async ValueTask ReadAllAsync(bool useAsync, IEnumerable<string> roots, CancellationToken cancellationToken)
    {
        foreach (var root in roots)
        {
            await ReadAsync(useAsync, root, name: null, includedFrom: null, cancellationToken).ConfigureAwait(false);
        }

        while (_unread.TryDequeue(out var next))
        {
            await ReadAsync(useAsync, next.Path, next.Name, next.IncludedFrom, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>For <see cref="ExlistIncludeExpander"/>: the full path of an include and its text.</summary>
    public (string Identity, string? Text) Resolve(string name, string? includingFile)
    {
        var path = ResolvePath(name, includingFile!);
        return (path, _texts.GetValueOrDefault(path));
    }

    private static string Describe(string path, string? name, string? includedFrom) => includedFrom is null
        ? $"The exlist '{path}'"
        : $"The exlist include '{name}' ({path}), included by '{includedFrom}',";

    private static FileNotFoundException Unreadable(string path, string? name, string? includedFrom, Exception e)
    {
        // Our words for the common cases; .NET's "Could not find file '...'" would only repeat the path.
        var reason = e switch
        {
            FileNotFoundException or DirectoryNotFoundException => "it does not exist.",
            UnauthorizedAccessException => "permission denied.",
            _ => e.Message,
        };
        return includedFrom is null
            ? new FileNotFoundException($"Cannot read the exlist '{path}': {reason}", path, e)
            : new FileNotFoundException($"Cannot read '{name}' ({path}), included by the exlist '{includedFrom}': {reason}", path, e);
    }

    private async ValueTask ReadAsync(bool useAsync, string path, string? name, string? includedFrom, CancellationToken cancellationToken)
    {
        if (_texts.ContainsKey(path))
        {
            return;
        }

        string text;
        try
        {
            CheckRegularFile(path, name, includedFrom);
            using var reader = OpenReader(path);
            var buffer = new char[16 * 1024];
            var content = new StringBuilder();
            int read;
            while ((read = useAsync
                       ? await reader.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)
                       : reader.Read(buffer, 0, buffer.Length)) > 0)
            {
                Append(content, buffer, read, path, name, includedFrom);
            }

            text = content.ToString();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw Unreadable(path, name, includedFrom, e);
        }

        Add(path, text);
    }

    private StreamReader OpenReader(string path)
    {
        var stream = fileSystem.FileStream.New(path, FileMode.Open, FileAccess.Read, FileShare.Read, 4096, FileOptions.None);
        return new StreamReader(stream, Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
    }

    /// <summary>Refuses what is not a regular file (after symbolic links) before opening it, which could block.</summary>
    private void CheckRegularFile(string path, string? name, string? includedFrom)
    {
        var target = path;
        if (!_metadata.TryGetStatus(target, out var status))
        {
            return; // The open reports the missing file.
        }

        if (status.Type == UnixFileType.SymbolicLink)
        {
            target = fileSystem.File.ResolveLinkTarget(path, returnFinalTarget: true)?.FullName ?? path;
            if (!_metadata.TryGetStatus(target, out status))
            {
                return;
            }
        }

        if (status.Type != UnixFileType.RegularFile)
        {
            throw new InvalidDataException($"{Describe(path, name, includedFrom)} is {Article(status.Type)}, not a regular file; refused.");
        }
    }

    private static string Article(UnixFileType type) => type switch
    {
        UnixFileType.Directory => "a directory",
        UnixFileType.SymbolicLink => "a symbolic link",
        UnixFileType.CharacterDevice => "a character device",
        UnixFileType.BlockDevice => "a block device",
        UnixFileType.Fifo => "a FIFO",
        UnixFileType.Socket => "a socket",
        _ => type.ToString(),
    };

    private void Append(StringBuilder content, char[] buffer, int count, string path, string? name, string? includedFrom)
    {
        _totalLength += count;
        if (content.Length + count > ExcludeList.MaxFileLength)
        {
            throw new InvalidDataException(
                $"{Describe(path, name, includedFrom)} is longer than {ExcludeList.MaxFileLength} characters; refused.");
        }

        if (_totalLength > MaxTotalLength)
        {
            throw new InvalidDataException(
                $"{Describe(path, name, includedFrom)} takes the exlist and its includes past {MaxTotalLength} characters in all; refused.");
        }

        content.Append(buffer, 0, count);
    }

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
