using System.IO.Abstractions;
using Xcat.Imaging.Trees;
using Xcat.Imaging.Unix;

namespace Xcat.Imaging.Bundles.Internal;

/// <summary>
/// The one path policy of imgimport: every path a manifest names is untrusted, and every placement goes through
/// here. A source resolves inside the extracted bundle without a symbolic link on the way; a destination is an
/// absolute path, normalised once, inside the install directory or an allowed destination, and every directory
/// between that root and the destination is a real directory (checked when planning, and again, without following a
/// link, at the moment of placement, so that a link placed earlier by the same import cannot lead a later file out).
/// A symbolic link placed outside <c>rootimg/</c> must lead inside a root, lexically and, once everything is placed,
/// when really resolved.
/// </summary>
internal sealed class InstallPathPolicy
{
    private const int MaximumLinkHops = 40;
    private static readonly UnixFileMode s_directoryMode = (UnixFileMode)0b111_101_101;
    private readonly IFileSystem _fileSystem;
    private readonly IUnixMetadataProvider _metadata;
    private readonly List<string> _roots;

    public InstallPathPolicy(IFileSystem fileSystem, IUnixMetadataProvider metadata, string installDirectory, IEnumerable<string> allowedDestinations)
    {
        _fileSystem = fileSystem;
        _metadata = metadata;
        InstallDirectory = installDirectory;
        _roots = [installDirectory, .. allowedDestinations.Select(d => Normalize(fileSystem.Path.GetFullPath(d)) ?? d)];
    }

    public string InstallDirectory { get; }

    /// <summary>Normalises an absolute POSIX path lexically (<c>//</c>, <c>.</c>, <c>..</c>); null when relative or holding NUL.</summary>
    public static string? Normalize(string path)
    {
        if (!path.StartsWith('/') || path.Contains('\0', StringComparison.Ordinal))
        {
            return null;
        }

        var parts = new List<string>();
        foreach (var part in path.Split('/'))
        {
            if (part is "" or ".")
            {
                continue;
            }

            if (part == "..")
            {
                if (parts.Count > 0)
                {
                    parts.RemoveAt(parts.Count - 1);
                }
            }
            else
            {
                parts.Add(part);
            }
        }

        return "/" + string.Join('/', parts);
    }

    /// <summary>
    /// Finds <paramref name="relative"/> (a path the manifest derives, such as <c>extra/tmp/mydir</c>) below the image
    /// directory of the extracted bundle without following a link; null when it is absent.
    /// </summary>
    /// <exception cref="InvalidDataException">The path is absolute, has a <c>..</c> component or NUL, or is reached through a link or file.</exception>
    public (string Path, UnixFileStatus Status)? FindSource(string imageDirectory, string relative, string what)
    {
        if (relative.StartsWith('/') || relative.Contains('\0', StringComparison.Ordinal))
        {
            throw new InvalidDataException($"The manifest names {what} by the path '{Show(relative)}', which is not inside the bundle; refused.");
        }

        var parts = relative.Split('/').Where(static p => p is not ("" or ".")).ToList();
        if (parts.Contains(".."))
        {
            throw new InvalidDataException($"The manifest names {what} by the path '{Show(relative)}', whose '..' would leave the bundle; refused.");
        }

        var path = imageDirectory;
        var status = _metadata.GetStatus(imageDirectory);
        for (var i = 0; i < parts.Count; i++)
        {
            if (status.Type != UnixFileType.Directory)
            {
                throw new InvalidDataException(
                    $"The bundle reaches {what} ('{Show(string.Join('/', parts))}') through '{Show(string.Join('/', parts.Take(i)))}', which is a {status.Type}, not a directory; refused.");
            }

            path = path + "/" + parts[i];
            if (!_metadata.TryGetStatus(path, out status))
            {
                return null;
            }
        }

        return (path, status);
    }

    /// <summary>
    /// Checks a destination when planning: absolute, inside a root (but not the root itself), and reached from it
    /// through real directories only. Returns the normalised path, the only form placed and stored.
    /// </summary>
    /// <exception cref="IOException">The destination is refused; the message names <paramref name="what"/>.</exception>
    public string Destination(string path, string what)
    {
        if (!path.StartsWith('/'))
        {
            throw new IOException($"The bundle would place {what} at the relative path '{Show(path)}'; refused.");
        }

        var normal = Normalize(path) ?? throw new IOException($"The bundle would place {what} at '{Show(path)}', which holds a NUL character; refused.");
        var root = RootOf(normal)
            ?? throw new IOException($"The bundle would place {what} at '{Show(path)}', outside the install directory {InstallDirectory}; refused (allow the destination to import it).");
        if (normal == root)
        {
            throw new IOException($"The bundle would place {what} at '{Show(path)}', which would replace the directory {root} itself; refused.");
        }

        WalkBelow(root, normal, what, create: null);
        return normal;
    }

    /// <summary>
    /// At the moment of placement: makes sure every directory between the root and <paramref name="target"/>'s parent
    /// is a real directory, creating the missing ones (mode 0755) and reporting each to <paramref name="created"/>.
    /// </summary>
    /// <exception cref="IOException">A component is a symbolic link or not a directory.</exception>
    public void PrepareParent(string target, Action<string> created)
    {
        var root = RootOf(target) ?? throw new IOException($"'{Show(target)}' is outside the install directory {InstallDirectory}; refused.");
        if (!_fileSystem.Directory.Exists(root))
        {
            // The root is the site's own configuration (its links are trusted); only what is below it comes from the bundle.
            var missing = new Stack<string>();
            for (var directory = root; directory.Length > 1 && !_fileSystem.Directory.Exists(directory); directory = TreePath.GetDirectoryName(directory))
            {
                missing.Push(directory);
            }

            while (missing.TryPop(out var directory))
            {
                CreateDirectory(directory);
                created(directory);
            }
        }

        WalkBelow(root, target, $"'{Show(target)}'", created);
    }

    /// <summary>Checks, lexically, that a link placed at <paramref name="placedPath"/> leads inside a root.</summary>
    /// <exception cref="InvalidDataException">It has no target or leads outside.</exception>
    public void CheckLink(string placedPath, string? linkTarget, string what)
    {
        if (string.IsNullOrEmpty(linkTarget))
        {
            throw new InvalidDataException($"{Capitalize(what)} is a symbolic link with an empty target; refused.");
        }

        var resolved = Normalize(linkTarget.StartsWith('/') ? linkTarget : TreePath.GetDirectoryName(placedPath) + "/" + linkTarget);
        if (resolved is null || RootOf(resolved) is null)
        {
            throw new InvalidDataException(
                $"{Capitalize(what)} is a symbolic link to '{Show(linkTarget)}', which from {placedPath} leads outside the install directory {InstallDirectory}; refused.");
        }
    }

    /// <summary>After placement: resolves a placed link for real (every link on the way) and refuses it when it ends outside every root.</summary>
    /// <exception cref="IOException">The link leads outside.</exception>
    public void VerifyPlacedLink(string placedPath, string what)
    {
        var resolved = RealPath(placedPath);
        if (resolved is null || !_roots.Any(root => Under(resolved, RealPath(root) ?? root)))
        {
            throw new IOException(
                $"{Capitalize(what)} placed at {placedPath} is a symbolic link that leads to '{Show(resolved ?? "(a loop)")}', outside the install directory {InstallDirectory}; refused.");
        }
    }

    /// <summary>Escapes untrusted text for a one-line message.</summary>
    public static string Show(string? text) => DisplayText.Escape(text);

    private void WalkBelow(string root, string target, string what, Action<string>? create)
    {
        var path = root;
        var rest = target.Length > root.Length ? target[(root == "/" ? 1 : root.Length + 1)..] : string.Empty;
        var parts = rest.Split('/', StringSplitOptions.RemoveEmptyEntries);
        for (var i = 0; i < parts.Length - 1; i++)
        {
            path = path == "/" ? "/" + parts[i] : path + "/" + parts[i];
            if (!_metadata.TryGetStatus(path, out var status))
            {
                if (create is null)
                {
                    return; // planning: the rest is created at placement
                }

                CreateDirectory(path);
                create(path);
                continue;
            }

            if (status.Type == UnixFileType.SymbolicLink)
            {
                throw new IOException(
                    $"The bundle would place {what} through the symbolic link '{path}'; refused, as a link can lead outside the install directory.");
            }

            if (status.Type != UnixFileType.Directory)
            {
                throw new IOException($"The bundle would place {what} below '{path}', which is a {status.Type}, not a directory; refused.");
            }
        }
    }

    private void CreateDirectory(string path)
    {
        _fileSystem.Directory.CreateDirectory(path);
        if (!OperatingSystem.IsWindows())
        {
            _fileSystem.File.SetUnixFileMode(path, s_directoryMode);
        }
    }

    /// <summary>The longest root holding <paramref name="path"/> (normalised), or null.</summary>
    private string? RootOf(string path) => _roots.Where(root => Under(path, root)).OrderByDescending(static r => r.Length).FirstOrDefault();

    /// <summary>The path with every existing symbolic link resolved as the kernel would; null for a loop.</summary>
    private string? RealPath(string path)
    {
        var resolved = "/";
        var parts = new Queue<string>(path.Split('/', StringSplitOptions.RemoveEmptyEntries));
        var hops = 0;
        while (parts.TryDequeue(out var part))
        {
            if (part == ".")
            {
                continue;
            }

            if (part == "..")
            {
                resolved = TreePath.GetDirectoryName(resolved);
                continue;
            }

            var next = resolved == "/" ? "/" + part : resolved + "/" + part;
            if (!_metadata.TryGetStatus(next, out var status) || status.Type != UnixFileType.SymbolicLink)
            {
                resolved = next;
                continue;
            }

            if (++hops > MaximumLinkHops)
            {
                return null;
            }

            var target = _metadata.GetSymbolicLinkTarget(next) ?? string.Empty;
            if (target.StartsWith('/'))
            {
                resolved = "/";
            }

            parts = new Queue<string>(target.Split('/', StringSplitOptions.RemoveEmptyEntries).Concat(parts));
        }

        return resolved;
    }

    private static bool Under(string path, string directory) =>
        directory == "/" || path == directory || path.StartsWith(directory + "/", StringComparison.Ordinal);

    private static string Capitalize(string what) => what.Length > 0 ? char.ToUpperInvariant(what[0]) + what[1..] : what;
}
