using System.IO.Abstractions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Xcat.Imaging.Bundles.Import;
using Xcat.Imaging.Bundles.Internal;
using Xcat.Imaging.Catalog;
using Xcat.Imaging.Definitions;
using Xcat.Imaging.Unix;

namespace Xcat.Imaging.Bundles;

/// <summary>
/// imgimport: reads a bundle, checks it as xCAT does (xCAT's imgport.pm, verify_manifest, imgport.pm, check_media), renames it for <c>-f</c> (imgport.pm, change_profile), places its
/// files with <c>.ORIG</c> backups (imgport.pm, make_files, imgport.pm, moveExtra) and writes the definitions (imgport.pm, set_config) and node postscripts (imgport.pm, set_postscripts).
/// </summary>
/// <remarks>
/// <para>Differences from xCAT, all deliberate: the bundle is staged on the install directory's file system and every
/// image in it is checked before anything is placed; <c>SHA256SUMS</c>, when present, must match; every file the
/// manifest references must be in the bundle; an existing image is refused unless
/// <see cref="ImageImportOptions.Force"/>; the import is atomic: the definitions of every image and the node changes
/// are one catalog transaction, written after the files are placed, and any failure moves the files back, restores
/// the <c>.ORIG</c> renames and leaves the catalog untouched; files land only under the install directory (paths
/// under <c>/install</c> follow a relocated install directory, list files under xCAT's shipped templates move to
/// <c>&lt;installdir&gt;/custom/&lt;install|netboot&gt;/&lt;platform&gt;/</c>), or under
/// <see cref="ImageImportOptions.AllowedDestinations"/>; the destination of a file extra is created when missing.</para>
/// <para>Every path a manifest names is untrusted and goes through one policy: sources must lie inside the extracted
/// bundle, reached without a link; destinations are normalised once and must lie inside the install directory or an
/// allowed destination, and the directories on the way are checked again, without following a link, as each file is
/// placed, so that a link placed earlier cannot lead a later file out; a link placed outside a root image must lead
/// inside them. The profile, OS version, architecture, provisioning method, image and kit names must be single path
/// components. A failure removes only what the import created, and the staging directory is marked live by a lock,
/// not by a process id.</para>
/// <para>Statelite images: <c>rootimgtree.gz</c> is unpacked in the staging area (confined, as any cpio) and its
/// <c>rootimg/</c> moved into place; the <c>litefile.csv</c> rows join the catalog transaction (xCAT's imgport.pm, make_files).</para>
/// <para>Kits: their rows are upserted in the same transaction, each kit directory is placed beside its <c>kitdir</c>,
/// and the kit's <c>other_files</c> (but dot-files, <c>*.exlist</c>, <c>*.env</c>) become postscripts (mode 0755).
/// Kit plugins are left in the kit directory with a message: installing them into xCAT and restarting xcatd is
/// xCAT's business. A single kit element works (xCAT's single-kit bug, xCAT's imgport.pm, manifest_adapter).</para>
/// <para>Not supported: remote bundles (<c>-R</c>).</para>
/// </remarks>
public sealed class ImageImporter
{
    private readonly IImageCatalog _catalog;
    private readonly string _installDirectory;
    private readonly IFileSystem _fileSystem;
    private readonly IUnixMetadataWriter? _metadata;
    private readonly IUnixMetadataWriter _unix;
    private readonly ILogger _logger;
    private readonly ILogger<BundleReader>? _readerLogger;
    private readonly ImportPlanner _planner;
    private readonly CatalogChangeBuilder _changeBuilder;

    /// <summary>Initializes a new instance.</summary>
    /// <param name="catalog">The catalog the definitions are written to.</param>
    /// <param name="site">The site (<see cref="ImageCatalogExtensions.ReadSiteSettingsAsync"/>): its install directory receives the image's files.</param>
    /// <param name="fileSystem">The file system; the real one when <see langword="null"/>.</param>
    /// <param name="metadata">Writes owners, modes and times of extracted files; derived from <paramref name="fileSystem"/> when <see langword="null"/>.</param>
    /// <param name="loggerFactory">Creates the loggers; none when <see langword="null"/>.</param>
    /// <exception cref="ArgumentNullException"><paramref name="catalog"/> or <paramref name="site"/> is <see langword="null"/>.</exception>
    public ImageImporter(IImageCatalog catalog, SiteSettings site, IFileSystem? fileSystem = null, IUnixMetadataWriter? metadata = null,
        ILoggerFactory? loggerFactory = null)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(site);
        _catalog = catalog;
        _fileSystem = fileSystem ?? new FileSystem();
        _installDirectory = _fileSystem.Path.GetFullPath(site.InstallDirectory).TrimEnd('/') is { Length: > 0 } full ? full : "/";
        _metadata = metadata;
        _unix = metadata ?? UnixMetadataProvider.For(_fileSystem);
        _logger = (ILogger?)loggerFactory?.CreateLogger<ImageImporter>() ?? NullLogger.Instance;
        _readerLogger = loggerFactory?.CreateLogger<BundleReader>();
        _planner = new ImportPlanner(catalog, _fileSystem, _unix, metadata, _installDirectory, _logger);
        _changeBuilder = new CatalogChangeBuilder(catalog);
    }

    /// <summary>Imports the bundle file <paramref name="bundlePath"/>.</summary>
    /// <param name="bundlePath">The <c>.tgz</c> (or plain tar).</param>
    /// <param name="options">Profile, postscripts, force and destinations; <see langword="null"/> for the defaults.</param>
    /// <param name="progress">Receives the bundle bytes read, then the placing stage; optional.</param>
    /// <param name="cancellationToken">A token to cancel the import; everything is then rolled back.</param>
    /// <returns>The images imported and xCAT's messages.</returns>
    /// <exception cref="FileNotFoundException">The bundle does not exist (xCAT's <c>Cannot find &lt;bundle&gt;</c>).</exception>
    /// <exception cref="InvalidDataException">The bundle is not a gzip-compressed tar, is corrupt, hostile, fails its
    /// checksums, or a manifest lacks a required field or references a member that is absent.</exception>
    /// <exception cref="InvalidOperationException">The image exists (without <see cref="ImageImportOptions.Force"/>), or
    /// needs media that was not copied.</exception>
    /// <exception cref="IOException">A file would land outside the install directory and the allowed destinations.</exception>
    /// <exception cref="ArgumentException">None of the <c>-p</c> nodes is defined.</exception>
    /// <exception cref="NotSupportedException">The bundle holds kits or a statelite image.</exception>
    /// <exception cref="ArgumentException"><see cref="ImageImportOptions.NewProfile"/> is not a single path component.</exception>
    public async Task<ImageImportResult> ImportAsync(string bundlePath, ImageImportOptions? options = null,
        IProgress<ImagingProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(bundlePath);
        if (!_fileSystem.File.Exists(bundlePath))
        {
            throw new FileNotFoundException($"Cannot find {bundlePath}", bundlePath);
        }

        var stream = _fileSystem.FileStream.New(bundlePath, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.Asynchronous | FileOptions.SequentialScan);
        await using (stream.ConfigureAwait(false))
        {
            return await ImportAsync(stream, options, progress, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Imports a bundle read from <paramref name="bundle"/>.</summary>
    /// <param name="bundle">The bundle stream; need not be seekable; left open.</param>
    /// <param name="options">Profile, postscripts, force and destinations; <see langword="null"/> for the defaults.</param>
    /// <param name="progress">Receives the bundle bytes read, then the placing stage; optional.</param>
    /// <param name="cancellationToken">A token to cancel the import; everything is then rolled back.</param>
    /// <returns>The images imported and xCAT's messages.</returns>
    /// <exception cref="InvalidDataException">The bundle is not a gzip-compressed tar, is corrupt, hostile, fails its
    /// checksums, or a manifest lacks a required field or references a member that is absent.</exception>
    /// <exception cref="InvalidOperationException">The image exists (without <see cref="ImageImportOptions.Force"/>), or
    /// needs media that was not copied.</exception>
    /// <exception cref="IOException">A file would land outside the install directory and the allowed destinations.</exception>
    /// <exception cref="ArgumentException">None of the <c>-p</c> nodes is defined.</exception>
    /// <exception cref="NotSupportedException">The bundle holds kits or a statelite image.</exception>
    /// <exception cref="ArgumentException"><see cref="ImageImportOptions.NewProfile"/> is not a single path component.</exception>
    public async Task<ImageImportResult> ImportAsync(Stream bundle, ImageImportOptions? options = null,
        IProgress<ImagingProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(bundle);
        options ??= new ImageImportOptions();
        if (options.NewProfile is { Length: > 0 } newProfile && ImageNaming.PathComponentProblem(newProfile) is { } profileProblem)
        {
            throw new ArgumentException($"The new profile '{InstallPathPolicy.Show(newProfile)}' (-f) {profileProblem}; it must be a single path component.");
        }

        // A fresh site may have no install directory yet; a failed import removes it again only if it is still empty.
        var createdInstallDirectory = !_fileSystem.Directory.Exists(_installDirectory);
        if (createdInstallDirectory)
        {
            _fileSystem.Directory.CreateDirectory(_installDirectory);
        }

        var succeeded = false;
        ImportStaging staging;
        try
        {
            ImportStaging.RemoveAbandoned(_fileSystem, _unix, _logger, _installDirectory);

            // Staged inside the install directory: same file system, so placing is a rename.
            staging = ImportStaging.Create(_fileSystem, _logger, _installDirectory);
        }
        catch
        {
            RemoveIfEmpty(createdInstallDirectory);
            throw;
        }

        try
        {
            var bundleDirectory = _fileSystem.Path.Combine(staging.Path, "bundle");
            var reader = new BundleReader(bundle, options.Reader, leaveOpen: true, _fileSystem, _metadata, _readerLogger);
            ExtractedBundle extracted;
            await using (reader.ConfigureAwait(false))
            {
                extracted = await reader.ExtractToDirectoryAsync(bundleDirectory, progress, cancellationToken).ConfigureAwait(false);
            }

            var policy = new InstallPathPolicy(_fileSystem, _unix, _installDirectory, options.AllowedDestinations);
            var messages = new List<string>();
            var plans = new List<ImportPlan>();
            foreach (var image in extracted.Images)
            {
                plans.Add(await _planner.PlanAsync(image, staging.Path, options, policy, messages, cancellationToken).ConfigureAwait(false));
            }

            var duplicate = plans.GroupBy(static p => p.Definition.Name, StringComparer.Ordinal).FirstOrDefault(static g => g.Count() > 1);
            if (duplicate is not null)
            {
                throw new InvalidDataException($"The bundle holds the image '{duplicate.Key}' more than once.");
            }

            var (changes, postScriptNodes) = await _changeBuilder.BuildAsync(plans, options, messages, cancellationToken).ConfigureAwait(false);

            cancellationToken.ThrowIfCancellationRequested();
            var transaction = new PlacementTransaction(_fileSystem, _unix, policy, _fileSystem.Path.Combine(staging.Path, "replaced"));
            var images = await PlaceAndApplyAsync(plans, changes, postScriptNodes, transaction, policy, progress, cancellationToken).ConfigureAwait(false);
            transaction.Commit();
            messages.AddRange(transaction.Messages);
            foreach (var image in images)
            {
                messages.Add($"Successfully imported the image {image.Definition.Name}.");
                Log.Imported(_logger, image.Definition.Name, image.PlacedPaths.Count, image.Verified);
            }

            succeeded = true;
            return new ImageImportResult { Images = images, Messages = messages };
        }
        finally
        {
            staging.Dispose();
            if (!succeeded)
            {
                RemoveIfEmpty(createdInstallDirectory);
            }
        }
    }

    /// <summary>Places every plan's files, verifies the links placed, then writes the catalog; on any failure moves everything back.</summary>
    private async Task<List<ImportedImage>> PlaceAndApplyAsync(List<ImportPlan> plans, CatalogChanges changes, IReadOnlyList<string> postScriptNodes,
        PlacementTransaction transaction, InstallPathPolicy policy, IProgress<ImagingProgress>? progress, CancellationToken cancellationToken)
    {
        var images = new List<ImportedImage>();
        try
        {
            foreach (var plan in plans)
            {
                images.Add(plan.Place(transaction, postScriptNodes, progress, cancellationToken));
            }

            // Every link placed outside a root image must still lead inside once everything is in place.
            foreach (var (path, what) in plans.SelectMany(static p => p.Links))
            {
                policy.VerifyPlacedLink(path, what);
            }

            // The catalog goes last, in one transaction: if it fails, the files go back.
            await _catalog.ApplyAsync(changes, CancellationToken.None).ConfigureAwait(false);
            return images;
        }
        catch (Exception e)
        {
            var failures = transaction.Rollback();
            if (failures.Count > 0)
            {
                Log.RollbackIncomplete(_logger, string.Join("; ", failures));
                throw new IOException($"The import failed ({e.Message}) and could not be fully rolled back: {string.Join("; ", failures)}", e);
            }

            throw;
        }
    }

    /// <summary>Removes the install directory this import created, unless something (another import) is in it now.</summary>
    private void RemoveIfEmpty(bool createdInstallDirectory)
    {
        try
        {
            if (createdInstallDirectory && _fileSystem.Directory.Exists(_installDirectory) && !_fileSystem.Directory.EnumerateFileSystemEntries(_installDirectory).Any())
            {
                _fileSystem.Directory.Delete(_installDirectory);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Log.StagingLeft(_logger, _installDirectory, e.Message);
        }
    }
}
