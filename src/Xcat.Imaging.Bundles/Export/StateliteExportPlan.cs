using System.IO.Abstractions;
using Xcat.Imaging.Catalog;
using Xcat.Imaging.Definitions;
using Xcat.Imaging.Packing;
using Xcat.Imaging.Tables;
using Xcat.Imaging.Unix;

namespace Xcat.Imaging.Bundles.Export;

/// <summary>
/// A statelite image (xCAT's imgport.pm, get_files and make_bundle step 4): its pkglist, kernel and statelite initrd,
/// its <c>rootimg/</c> as <c>rootimgtree.gz</c> and its rows of the litefile table as <c>litefile.csv</c>.
/// </summary>
internal sealed class StateliteExportPlan(IImageCatalog catalog, IFileSystem fileSystem, IUnixMetadataProvider? metadata)
{
    /// <exception cref="FileNotFoundException">The pkglist is not found.</exception>
    /// <exception cref="DirectoryNotFoundException">The root image directory or its <c>rootimg/</c> is not there.</exception>
    public async Task<ExportSources> PlanAsync(ExportContext context, ImageDefinition image, CancellationToken cancellationToken)
    {
        var linux = image.LinuxImage;
        var imageName = context.ImageName;
        image = context.WithPackageList(image);
        if (string.IsNullOrEmpty(linux.RootImageDirectory) && !fileSystem.Directory.Exists(image.GetRootImageDirectory(context.Site)))
        {
            throw new DirectoryNotFoundException("Couldn't locate the root image directory. ");
        }

        var statelite = image.GetRootImageDirectory(context.Site).TrimEnd('/');
        var ramdisk = context.Existing(statelite, "initrd-statelite.gz")
            ?? context.Missing($"Couldn't find ramdisk (initrd-statelite.gz) for  {imageName} (looked for {statelite}/initrd-statelite.gz)");
        var kernel = context.Existing(statelite, "kernel")
            ?? context.Missing($"Couldn't find kernel (kernel) for  {imageName} (looked for {statelite}/kernel)");
        if (!fileSystem.Directory.Exists(statelite + "/rootimg"))
        {
            throw new DirectoryNotFoundException($"Couldn't find the root image {statelite}/rootimg for {imageName}");
        }

        return new ExportSources(image)
        {
            Kernel = kernel,
            Ramdisk = ramdisk,
            StateliteDirectory = statelite,
            LiteFileCsv = await LiteFileCsvAsync(image, cancellationToken).ConfigureAwait(false),
        };
    }

    /// <summary>
    /// <c>cd &lt;rootimgdir&gt;; find rootimg | cpio -H newc -o | gzip</c>. A tar member's size precedes its data, so
    /// the archive is compressed to a temp file first, then streamed into the bundle.
    /// </summary>
    public async Task WriteRootImageTreeAsync(BundleWriter writer, string rootImageDirectory, string member, ImageExportOptions options,
        CancellationToken cancellationToken)
    {
        var temp = fileSystem.Path.Combine(fileSystem.Path.GetTempPath(), $"xcatimg-rootimgtree-{Environment.ProcessId}-{Guid.NewGuid():N}.gz");
        try
        {
            var file = fileSystem.FileStream.New(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, FileOptions.Asynchronous);
            await using (file.ConfigureAwait(false))
            {
                var gzip = new Compression.ParallelGzipStream(file, options.Writer.Compression, leaveOpen: true);
                await using (gzip.ConfigureAwait(false))
                {
                    var walk = new Trees.TreeWalkOptions
                    {
                        IncludeRoot = false,
                        Filter = static name => name == RootImageFiles.TreeDirectoryName || name.StartsWith(RootImageFiles.TreeDirectoryName + "/", StringComparison.Ordinal),
                    };
                    await Cpio.CpioArchive.CreateFromDirectoryAsync(rootImageDirectory, gzip, walk, null, fileSystem, metadata, cancellationToken)
                        .ConfigureAwait(false);
                }
            }

            await writer.AddFileAsync(temp, member, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            fileSystem.File.Delete(temp);
        }
    }

    private async Task<byte[]> LiteFileCsvAsync(ImageDefinition image, CancellationToken cancellationToken) =>
        LiteFileCsv.Format(image.Name, await LiteFileCsv.SelectAsync(catalog, image, cancellationToken).ConfigureAwait(false));
}
