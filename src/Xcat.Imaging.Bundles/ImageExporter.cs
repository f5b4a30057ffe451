using System.IO.Abstractions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Xcat.Imaging.Bundles.Export;
using Xcat.Imaging.Catalog;
using Xcat.Imaging.Definitions;
using Xcat.Imaging.Unix;

namespace Xcat.Imaging.Bundles;

/// <summary>
/// imgexport: writes an image definition and the files it references into a bundle in xCAT's layout (xCAT's imgport.pm, xexport).
/// </summary>
/// <remarks>
/// <para>Differences from xCAT, all deliberate: files stream from where they are into the <c>.tgz</c> (no staging copy,
/// no doubled disk use); members that are already compressed are stored, not deflated again; the gzip is parallel;
/// the manifest comes first and a <c>SHA256SUMS</c> last; the bundle appears atomically at the destination path
/// (directory part honoured); a missing referenced file, an unreadable extra and two files with the same basename are
/// errors, not warnings; a netboot image without a packed rootimg is an error (xCAT exports the directory name);
/// <see cref="ImageExportOptions.IncludeRootImageTree"/> can ship the unpacked tree.</para>
/// <para>Statelite images ship <c>rootimgtree.gz</c> (the <c>rootimg/</c> tree as gzip-compressed newc cpio, made in a
/// temp file first because a tar member's size comes before its data) and <c>litefile.csv</c> (xCAT's imgport.pm, make_bundle step 4).</para>
/// <para>Kits (xCAT's imgport.pm, get_image_info, imgport.pm, make_bundle step 7): the kit, kitrepo and kitcomponent rows of every kit the image's components
/// belong to go into the manifest, and each kit directory into the bundle under its basename.</para>
/// <para>Not supported: remote export (<c>-R</c>).</para>
/// </remarks>
public sealed class ImageExporter
{
    private readonly IFileSystem _fileSystem;
    private readonly IUnixMetadataProvider? _metadata;
    private readonly ILogger _logger;
    private readonly ILogger<BundleWriter>? _writerLogger;
    private readonly StateliteExportPlan _statelite;
    private readonly ExportPlanner _planner;

    /// <summary>Initializes a new instance.</summary>
    /// <param name="catalog">The catalog holding the image and node definitions.</param>
    /// <param name="site">The site (<see cref="ImageCatalogExtensions.ReadSiteSettingsAsync"/>): its install directory holds the image's files.</param>
    /// <param name="fileSystem">The file system; the real one when <see langword="null"/>.</param>
    /// <param name="metadata">Reads Unix metadata of sources; derived from <paramref name="fileSystem"/> when <see langword="null"/>.</param>
    /// <param name="loggerFactory">Creates the loggers; none when <see langword="null"/>.</param>
    /// <exception cref="ArgumentNullException"><paramref name="catalog"/> or <paramref name="site"/> is <see langword="null"/>.</exception>
    public ImageExporter(IImageCatalog catalog, SiteSettings site, IFileSystem? fileSystem = null, IUnixMetadataProvider? metadata = null,
        ILoggerFactory? loggerFactory = null)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(site);
        _fileSystem = fileSystem ?? new FileSystem();
        _metadata = metadata;
        _logger = (ILogger?)loggerFactory?.CreateLogger<ImageExporter>() ?? NullLogger.Instance;
        _writerLogger = loggerFactory?.CreateLogger<BundleWriter>();
        _statelite = new StateliteExportPlan(catalog, _fileSystem, metadata);
        _planner = new ExportPlanner(catalog, site, _fileSystem, _statelite);
    }

    /// <summary>
    /// Exports <paramref name="imageName"/> to the file <paramref name="bundlePath"/>, which appears whole or not at
    /// all (an existing file is replaced only on success).
    /// </summary>
    /// <param name="imageName">The osimage name.</param>
    /// <param name="bundlePath">The bundle file, conventionally <c>&lt;imagename&gt;.tgz</c>.</param>
    /// <param name="options">Extras, postscripts, the rootimg tree, compression; <see langword="null"/> for none.</param>
    /// <param name="progress">Receives the source bytes archived, about ten times a second; optional.</param>
    /// <param name="cancellationToken">A token to cancel the export; the destination is then left as it was.</param>
    /// <returns>The manifest, the files and the sizes.</returns>
    /// <exception cref="ArgumentException">The image, or the <c>-p</c> node, is not defined.</exception>
    /// <exception cref="InvalidOperationException">The definition lacks what imgexport needs (xCAT's messages, all listed).</exception>
    /// <exception cref="FileNotFoundException">Referenced files or extras do not exist; the message names every one and where it was looked for.</exception>
    /// <exception cref="IOException">Two files share a basename, or a source changed while it was read.</exception>
    public async Task<ImageExportResult> ExportAsync(string imageName, string bundlePath, ImageExportOptions? options = null,
        IProgress<ImagingProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(imageName);
        ArgumentException.ThrowIfNullOrEmpty(bundlePath);
        options ??= new ImageExportOptions();
        var plan = await _planner.PlanAsync(imageName, options, cancellationToken).ConfigureAwait(false);
        var full = _fileSystem.Path.GetFullPath(bundlePath);
        var output = Imaging.IO.AtomicFile.Create(_fileSystem, full);
        await using (output.ConfigureAwait(false))
        {
            var result = await WriteAsync(plan, output.Stream, options, progress, cancellationToken).ConfigureAwait(false);
            await output.CommitAsync(cancellationToken).ConfigureAwait(false);
            Log.Exported(_logger, imageName, full, result.Entries, result.Bytes);
            return result with { BundlePath = full };
        }
    }

    /// <summary>Exports <paramref name="imageName"/> into <paramref name="destination"/> as a <c>.tgz</c> stream.</summary>
    /// <param name="imageName">The osimage name.</param>
    /// <param name="destination">The stream; need not be seekable; left open.</param>
    /// <param name="options">Extras, postscripts, the rootimg tree, compression; <see langword="null"/> for none.</param>
    /// <param name="progress">Receives the source bytes archived, about ten times a second; optional.</param>
    /// <param name="cancellationToken">A token to cancel the export.</param>
    /// <returns>The manifest, the files and the sizes.</returns>
    /// <exception cref="ArgumentException">The image, or the <c>-p</c> node, is not defined.</exception>
    /// <exception cref="InvalidOperationException">The definition lacks what imgexport needs (xCAT's messages, all listed).</exception>
    /// <exception cref="FileNotFoundException">Referenced files or extras do not exist; the message names every one and where it was looked for.</exception>
    /// <exception cref="IOException">Two files share a basename, or a source changed while it was read.</exception>
    public async Task<ImageExportResult> ExportAsync(string imageName, Stream destination, ImageExportOptions? options = null,
        IProgress<ImagingProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(imageName);
        ArgumentNullException.ThrowIfNull(destination);
        options ??= new ImageExportOptions();
        var plan = await _planner.PlanAsync(imageName, options, cancellationToken).ConfigureAwait(false);
        return await WriteAsync(plan, destination, options, progress, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Works out what <see cref="ExportAsync(string, string, ImageExportOptions?, IProgress{ImagingProgress}?, CancellationToken)"/>
    /// would ship, without writing anything: the manifest and the source files (xCAT's imgport.pm, get_image_info, imgport.pm, get_files).
    /// </summary>
    /// <param name="imageName">The osimage name.</param>
    /// <param name="options">Extras, postscripts, the rootimg tree; <see langword="null"/> for none.</param>
    /// <param name="cancellationToken">A token to cancel the catalog reads.</param>
    /// <returns>The manifest and the files, with no bundle path.</returns>
    /// <exception cref="ArgumentException">The image, or the <c>-p</c> node, is not defined.</exception>
    /// <exception cref="InvalidOperationException">The definition lacks what imgexport needs.</exception>
    /// <exception cref="FileNotFoundException">Referenced files or extras do not exist; the message names every one and where it was looked for.</exception>
    /// <exception cref="IOException">Two files share a basename.</exception>
    public async Task<ImageExportResult> PreviewAsync(string imageName, ImageExportOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(imageName);
        var plan = await _planner.PlanAsync(imageName, options ?? new ImageExportOptions(), cancellationToken).ConfigureAwait(false);
        return new ImageExportResult { Manifest = plan.Manifest, Files = [.. plan.Files.Select(static f => f.Source)], Messages = plan.Messages };
    }

    private async Task<ImageExportResult> WriteAsync(ExportPlan plan, Stream destination, ImageExportOptions options,
        IProgress<ImagingProgress>? progress, CancellationToken cancellationToken)
    {
        var throttle = new ProgressThrottle(progress);
        long done = 0;
        var writer = new BundleWriter(destination, options.Writer, leaveOpen: true, _fileSystem, _metadata, _writerLogger);
        await using (writer.ConfigureAwait(false))
        {
            string? current = null;
            writer.DataRead = read =>
            {
                done += read;
                throttle.Report(new ImagingProgress(ImagingStages.Export, current, writer.Entries, null, done, plan.KnownBytes));
            };
            await writer.WriteManifestAsync(plan.Directory, plan.Manifest, cancellationToken).ConfigureAwait(false);
            foreach (var file in plan.Files)
            {
                current = file.Source;
                var member = plan.Directory + "/" + file.Member;
                switch (file.Kind)
                {
                    case ExportKind.Directory:
                        await writer.AddDirectoryAsync(file.Source, member, null, cancellationToken).ConfigureAwait(false);
                        break;
                    case ExportKind.Data:
                        await writer.AddDataAsync(member, file.Data, (UnixFileMode)0b110_100_100, cancellationToken).ConfigureAwait(false);
                        break;
                    case ExportKind.CpioTree:
                        await _statelite.WriteRootImageTreeAsync(writer, file.Source, member, options, cancellationToken).ConfigureAwait(false);
                        break;
                    default:
                        await writer.AddFileAsync(file.Source, member, cancellationToken).ConfigureAwait(false);
                        break;
                }
            }

            await writer.CompleteAsync(cancellationToken).ConfigureAwait(false);
            throttle.ReportNow(new ImagingProgress(ImagingStages.Export, null, writer.Entries, writer.Entries, done, done));
            return new ImageExportResult
            {
                Manifest = plan.Manifest,
                Files = [.. plan.Files.Select(static f => f.Source)],
                Entries = writer.Entries,
                Bytes = writer.SourceBytes,
                Messages = plan.Messages,
            };
        }
    }
}
