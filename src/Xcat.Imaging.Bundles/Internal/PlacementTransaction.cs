using System.IO.Abstractions;

namespace Xcat.Imaging.Bundles.Internal;

/// <summary>
/// Moves staged files into place with xCAT's <c>.ORIG</c> backups (spec §2.8) and remembers every step, so that a
/// later failure (another file, the catalog transaction) puts everything back as it was.
/// </summary>
internal sealed class PlacementTransaction(IFileSystem fileSystem, string trashDirectory)
{
    private readonly Stack<(string What, Action Undo)> _undo = new();
    private readonly List<string> _messages = [];
    private int _trashCount;

    public IReadOnlyList<string> Messages => _messages;

    public bool Exists(string path) =>
        fileSystem.File.Exists(path) || fileSystem.Directory.Exists(path) || fileSystem.FileInfo.New(path).LinkTarget is not null;

    public void EnsureDirectory(string directory)
    {
        if (fileSystem.Directory.Exists(directory))
        {
            return;
        }

        var parent = fileSystem.Path.GetDirectoryName(directory);
        if (parent is not null && parent != directory)
        {
            EnsureDirectory(parent);
        }

        if (Exists(directory))
        {
            throw new IOException($"'{directory}' exists and is not a directory.");
        }

        fileSystem.Directory.CreateDirectory(directory);
        if (!OperatingSystem.IsWindows())
        {
            fileSystem.File.SetUnixFileMode(directory, (UnixFileMode)0b111_101_101);
        }

        _undo.Push(($"remove {directory}", () => fileSystem.Directory.Delete(directory)));
    }

    /// <summary>Moves <paramref name="staged"/> to <paramref name="target"/>; returns the backup made, if any.</summary>
    public string? Place(string staged, string target)
    {
        EnsureDirectory(fileSystem.Path.GetDirectoryName(target)!);
        string? backup = null;
        if (Exists(target))
        {
            backup = target + ".ORIG";
            if (Exists(backup))
            {
                // xCAT overwrites an older .ORIG; it is kept aside until commit so a rollback can restore it.
                var aside = fileSystem.Path.Combine(trashDirectory, (++_trashCount).ToString(System.Globalization.CultureInfo.InvariantCulture));
                fileSystem.Directory.CreateDirectory(trashDirectory);
                Move(backup, aside);
                _undo.Push(($"restore {backup}", () => Move(aside, backup)));
            }

            _messages.Add($"  Moving old {target} to {backup}.");
            Move(target, backup);
            _undo.Push(($"restore {target}", () => Move(backup, target)));
        }

        Move(staged, target);
        _undo.Push(($"unplace {target}", () => Move(target, staged)));
        return backup;
    }

    /// <summary>Undoes every step, newest first; returns what could not be undone.</summary>
    public List<string> Rollback()
    {
        var failures = new List<string>();
        while (_undo.TryPop(out var step))
        {
            try
            {
                step.Undo();
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                failures.Add($"{step.What}: {e.Message}");
            }
        }

        return failures;
    }

    public void Commit() => _undo.Clear();

    private void Move(string from, string to)
    {
        if (fileSystem.Directory.Exists(from) && fileSystem.FileInfo.New(from).LinkTarget is null)
        {
            fileSystem.Directory.Move(from, to);
        }
        else
        {
            fileSystem.File.Move(from, to);
        }
    }
}
