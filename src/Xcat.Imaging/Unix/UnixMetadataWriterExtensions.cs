namespace Xcat.Imaging.Unix;

/// <summary>Tree operations composed from <see cref="IUnixMetadataWriter"/>'s single-object calls.</summary>
public static class UnixMetadataWriterExtensions
{
    /// <summary>
    /// Removes <paramref name="path"/> and, if it is a directory, everything below it, never following a symbolic
    /// link: a link is removed, not what it points to. Unlike <see cref="Directory.Delete(string, bool)"/>, this also
    /// removes names that are not UTF-8.
    /// </summary>
    /// <param name="writer">The writer whose calls do the work.</param>
    /// <param name="path">A host path; nothing happens when it does not exist.</param>
    /// <exception cref="UnauthorizedAccessException">Something cannot be removed.</exception>
    /// <exception cref="IOException">Something cannot be removed, or the tree changed while it was removed.</exception>
    public static void DeleteTree(this IUnixMetadataWriter writer, string path)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!writer.TryGetStatus(path, out var status))
        {
            return;
        }

        if (status.Type != UnixFileType.Directory)
        {
            writer.Delete(path);
            return;
        }

        // Depth-first with an explicit stack: image trees can be deeper than the call stack is comfortable with.
        var pending = new Stack<(string Path, bool Listed)>();
        pending.Push((path, false));

        while (pending.TryPop(out var directory))
        {
            if (directory.Listed)
            {
                writer.Delete(directory.Path);
                continue;
            }

            pending.Push((directory.Path, true));
            foreach (var name in writer.GetDirectoryEntries(directory.Path))
            {
                var child = directory.Path.EndsWith('/') ? directory.Path + name : directory.Path + "/" + name;
                if (writer.TryGetStatus(child, out var childStatus) && childStatus.Type == UnixFileType.Directory)
                {
                    pending.Push((child, false));
                }
                else
                {
                    writer.Delete(child);
                }
            }
        }
    }
}
