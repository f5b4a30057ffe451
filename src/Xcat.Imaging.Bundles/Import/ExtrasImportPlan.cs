using Xcat.Imaging.Bundles.Internal;
using Xcat.Imaging.Definitions;
using Xcat.Imaging.Trees;
using Xcat.Imaging.Unix;

namespace Xcat.Imaging.Bundles.Import;

/// <summary>The image's extras (xCAT's imgport.pm, moveExtra): a directory merges into its destination, a file goes into it.</summary>
internal static class ExtrasImportPlan
{
    /// <summary>Adds every extra of the manifest to <paramref name="placements"/>.</summary>
    /// <exception cref="InvalidDataException">An extra is missing from the bundle.</exception>
    public static void Add(ImportPlacements placements, ManifestPathMapper paths)
    {
        var image = placements.Image;
        var policy = placements.Policy;
        foreach (var extra in image.Manifest.Extras)
        {
            var what = $"the extra '{InstallPathPolicy.Show(extra.Source)}'";
            var destination = paths.Map(extra.Destination).TrimEnd('/');
            var hasPath = extra.Source.Split('/').Any(static part => part is not ("" or "."));
            var directory = hasPath ? policy.FindSource(image.Path, "extra/" + extra.Source, what) : null;
            if (directory is { Status.Type: UnixFileType.Directory })
            {
                foreach (var (relative, status, host) in placements.Walk(directory.Value.Path))
                {
                    if (status.Type == UnixFileType.Directory)
                    {
                        continue;
                    }

                    var target = policy.Destination($"{destination}/{relative}", what);
                    if (status.Type == UnixFileType.SymbolicLink)
                    {
                        placements.Link(host, target, $"the extra member '{InstallPathPolicy.Show(relative)}' of {what}");
                    }

                    placements.Add(host, target, what);
                }

                continue;
            }

            var name = TreePath.GetFileName(extra.Source);
            var file = hasPath && ImageNaming.PathComponentProblem(name) is null ? policy.FindSource(image.Path, "extra/" + name, what) : null;
            if (file is not { Status.Type: UnixFileType.RegularFile or UnixFileType.SymbolicLink } member)
            {
                throw new InvalidDataException($"The bundle lacks the extra '{InstallPathPolicy.Show(extra.Source)}' (expected under '{InstallPathPolicy.Show(image.DirectoryName)}/extra/').");
            }

            var fileTarget = policy.Destination($"{destination}/{name}", what);
            if (member.Status.Type == UnixFileType.SymbolicLink)
            {
                placements.Link(member.Path, fileTarget, what);
            }

            placements.Add(member.Path, fileTarget, what);
        }
    }
}
