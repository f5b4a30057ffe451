using System.IO.Abstractions;
using Xcat.Imaging.Unix;

namespace Xcat.Imaging.Bundles.Internal;

/// <summary>
/// Moves staged files into place with xCAT's <c>.ORIG</c> backups (xCAT's imgport.pm, make_files) and remembers every step, so that a
/// later failure (another file, the catalog transaction) puts everything back as it was. Each destination's parents
/// are checked by <see cref="InstallPathPolicy.PrepareParent"/> at the moment of placement, and nothing here follows
/// a symbolic link: renames move links themselves. A rollback removes only what this transaction created: a directory
/// it made is removed only while empty, so what another import put there meanwhile stays.
/// </summary>
internal sealed class PlacementTransaction(IFileSystem fileSystem, IUnixMetadataProvider metadata, InstallPathPolicy policy, string trashDirectory)
{
    private readonly Stack<(string What, Action Undo)> _undo = new();
    private readonly List<string> _messages = [];
    private int _trashCount;

    public IReadOnlyList<string> Messages => _messages;

    /// <summary>Moves <paramref name="staged"/> to <paramref name="target"/> (normalised by the policy); returns the backup made, if any.</summary>
    public string? Place(string staged, string target)
    {
        policy.PrepareParent(target, directory => _undo.Push(($"remove {directory}", () => RemoveIfEmpty(directory))));
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

    private bool Exists(string path) => metadata.TryGetStatus(path, out _);

    private void RemoveIfEmpty(string directory)
    {
        if (metadata.TryGetStatus(directory, out var status) && status.Type == UnixFileType.Directory
            && !fileSystem.Directory.EnumerateFileSystemEntries(directory).Any())
        {
            fileSystem.Directory.Delete(directory);
        }
    }

    private void Move(string from, string to)
    {
        // Both are rename(2), which moves a link itself; File.Move refuses a link to a directory ("Could not find file").
        if (metadata.TryGetStatus(from, out var status)
            && (status.Type == UnixFileType.Directory || (status.Type == UnixFileType.SymbolicLink && fileSystem.Directory.Exists(from))))
        {
            fileSystem.Directory.Move(from, to);
        }
        else
        {
            fileSystem.File.Move(from, to);
        }
    }
}
