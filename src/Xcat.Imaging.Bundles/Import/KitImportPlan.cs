using System.IO.Abstractions;
using Xcat.Imaging.Bundles.Internal;
using Xcat.Imaging.Definitions;
using Xcat.Imaging.Trees;
using Xcat.Imaging.Unix;

namespace Xcat.Imaging.Bundles.Import;

/// <summary>
/// The image's kits (xCAT's imgport.pm, make_files): <c>&lt;bundle&gt;/&lt;kitname&gt;</c> goes to
/// <c>dirname(kitdir)/&lt;kitname&gt;</c>, the kit's <c>other_files</c> become postscripts, and the kit, kitrepo and
/// kitcomponent rows are kept for the catalog.
/// </summary>
internal sealed class KitImportPlan(IFileSystem fileSystem, IUnixMetadataProvider unix, string installDirectory)
{
    private static readonly UnixFileMode s_scriptMode = (UnixFileMode)0b111_101_101;

    /// <summary>Adds every kit directory and kit script to <paramref name="placements"/>; returns the rows.</summary>
    public IReadOnlyList<KitRow> Add(ImportPlacements placements, ManifestPathMapper paths, List<string> messages)
    {
        var image = placements.Image;
        var manifest = image.Manifest;
        var policy = placements.Policy;
        var kitRows = new List<KitRow>();
        foreach (var kit in manifest.Kits)
        {
            var columns = paths.MapValues(kit.Columns);
            kitRows.Add(new KitRow("kit", "kitname", kit.Name, columns));
            if (columns.GetValueOrDefault("kitdir") is not { Length: > 0 } kitDirectory)
            {
                continue;
            }

            // xCAT assumes the directory's basename is the kit name; the exported kitdir's basename is tried too.
            var what = $"the kit directory of kit '{InstallPathPolicy.Show(kit.Name)}'";
            var found = policy.FindSource(image.Path, kit.Name, what);
            var exportedName = TreePath.GetFileName(kit.Columns.GetValueOrDefault("kitdir", kit.Name));
            if (found is not { Status.Type: UnixFileType.Directory } && ImageNaming.PathComponentProblem(exportedName) is null)
            {
                found = policy.FindSource(image.Path, exportedName, what);
            }

            if (found is not { Status.Type: UnixFileType.Directory } kitSource)
            {
                throw new InvalidDataException($"The bundle lacks the kit directory '{InstallPathPolicy.Show(image.DirectoryName)}/{InstallPathPolicy.Show(kit.Name)}/' of kit '{InstallPathPolicy.Show(kit.Name)}'.");
            }

            var staged = kitSource.Path;
            var target = policy.Destination(TreePath.GetDirectoryName(InstallPathPolicy.Normalize(kitDirectory) ?? kitDirectory) + "/" + kit.Name, $"kit {kit.Name}");
            foreach (var (relative, status, host) in placements.Walk(staged))
            {
                if (status.Type == UnixFileType.SymbolicLink)
                {
                    placements.Link(host, $"{target}/{relative}", $"the kit member '{InstallPathPolicy.Show(image.DirectoryName)}/{kit.Name}/{InstallPathPolicy.Show(relative)}'");
                }
            }

            placements.Add(staged, target, $"kit {kit.Name}");
            AddScripts(placements, kit.Name, staged);

            var plugins = fileSystem.Path.Combine(staged, "plugins");
            if (fileSystem.Directory.Exists(plugins) && fileSystem.Directory.EnumerateFileSystemEntries(plugins).Any())
            {
                // xCAT copies them into its own perl plugin directory and restarts xcatd; that is xCAT's job.
                messages.Add($"The plugins of kit {kit.Name} are in {target}/plugins; copy them to $XCATROOT/lib/perl/xCAT_plugin/ and restart xcatd on an xCAT management node.");
            }
        }

        kitRows.AddRange(manifest.KitRepos.Select(r => new KitRow("kitrepo", "kitreponame", r.Name, paths.MapValues(r.Columns))));
        kitRows.AddRange(manifest.KitComponents.Select(r => new KitRow("kitcomponent", "kitcompname", r.Name, paths.MapValues(r.Columns))));
        return kitRows;
    }

    /// <summary>The kit's <c>other_files</c> but dot-files, <c>*.exlist</c> and <c>*.env</c> become postscripts (mode 0755).</summary>
    private void AddScripts(ImportPlacements placements, string kitName, string kitDirectory)
    {
        if (placements.Policy.FindSource(kitDirectory, "other_files", $"the other_files of kit '{kitName}'") is not { Status.Type: UnixFileType.Directory } otherFiles)
        {
            return;
        }

        foreach (var name in unix.GetDirectoryEntries(otherFiles.Path).Order(StringComparer.Ordinal))
        {
            var file = fileSystem.Path.Join(otherFiles.Path, name);
            if (name.StartsWith('.') || name.EndsWith(".exlist", StringComparison.Ordinal) || name.EndsWith(".env", StringComparison.Ordinal)
                || !unix.TryGetStatus(file, out var status) || status.Type == UnixFileType.Directory)
            {
                continue;
            }

            var scriptWhat = $"the script 'other_files/{InstallPathPolicy.Show(name)}' of kit '{kitName}'";
            if (status.Type != UnixFileType.RegularFile)
            {
                throw new InvalidDataException($"{char.ToUpperInvariant(scriptWhat[0])}{scriptWhat[1..]} is a {status.Type}, not a regular file; refused.");
            }

            var script = placements.Policy.Destination($"{installDirectory}/postscripts/{name}", scriptWhat);
            var copy = placements.CopyToStaging(file, "kitfile");
            if (!OperatingSystem.IsWindows())
            {
                fileSystem.File.SetUnixFileMode(copy, s_scriptMode);
            }

            placements.Add(copy, script, scriptWhat, source: file);
        }
    }
}
