using System.IO.Abstractions;
using Xcat.Imaging.Bundles.Internal;
using Xcat.Imaging.Definitions;
using Xcat.Imaging.Packing;
using Xcat.Imaging.Tables;
using Xcat.Imaging.Trees;
using Xcat.Imaging.Unix;

namespace Xcat.Imaging.Bundles.Import;

/// <summary>
/// A statelite image's <c>rootimgtree.gz</c>, unpacked in the staging area (confined, as any cpio) so that its
/// <c>rootimg/</c> is moved into place, and its <c>litefile.csv</c> rows (xCAT's imgport.pm, make_files).
/// </summary>
internal sealed class StateliteImportPlan(IFileSystem fileSystem, IUnixMetadataProvider unix, IUnixMetadataWriter? metadata)
{
    /// <summary>Adds the unpacked tree to <paramref name="placements"/>; returns the litefile rows.</summary>
    public async Task<IReadOnlyList<LiteFileEntry>> AddAsync(ImportPlacements placements, ProfileChange profile,
        ManifestPathMapper paths, List<string> messages, CancellationToken cancellationToken)
    {
        var image = placements.Image;
        var manifest = image.Manifest;
        var policy = placements.Policy;

        // xCAT unpacks the tree where rootimgtree.gz would land; here into the staging area first.
        var member = TreePath.GetFileName(manifest.RootImageTree!);
        if (ImageNaming.PathComponentProblem(member) is not null || !image.Files.Contains(member))
        {
            throw new InvalidDataException(
                $"The bundle lacks '{InstallPathPolicy.Show(image.DirectoryName)}/{InstallPathPolicy.Show(member)}', which the manifest references as rootimgtree ({InstallPathPolicy.Show(manifest.RootImageTree)}).");
        }

        var treeTarget = policy.Destination((profile.NewRootImageDirectory ?? TreePath.GetDirectoryName(paths.Map(manifest.RootImageTree!))) + "/rootimg", "rootimgtree");
        messages.Add("Extracting rootimgtree.gz. It will take a while.");
        var extracted = await ExtractRootImageTreeAsync(fileSystem.Path.Combine(image.Path, member), placements.StagingRoot, image.DirectoryName, cancellationToken)
            .ConfigureAwait(false);
        placements.Add(extracted, treeTarget, "rootimgtree");

        if (manifest.LiteFile is not { Length: > 0 } liteFile)
        {
            return [];
        }

        var liteMember = TreePath.GetFileName(liteFile);
        if (!image.Files.Contains(liteMember) || policy.FindSource(image.Path, liteMember, "litefile") is not { Status.Type: UnixFileType.RegularFile } liteSource)
        {
            throw new InvalidDataException($"The bundle lacks '{InstallPathPolicy.Show(image.DirectoryName)}/{InstallPathPolicy.Show(liteMember)}', which the manifest references as litefile.");
        }

        var rows = LiteFileCsv.Parse(fileSystem.File.ReadAllBytes(liteSource.Path), $"the litefile.csv of '{image.DirectoryName}'");
        messages.Add("Updating the litefile table.");
        messages.Add("The litetree and statelite tables are untouched. You can update them if needed.");
        return rows;
    }

    private async Task<string> ExtractRootImageTreeAsync(string archive, string stagingRoot, string directoryName, CancellationToken cancellationToken)
    {
        var destination = fileSystem.Path.Combine(stagingRoot, "statelite-" + directoryName);
        var source = fileSystem.File.OpenRead(archive);
        await using (source.ConfigureAwait(false))
        {
            try
            {
                var cpio = await Compression.CompressionStreams.OpenDecompressorAsync(source, leaveOpen: true, cancellationToken).ConfigureAwait(false);
                await using (cpio.ConfigureAwait(false))
                {
                    await Cpio.CpioArchive.ExtractToDirectoryAsync(cpio, destination, null, fileSystem, metadata, null, cancellationToken).ConfigureAwait(false);
                }
            }
            catch (InvalidDataException e)
            {
                throw new InvalidDataException($"The rootimgtree.gz of '{directoryName}' is not a valid compressed cpio archive: {e.Message}", e);
            }
        }

        var top = fileSystem.Directory.Exists(destination)
            ? fileSystem.Directory.EnumerateFileSystemEntries(destination).Select(p => fileSystem.Path.GetFileName(p)).ToList()
            : [];
        var rootImage = fileSystem.Path.Combine(destination, RootImageFiles.TreeDirectoryName);
        if (top.Count != 1 || top[0] != RootImageFiles.TreeDirectoryName)
        {
            throw new InvalidDataException(
                $"The rootimgtree.gz of '{InstallPathPolicy.Show(directoryName)}' must hold only the rootimg directory; it holds: {InstallPathPolicy.Show(string.Join(", ", top))}.");
        }

        if (!unix.TryGetStatus(rootImage, out var status) || status.Type != UnixFileType.Directory)
        {
            // A link named rootimg would be placed as the image's root, leading wherever it points.
            throw new InvalidDataException($"The rootimgtree.gz of '{InstallPathPolicy.Show(directoryName)}' holds rootimg as a {status.Type}, not a directory; refused.");
        }

        return rootImage;
    }
}
