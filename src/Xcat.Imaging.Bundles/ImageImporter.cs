using System.IO.Abstractions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Xcat.Imaging.Schema;
using Xcat.Imaging.Trees;
using Xcat.Imaging.Bundles.Internal;
using Xcat.Imaging.Bundles.Manifest;
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
    private static readonly string[] s_requiredFields = ["provmethod", "profile", "osvers", "osarch"];
    private static readonly string[] s_importedMethods = ["install", "netboot", "statelite", "sysclone", "raw"];
    private readonly IImageCatalog _catalog;
    private readonly string _installDirectory;
    private readonly IFileSystem _fileSystem;
    private readonly IUnixMetadataWriter? _metadata;
    private readonly IUnixMetadataWriter _unix;
    private readonly ILogger _logger;
    private readonly ILogger<BundleReader>? _readerLogger;

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
                plans.Add(await PlanAsync(image, staging.Path, options, policy, messages, cancellationToken).ConfigureAwait(false));
            }

            var duplicate = plans.GroupBy(static p => p.Definition.Name, StringComparer.Ordinal).FirstOrDefault(static g => g.Count() > 1);
            if (duplicate is not null)
            {
                throw new InvalidDataException($"The bundle holds the image '{duplicate.Key}' more than once.");
            }

            var changes = new CatalogChanges();
            var postScriptNodes = await AddPostScriptChangesAsync(changes, plans, options, messages, cancellationToken).ConfigureAwait(false);
            foreach (var plan in plans)
            {
                ImageCatalogExtensions.AddImageChanges(changes, plan.Definition);
            }

            await AddLiteFileChangesAsync(changes, plans, cancellationToken).ConfigureAwait(false);
            AddKitChanges(changes, plans);

            cancellationToken.ThrowIfCancellationRequested();
            var transaction = new PlacementTransaction(_fileSystem, _unix, policy, _fileSystem.Path.Combine(staging.Path, "replaced"));
            var images = new List<ImportedImage>();
            try
            {
                foreach (var plan in plans)
                {
                    images.Add(Place(plan, transaction, postScriptNodes, progress, cancellationToken));
                }

                // Every link placed outside a root image must still lead inside once everything is in place.
                foreach (var (path, what) in plans.SelectMany(static p => p.Links))
                {
                    policy.VerifyPlacedLink(path, what);
                }

                // The catalog goes last, in one transaction: if it fails, the files go back.
                await _catalog.ApplyAsync(changes, CancellationToken.None).ConfigureAwait(false);
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

    private static ImportedImage Place(ImportPlan plan, PlacementTransaction transaction, IReadOnlyList<string> postScriptNodes,
        IProgress<ImagingProgress>? progress, CancellationToken cancellationToken)
    {
        var placed = new List<string>();
        var backups = new List<string>();
        var done = 0;
        var throttle = new ProgressThrottle(progress);
        foreach (var (staged, target) in plan.Files)
        {
            cancellationToken.ThrowIfCancellationRequested();
            throttle.Report(new ImagingProgress(ImagingStages.Place, target, done++, plan.Files.Count, 0, null));
            if (transaction.Place(staged, target) is { } backup)
            {
                backups.Add(backup);
            }

            placed.Add(target);
        }

        throttle.Report(new ImagingProgress(ImagingStages.Place, null, done, plan.Files.Count, 0, null), force: true);
        return new ImportedImage
        {
            Definition = plan.Definition,
            PlacedPaths = placed,
            BackedUpPaths = backups,
            PostScriptNodes = postScriptNodes,
            Verified = plan.Verified,
        };
    }

    private async Task<ImportPlan> PlanAsync(ExtractedImage image, string stagingRoot, ImageImportOptions options, InstallPathPolicy policy,
        List<string> messages, CancellationToken cancellationToken)
    {
        var manifest = image.Manifest;
        var definition = manifest.Image;
        var os = definition.OsImage;
        var where = $"manifest.xml ('{InstallPathPolicy.Show(image.DirectoryName)}')";

        // xCAT's imgport.pm, verify_manifest verify_manifest, all problems at once.
        var osColumns = definition.GetColumns("osimage");
        var missing = s_requiredFields.Where(f => string.IsNullOrWhiteSpace(osColumns.GetValueOrDefault(f)))
            .Select(static f => $"The '{f}' field is not defined in manifest.xml.").ToList();
        if (missing.Count > 0)
        {
            throw new InvalidDataException($"{string.Join('\n', missing)} ({where})");
        }

        // They become directory names below the install directory: one path component each, before any path is made.
        foreach (var (field, value) in new[] { ("imagename", definition.Name), ("provmethod", os.ProvMethod), ("profile", os.Profile), ("osvers", os.OsVersion), ("osarch", os.OsArch) })
        {
            if (ImageNaming.PathComponentProblem(value) is { } problem)
            {
                throw new InvalidDataException(
                    $"The '{field}' field of manifest.xml is '{InstallPathPolicy.Show(value)}', which {problem}; it must be a single path component. ({where})");
            }
        }

        foreach (var kit in manifest.Kits)
        {
            if (ImageNaming.PathComponentProblem(kit.Name) is { } problem)
            {
                throw new InvalidDataException($"The kit name '{InstallPathPolicy.Show(kit.Name)}' in manifest.xml {problem}; it must be a single path component. ({where})");
            }
        }

        var provMethod = os.ProvMethod!;
        var osVersion = os.OsVersion!;
        var osArch = os.OsArch!;
        var s390x = osArch.Contains("s390x", StringComparison.Ordinal);
        if (!s_importedMethods.Any(m => provMethod.Contains(m, StringComparison.Ordinal))
            || (provMethod.Contains("sysclone", StringComparison.Ordinal) && !s390x))
        {
            throw new InvalidDataException($"Importing images with 'provmethod' {provMethod} is not supported. Hint: install, netboot, statelite, sysclone or raw");
        }

        var isInstall = provMethod.Contains("install", StringComparison.Ordinal);
        var isEsx = osVersion.Contains("esx", StringComparison.Ordinal);
        if (isInstall && string.IsNullOrEmpty(definition.LinuxImage.Template))
        {
            // xCAT's message names 'osarch' here by mistake (xCAT's imgport.pm, verify_manifest).
            throw new InvalidDataException($"The 'template' field is not defined in manifest.xml. ({where})");
        }

        var isStatelite = provMethod.Contains("statelite", StringComparison.Ordinal);
        if (isStatelite)
        {
            foreach (var (field, value) in new[] { ("kernel", manifest.Kernel), ("ramdisk", manifest.Ramdisk), ("rootimgtree", manifest.RootImageTree) })
            {
                if (string.IsNullOrWhiteSpace(value))
                {
                    throw new InvalidDataException($"The '{field}' field is not defined in manifest.xml. ({where})");
                }
            }
        }

        if (!isStatelite && !isEsx && (provMethod.Contains("raw", StringComparison.Ordinal) || provMethod.Contains("sysclone", StringComparison.Ordinal)
            || (s390x && provMethod.Contains("netboot", StringComparison.Ordinal))))
        {
            if (manifest.RawImageFiles.Count == 0)
            {
                throw new InvalidDataException($"The 'rawimagefiles' field is not defined in manifest.xml. ({where})");
            }
        }
        else if (!isStatelite && !isEsx && provMethod.Contains("netboot", StringComparison.Ordinal))
        {
            foreach (var (field, value) in new[] { ("ramdisk", manifest.Ramdisk), ("kernel", manifest.Kernel), ("rootimg", manifest.RootImage) })
            {
                if (string.IsNullOrWhiteSpace(value))
                {
                    throw new InvalidDataException($"The '{field}' field is not defined in manifest.xml. ({where})");
                }
            }
        }

        // xCAT's imgport.pm, check_media check_media.
        if (string.Equals(manifest.Media, "required", StringComparison.Ordinal)
            && !_fileSystem.Directory.Exists($"{_installDirectory}/{osVersion}/{osArch}"))
        {
            throw new InvalidOperationException($"This image requires that you first copy media for {osVersion}-{osArch}");
        }

        var paths = new PathMapper(this, options, definition);
        var files = new List<(string Staged, string Target)>();
        var links = new List<(string Path, string What)>();
        var targets = new Dictionary<string, (string Source, string What)>(StringComparer.Ordinal);
        var newProfile = options.NewProfile is { Length: > 0 } p && p != os.Profile ? p : null;
        var oldProfile = os.Profile!;
        string? newRootImageDirectory = null;
        if (newProfile is not null)
        {
            definition = Renamed(definition, newProfile);
            if (!string.IsNullOrEmpty(definition.LinuxImage.RootImageDirectory))
            {
                newRootImageDirectory = s390x && (provMethod.Contains("raw", StringComparison.Ordinal) || provMethod.Contains("sysclone", StringComparison.Ordinal))
                    ? $"{_installDirectory}/{provMethod}/{osVersion}/{osArch}/{newProfile}"
                    : $"{_installDirectory}/netboot/{osVersion}/{osArch}/{newProfile}";
                definition = definition with { LinuxImage = definition.LinuxImage with { RootImageDirectory = newRootImageDirectory } };
            }
            else if (provMethod is "netboot" or "statelite")
            {
                // xCAT's change_profile leaves kernel, ramdisk and rootimg at their old paths when rootimgdir is unset, so
                // the import overwrites the source image's files while the new definition derives a directory that has
                // none. Fixed: they go where the new definition looks for them.
                newRootImageDirectory = ImageNaming.StandardRootImageDirectory(_installDirectory, osVersion, osArch, newProfile);
            }
        }

        // One destination, one source: a second, different source for a destination is refused (xCAT lets the last win).
        bool Claim(string staged, string target, string what)
        {
            if (targets.TryGetValue(target, out var claimed))
            {
                if (claimed.Source != staged)
                {
                    throw new InvalidDataException($"The bundle would place both {claimed.What} and {what} at '{target}'; refused.");
                }

                return false;
            }

            targets[target] = (staged, what);
            return true;
        }

        // A link placed outside a root image must lead inside the install directory (lexically now, really after placing).
        void Link(string stagedLink, string target, string what)
        {
            policy.CheckLink(target, _unix.GetSymbolicLinkTarget(stagedLink), what);
            links.Add((target, what));
        }

        var usedMembers = new HashSet<string>(StringComparer.Ordinal);
        string Add(string manifestPath, string target, string what)
        {
            var member = TreePath.GetFileName(manifestPath);
            if (ImageNaming.PathComponentProblem(member) is not null)
            {
                throw new InvalidDataException($"The manifest's {what} '{InstallPathPolicy.Show(manifestPath)}' does not end in a file name; refused. ({where})");
            }

            if (!image.Files.Contains(member) || policy.FindSource(image.Path, member, what) is not { Status.Type: UnixFileType.RegularFile } source)
            {
                throw new InvalidDataException(
                    $"The bundle lacks '{InstallPathPolicy.Show(image.DirectoryName)}/{InstallPathPolicy.Show(member)}', which the manifest references as {what} ({InstallPathPolicy.Show(manifestPath)}).");
            }

            target = policy.Destination(target, what);
            if (!Claim(member, target, what))
            {
                return target;
            }

            // Two references to one flat member (one file under two names) each need their own copy to move.
            var staged = source.Path;
            if (!usedMembers.Add(member))
            {
                var copy = _fileSystem.Path.Combine(stagingRoot, $"copy-{Guid.NewGuid():N}");
                _fileSystem.File.Copy(staged, copy);
                staged = copy;
            }

            files.Add((staged, target));
            return target;
        }

        // xCAT's imgport.pm, make_files: kernel, ramdisk, rootimg (top level, comma lists) follow the rootimgdir on -f.
        foreach (var (what, value) in new[] { ("kernel", manifest.Kernel), ("ramdisk", manifest.Ramdisk), ("rootimg", manifest.RootImage), ("litefile", manifest.LiteFile) })
        {
            foreach (var path in XcatFileLookup.SplitList(value))
            {
                var target = newRootImageDirectory is not null
                    ? $"{newRootImageDirectory}/{TreePath.GetFileName(path)}"
                    : paths.Map(path);
                _ = Add(path, target, what);
            }
        }

        // List files: relocated out of xCAT's shipped templates, renamed for -f (xCAT's imgport.pm, change_profile), rewritten in the definition.
        var platformKind = isInstall ? "install" : "netboot";
        foreach (var column in XcatFileLookup.ListColumns.Append("synclists"))
        {
            var table = column == "synclists" ? "osimage" : "linuximage";
            var list = XcatFileLookup.SplitList(definition.GetColumns(table).GetValueOrDefault(column));
            if (list.Length == 0)
            {
                continue;
            }

            var rewritten = new List<string>();
            foreach (var path in list)
            {
                var normal = InstallPathPolicy.Normalize(path) ?? path;
                var directory = TreePath.GetDirectoryName(normal);
                var name = TreePath.GetFileName(path);
                var shipped = paths.IsUnderXcatShare(normal);
                if (newProfile is not null)
                {
                    var index = name.IndexOf(oldProfile, StringComparison.Ordinal);
                    name = index >= 0 ? string.Concat(name.AsSpan(0, index), newProfile, name.AsSpan(index + oldProfile.Length)) : $"{newProfile}.{name}";
                }

                var target = shipped
                    ? $"{_installDirectory}/custom/{platformKind}/{XcatFileLookup.Platform(osVersion)}/{name}"
                    : paths.Map($"{directory}/{name}");
                rewritten.Add(Add(path, target, column));
            }

            definition = definition.WithColumn(table, column, string.Join(',', rewritten));
        }

        foreach (var path in manifest.RawImageFiles)
        {
            var name = TreePath.GetFileName(path);
            var directory = $"{_installDirectory}/{provMethod}/{osVersion}/{osArch}/{definition.OsImage.Profile}";
            _ = Add(path, $"{directory}/{(name.EndsWith(".img", StringComparison.Ordinal) ? name : name + ".img")}", "rawimagefiles");
        }

        if (manifest.UnpackedRootImage is { Length: > 0 } tree)
        {
            if (policy.FindSource(image.Path, BundleReader.RootImageTreeDirectory, "unpackedrootimg") is not { Status.Type: UnixFileType.Directory } staged)
            {
                throw new InvalidDataException($"The bundle lacks '{InstallPathPolicy.Show(image.DirectoryName)}/{BundleReader.RootImageTreeDirectory}/', which the manifest references as unpackedrootimg.");
            }

            var target = policy.Destination(newRootImageDirectory is not null ? $"{newRootImageDirectory}/rootimg" : paths.Map(tree), "unpackedrootimg");
            if (Claim(staged.Path, target, "unpackedrootimg"))
            {
                files.Add((staged.Path, target));
            }
        }

        var liteFiles = new List<(string File, string Options)>();
        if (isStatelite)
        {
            // xCAT's imgport.pm, make_files: the tree is unpacked where rootimgtree.gz would land; here into the staging area first.
            var member = TreePath.GetFileName(manifest.RootImageTree!);
            if (ImageNaming.PathComponentProblem(member) is not null || !image.Files.Contains(member))
            {
                throw new InvalidDataException(
                    $"The bundle lacks '{InstallPathPolicy.Show(image.DirectoryName)}/{InstallPathPolicy.Show(member)}', which the manifest references as rootimgtree ({InstallPathPolicy.Show(manifest.RootImageTree)}).");
            }

            var treeTarget = policy.Destination((newRootImageDirectory ?? TreePath.GetDirectoryName(paths.Map(manifest.RootImageTree!))) + "/rootimg", "rootimgtree");
            messages.Add("Extracting rootimgtree.gz. It will take a while.");
            var extracted = await ExtractRootImageTreeAsync(_fileSystem.Path.Combine(image.Path, member), stagingRoot, image.DirectoryName, cancellationToken)
                .ConfigureAwait(false);
            if (Claim(extracted, treeTarget, "rootimgtree"))
            {
                files.Add((extracted, treeTarget));
            }

            if (manifest.LiteFile is { Length: > 0 } liteFile)
            {
                var liteMember = TreePath.GetFileName(liteFile);
                if (!image.Files.Contains(liteMember) || policy.FindSource(image.Path, liteMember, "litefile") is not { Status.Type: UnixFileType.RegularFile } liteSource)
                {
                    throw new InvalidDataException($"The bundle lacks '{InstallPathPolicy.Show(image.DirectoryName)}/{InstallPathPolicy.Show(liteMember)}', which the manifest references as litefile.");
                }

                liteFiles.AddRange(ParseLiteFileCsv(_fileSystem.File.ReadAllText(liteSource.Path), image.DirectoryName));
                messages.Add("Updating the litefile table.");
                messages.Add("The litetree and statelite tables are untouched. You can update them if needed.");
            }
        }

        // xCAT's imgport.pm, make_files kits: <bundle>/<kitname> goes to dirname(kitdir)/<kitname>; other_files feed the postscripts.
        var kitRows = new List<(string Table, string Key, string Name, IReadOnlyDictionary<string, string> Columns)>();
        foreach (var kit in manifest.Kits)
        {
            var columns = paths.MapValues(kit.Columns);
            kitRows.Add(("kit", "kitname", kit.Name, columns));
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
            foreach (var (relative, status, host) in Walk(staged))
            {
                if (status.Type == UnixFileType.SymbolicLink)
                {
                    Link(host, $"{target}/{relative}", $"the kit member '{InstallPathPolicy.Show(image.DirectoryName)}/{kit.Name}/{InstallPathPolicy.Show(relative)}'");
                }
            }

            if (Claim(staged, target, $"kit {kit.Name}"))
            {
                files.Add((staged, target));
            }

            if (policy.FindSource(staged, "other_files", $"the other_files of kit '{kit.Name}'") is { Status.Type: UnixFileType.Directory } otherFiles)
            {
                foreach (var name in _unix.GetDirectoryEntries(otherFiles.Path).Order(StringComparer.Ordinal))
                {
                    var file = _fileSystem.Path.Join(otherFiles.Path, name);
                    if (name.StartsWith('.') || name.EndsWith(".exlist", StringComparison.Ordinal) || name.EndsWith(".env", StringComparison.Ordinal)
                        || !_unix.TryGetStatus(file, out var status) || status.Type == UnixFileType.Directory)
                    {
                        continue;
                    }

                    var scriptWhat = $"the script 'other_files/{InstallPathPolicy.Show(name)}' of kit '{kit.Name}'";
                    if (status.Type != UnixFileType.RegularFile)
                    {
                        throw new InvalidDataException($"{char.ToUpperInvariant(scriptWhat[0])}{scriptWhat[1..]} is a {status.Type}, not a regular file; refused.");
                    }

                    var script = policy.Destination($"{_installDirectory}/postscripts/{name}", scriptWhat);
                    var copy = _fileSystem.Path.Combine(stagingRoot, $"kitfile-{Guid.NewGuid():N}");
                    _fileSystem.File.Copy(file, copy);
                    if (!OperatingSystem.IsWindows())
                    {
                        _fileSystem.File.SetUnixFileMode(copy, (UnixFileMode)0b111_101_101);
                    }

                    if (Claim(file, script, scriptWhat))
                    {
                        files.Add((copy, script));
                    }
                }
            }

            var plugins = _fileSystem.Path.Combine(staged, "plugins");
            if (_fileSystem.Directory.Exists(plugins) && _fileSystem.Directory.EnumerateFileSystemEntries(plugins).Any())
            {
                // xCAT copies them into its own perl plugin directory and restarts xcatd; that is xCAT's job.
                messages.Add($"The plugins of kit {kit.Name} are in {target}/plugins; copy them to $XCATROOT/lib/perl/xCAT_plugin/ and restart xcatd on an xCAT management node.");
            }
        }

        kitRows.AddRange(manifest.KitRepos.Select(r => ("kitrepo", "kitreponame", r.Name, (IReadOnlyDictionary<string, string>)paths.MapValues(r.Columns))));
        kitRows.AddRange(manifest.KitComponents.Select(r => ("kitcomponent", "kitcompname", r.Name, (IReadOnlyDictionary<string, string>)paths.MapValues(r.Columns))));

        // xCAT's imgport.pm, moveExtra extras: a directory merges into its destination, a file goes into it.
        foreach (var extra in manifest.Extras)
        {
            var what = $"the extra '{InstallPathPolicy.Show(extra.Source)}'";
            var destination = paths.Map(extra.Destination).TrimEnd('/');
            var hasPath = extra.Source.Split('/').Any(static part => part is not ("" or "."));
            var directory = hasPath ? policy.FindSource(image.Path, "extra/" + extra.Source, what) : null;
            if (directory is { Status.Type: UnixFileType.Directory })
            {
                foreach (var (relative, status, host) in Walk(directory.Value.Path))
                {
                    if (status.Type == UnixFileType.Directory)
                    {
                        continue;
                    }

                    var target = policy.Destination($"{destination}/{relative}", what);
                    if (status.Type == UnixFileType.SymbolicLink)
                    {
                        Link(host, target, $"the extra member '{InstallPathPolicy.Show(relative)}' of {what}");
                    }

                    if (Claim(host, target, what))
                    {
                        files.Add((host, target));
                    }
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
                Link(member.Path, fileTarget, what);
            }

            if (Claim(member.Path, fileTarget, what))
            {
                files.Add((member.Path, fileTarget));
            }
        }

        // Every other column path that pointed into the exporter's install directory follows ours (pkgdir, otherpkgdir...).
        definition = paths.MapColumns(definition);
        if (definition.LinuxImage.RootImageDirectory is { Length: > 0 } rootImageDirectory)
        {
            var normal = policy.Destination(rootImageDirectory, "rootimgdir");
            definition = definition with { LinuxImage = definition.LinuxImage with { RootImageDirectory = normal } };
        }

        var problems = definition.Validate();
        if (problems.Count > 0)
        {
            throw new InvalidDataException($"The manifest's definition of '{definition.Name}' is invalid: {string.Join("; ", problems.Select(static p => p.ToString()))}");
        }

        if (await _catalog.FindImageAsync(definition.Name, cancellationToken).ConfigureAwait(false) is not null && !options.Force)
        {
            throw new InvalidOperationException($"The image '{definition.Name}' already exists; use --force to replace it.");
        }

        Log.Planned(_logger, definition.Name, files.Count);
        return new ImportPlan(definition, manifest, files, links, image.Verified, liteFiles, kitRows);
    }

    /// <summary>Every entry below <paramref name="root"/>, parents first, in ordinal order, found with lstat: links are listed, never entered.</summary>
    private IEnumerable<(string Relative, UnixFileStatus Status, string Host)> Walk(string root)
    {
        var pending = new Stack<(string Host, string Relative)>();
        pending.Push((root, string.Empty));
        while (pending.TryPop(out var directory))
        {
            var children = new List<(string Relative, UnixFileStatus Status, string Host)>();
            foreach (var name in _unix.GetDirectoryEntries(directory.Host).Order(StringComparer.Ordinal))
            {
                var host = _fileSystem.Path.Join(directory.Host, name);
                var relative = directory.Relative.Length == 0 ? name : directory.Relative + "/" + name;
                if (_unix.TryGetStatus(host, out var status))
                {
                    children.Add((relative, status, host));
                }
            }

            foreach (var child in children)
            {
                yield return child;
            }

            for (var i = children.Count - 1; i >= 0; i--)
            {
                if (children[i].Status.Type == UnixFileType.Directory)
                {
                    pending.Push((children[i].Host, children[i].Relative));
                }
            }
        }
    }

    private async Task<IReadOnlyList<string>> AddPostScriptChangesAsync(CatalogChanges changes, List<ImportPlan> plans, ImageImportOptions options,
        List<string> messages, CancellationToken cancellationToken)
    {
        if (options.PostScriptsNodeRange is not { Length: > 0 } noderange)
        {
            return [];
        }

        // xCAT's imgport.pm, set_postscripts.
        var known = await _catalog.GetNodesAsync(cancellationToken).ConfigureAwait(false);
        var expanded = Nodes.NodeRange.Expand(noderange, known.ToDictionary(static n => n.Name, static n => n.Groups, StringComparer.Ordinal), allowUndefined: true);
        var defined = known.Select(static n => n.Name).ToHashSet(StringComparer.Ordinal);
        var nodes = expanded.Where(defined.Contains).ToList();
        if (nodes.Count == 0)
        {
            throw new ArgumentException($"The nodes {noderange} are not defined in xCAT DB.");
        }

        if (nodes.Count < expanded.Count)
        {
            messages.Add("The following nodes will be skipped because they are not in the nodelist table.");
            messages.Add("    " + string.Join(',', expanded.Where(n => !defined.Contains(n))));
        }

        var defaults = await _catalog.GetDefaultPostScriptsAsync(cancellationToken).ConfigureAwait(false);
        var defaultScripts = defaults.PostScripts.ToHashSet(StringComparer.Ordinal);
        var defaultBootScripts = defaults.PostBootScripts.ToHashSet(StringComparer.Ordinal);
        foreach (var plan in plans)
        {
            var scripts = XcatFileLookup.SplitList(plan.Manifest.PostScripts).Where(s => !defaultScripts.Contains(s)).ToList();
            var bootScripts = XcatFileLookup.SplitList(plan.Manifest.PostBootScripts).Where(s => !defaultBootScripts.Contains(s)).ToList();
            if (scripts.Count == 0 && bootScripts.Count == 0)
            {
                continue;
            }

            foreach (var node in nodes)
            {
                changes.Upsert("postscripts", new Dictionary<string, string>(StringComparer.Ordinal) { ["node"] = node },
                    new Dictionary<string, string?>(StringComparer.Ordinal)
                    {
                        ["postscripts"] = scripts.Count > 0 ? string.Join(',', scripts) : null,
                        ["postbootscripts"] = bootScripts.Count > 0 ? string.Join(',', bootScripts) : null,
                    });
            }
        }

        return nodes;
    }

    private async Task AddLiteFileChangesAsync(CatalogChanges changes, List<ImportPlan> plans, CancellationToken cancellationToken)
    {
        if (plans.All(static p => p.LiteFiles.Count == 0))
        {
            return;
        }

        // xCAT's imgport.pm, make_files: rows that 'ALL' already has with the same options are skipped; the rest belong to the image.
        var all = (await _catalog.ReadTableAsync("litefile", cancellationToken).ConfigureAwait(false))
            .Where(static r => r["image"] == "ALL").Select(static r => (r["file"], r["options"] ?? string.Empty)).ToHashSet();
        foreach (var plan in plans)
        {
            foreach (var (file, options) in plan.LiteFiles)
            {
                if (all.Contains((file, options)))
                {
                    continue;
                }

                changes.Upsert("litefile", new Dictionary<string, string>(StringComparer.Ordinal) { ["image"] = plan.Definition.Name, ["file"] = file },
                    new Dictionary<string, string?>(StringComparer.Ordinal) { ["options"] = options.Length > 0 ? options : null });
            }
        }
    }

    private async Task<string> ExtractRootImageTreeAsync(string archive, string stagingRoot, string directoryName, CancellationToken cancellationToken)
    {
        var destination = _fileSystem.Path.Combine(stagingRoot, "statelite-" + directoryName);
        var source = _fileSystem.File.OpenRead(archive);
        await using (source.ConfigureAwait(false))
        {
            try
            {
                var cpio = await Compression.CompressionStreams.OpenDecompressorAsync(source, leaveOpen: true, cancellationToken).ConfigureAwait(false);
                await using (cpio.ConfigureAwait(false))
                {
                    await Cpio.CpioArchive.ExtractToDirectoryAsync(cpio, destination, null, _fileSystem, _metadata, null, cancellationToken).ConfigureAwait(false);
                }
            }
            catch (InvalidDataException e)
            {
                throw new InvalidDataException($"The rootimgtree.gz of '{directoryName}' is not a valid compressed cpio archive: {e.Message}", e);
            }
        }

        var top = _fileSystem.Directory.Exists(destination)
            ? _fileSystem.Directory.EnumerateFileSystemEntries(destination).Select(p => _fileSystem.Path.GetFileName(p)).ToList()
            : [];
        var rootImage = _fileSystem.Path.Combine(destination, "rootimg");
        if (top.Count != 1 || top[0] != "rootimg")
        {
            throw new InvalidDataException(
                $"The rootimgtree.gz of '{InstallPathPolicy.Show(directoryName)}' must hold only the rootimg directory; it holds: {InstallPathPolicy.Show(string.Join(", ", top))}.");
        }

        if (!_unix.TryGetStatus(rootImage, out var status) || status.Type != UnixFileType.Directory)
        {
            // A link named rootimg would be placed as the image's root, leading wherever it points.
            throw new InvalidDataException($"The rootimgtree.gz of '{InstallPathPolicy.Show(directoryName)}' holds rootimg as a {status.Type}, not a directory; refused.");
        }

        return _fileSystem.Path.Combine(destination, "rootimg");
    }

    /// <summary>litefile.csv lines are <c>"image","file","options",,</c>; xCAT splits them on '"' (xCAT's imgport.pm, make_files).</summary>
    private static List<(string File, string Options)> ParseLiteFileCsv(string text, string directoryName)
    {
        var rows = new List<(string File, string Options)>();
        var number = 0;
        foreach (var line in text.Split('\n'))
        {
            number++;
            if (line.Trim().Length == 0)
            {
                continue;
            }

            var fields = line.Split('"');
            if (fields.Length < 6 || fields[3].Length == 0)
            {
                throw new InvalidDataException($"Line {number} of the litefile.csv of '{directoryName}' is not a litefile row: '{line}'.");
            }

            rows.Add((fields[3], fields[5]));
        }

        return rows;
    }

    /// <summary>xCAT's imgport.pm, set_config: kit, kitrepo and kitcomponent rows are upserted by their key, every column the manifest has.</summary>
    private static void AddKitChanges(CatalogChanges changes, List<ImportPlan> plans)
    {
        foreach (var (table, key, name, columns) in plans.SelectMany(static p => p.KitRows))
        {
            var schema = XcatSchema.GetTable(table);
            var values = columns.Where(c => c.Key != key && schema.HasColumn(c.Key))
                .ToDictionary(static c => c.Key, static c => (string?)c.Value, StringComparer.Ordinal);
            changes.Upsert(table, new Dictionary<string, string>(StringComparer.Ordinal) { [key] = name }, values);
        }
    }

    private static ImageDefinition Renamed(ImageDefinition definition, string newProfile)
    {
        // xCAT's imgport.pm, change_profile: the name is forced to the standard one (custom names are lost, as in xCAT).
        var os = definition.OsImage;
        var name = $"{os.OsVersion}-{os.OsArch}-{os.ProvMethod}-{newProfile}";
        var osImage = os with { Profile = newProfile };
        var columns = new Dictionary<string, string>(new ImageDefinition(osImage, definition.LinuxImage).GetColumns("osimage"), StringComparer.Ordinal)
        {
            ["imagename"] = name,
        };
        return ImageDefinition.FromColumns(columns, definition.GetColumns("linuximage"));
    }

    private sealed record ImportPlan(ImageDefinition Definition, BundleManifest Manifest, IReadOnlyList<(string Staged, string Target)> Files,
        IReadOnlyList<(string Path, string What)> Links, bool Verified,
        IReadOnlyList<(string File, string Options)> LiteFiles,
        IReadOnlyList<(string Table, string Key, string Name, IReadOnlyDictionary<string, string> Columns)> KitRows);

    /// <summary>Maps manifest paths under the exporter's install directory to ours; <see cref="InstallPathPolicy"/> then confines them.</summary>
    private sealed class PathMapper
    {
        private readonly ImageImporter _owner;
        private readonly string _xcatShare;
        private readonly List<string> _sourceInstallDirectories = [SiteSettings.DefaultInstallDirectory];

        public PathMapper(ImageImporter owner, ImageImportOptions options, ImageDefinition definition)
        {
            _owner = owner;
            _xcatShare = options.XcatShareDirectory.TrimEnd('/');

            // A standard rootimgdir reveals the exporter's install directory: <installdir>/netboot/<osvers>/<osarch>/<profile>.
            var os = definition.OsImage;
            var suffix = $"/netboot/{os.OsVersion}/{os.OsArch}/{os.Profile}";
            if (definition.LinuxImage.RootImageDirectory is { } rootImageDirectory && rootImageDirectory.TrimEnd('/').EndsWith(suffix, StringComparison.Ordinal))
            {
                var exporter = rootImageDirectory.TrimEnd('/')[..^suffix.Length];
                if (exporter.Length > 1 && !_sourceInstallDirectories.Contains(exporter))
                {
                    _sourceInstallDirectories.Insert(0, exporter);
                }
            }
        }

        public bool IsUnderXcatShare(string path) => Under(path, _xcatShare);

        public string Map(string path)
        {
            var normal = InstallPathPolicy.Normalize(path) ?? path;
            foreach (var source in _sourceInstallDirectories)
            {
                if (Under(normal, source))
                {
                    return _owner._installDirectory + normal[source.Length..];
                }
            }

            return path;
        }

        public ImageDefinition MapColumns(ImageDefinition definition)
        {
            foreach (var table in new[] { "osimage", "linuximage" })
            {
                foreach (var (column, value) in definition.GetColumns(table))
                {
                    if (column == "imagename")
                    {
                        continue;
                    }

                    var items = value.Split(',');
                    var mapped = items.Select(i => i.StartsWith('/') ? Map(i) : i).ToArray();
                    if (!items.SequenceEqual(mapped))
                    {
                        definition = definition.WithColumn(table, column, string.Join(',', mapped));
                    }
                }
            }

            return definition;
        }

        public Dictionary<string, string> MapValues(IReadOnlyDictionary<string, string> columns) =>
            columns.ToDictionary(static c => c.Key, c => string.Join(',', c.Value.Split(',').Select(i => i.StartsWith('/') ? Map(i) : i)), StringComparer.Ordinal);

        private static bool Under(string path, string directory) =>
            directory == "/" || path == directory || path.StartsWith(directory + "/", StringComparison.Ordinal);
    }
}
