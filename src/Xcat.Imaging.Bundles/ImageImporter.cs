using System.IO.Abstractions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Xcat.Imaging.Bundles.Internal;
using Xcat.Imaging.Bundles.Manifest;
using Xcat.Imaging.Catalog;
using Xcat.Imaging.Definitions;
using Xcat.Imaging.Unix;

namespace Xcat.Imaging.Bundles;

/// <summary>
/// imgimport: reads a bundle, checks it as xCAT does (spec §2.4, §2.5), renames it for <c>-f</c> (§2.6), places its
/// files with <c>.ORIG</c> backups (§2.8, §2.9) and writes the definitions (§2.7) and node postscripts (§2.10).
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
/// <para>Statelite images: <c>rootimgtree.gz</c> is unpacked in the staging area (confined, as any cpio) and its
/// <c>rootimg/</c> moved into place; the <c>litefile.csv</c> rows join the catalog transaction (spec §2.8).</para>
/// <para>Kits: their rows are upserted in the same transaction, each kit directory is placed beside its <c>kitdir</c>,
/// and the kit's <c>other_files</c> (but dot-files, <c>*.exlist</c>, <c>*.env</c>) become postscripts (mode 0755).
/// Kit plugins are left in the kit directory with a message: installing them into xCAT and restarting xcatd is
/// xCAT's business. A single kit element works (xCAT's single-kit bug, spec §2.3).</para>
/// <para>Not supported: remote bundles (<c>-R</c>).</para>
/// </remarks>
public sealed class ImageImporter
{
    private const string DefaultInstallDirectory = "/install";
    private const string StagingPrefix = ".xcatimg-import-";
    private static readonly string[] s_requiredFields = ["provmethod", "profile", "osvers", "osarch"];
    private static readonly string[] s_importedMethods = ["install", "netboot", "statelite", "sysclone", "raw"];
    private readonly IImageCatalog _catalog;
    private readonly string _installDirectory;
    private readonly IFileSystem _fileSystem;
    private readonly IUnixMetadataWriter? _metadata;
    private readonly ILogger _logger;
    private readonly ILogger<BundleReader>? _readerLogger;

    /// <summary>Initializes a new instance.</summary>
    /// <param name="catalog">The catalog the definitions are written to.</param>
    /// <param name="installDirectory">xCAT's install directory (<c>site.installdir</c>), such as <c>/install</c>.</param>
    /// <param name="fileSystem">The file system; the real one when <see langword="null"/>.</param>
    /// <param name="metadata">Writes owners, modes and times of extracted files; derived from <paramref name="fileSystem"/> when <see langword="null"/>.</param>
    /// <param name="loggerFactory">Creates the loggers; none when <see langword="null"/>.</param>
    /// <exception cref="ArgumentNullException"><paramref name="catalog"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="installDirectory"/> is empty or relative.</exception>
    public ImageImporter(IImageCatalog catalog, string installDirectory, IFileSystem? fileSystem = null, IUnixMetadataWriter? metadata = null,
        ILoggerFactory? loggerFactory = null)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentException.ThrowIfNullOrEmpty(installDirectory);
        _catalog = catalog;
        _fileSystem = fileSystem ?? new FileSystem();
        if (!installDirectory.StartsWith('/'))
        {
            throw new ArgumentException($"The install directory '{installDirectory}' is not an absolute path.", nameof(installDirectory));
        }

        _installDirectory = _fileSystem.Path.GetFullPath(installDirectory).TrimEnd('/');
        _metadata = metadata;
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
    /// <exception cref="KeyNotFoundException">None of the <c>-p</c> nodes is defined.</exception>
    /// <exception cref="NotSupportedException">The bundle holds kits or a statelite image.</exception>
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
    /// <exception cref="KeyNotFoundException">None of the <c>-p</c> nodes is defined.</exception>
    /// <exception cref="NotSupportedException">The bundle holds kits or a statelite image.</exception>
    public async Task<ImageImportResult> ImportAsync(Stream bundle, ImageImportOptions? options = null,
        IProgress<ImagingProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(bundle);
        options ??= new ImageImportOptions();
        // A fresh site may have no install directory yet; it is removed again if the import fails.
        var createdInstallDirectory = !_fileSystem.Directory.Exists(_installDirectory);
        if (createdInstallDirectory)
        {
            _fileSystem.Directory.CreateDirectory(_installDirectory);
        }

        RemoveAbandonedStaging();

        // Staged inside the install directory: same file system, so placing is a rename.
        var staging = _fileSystem.Path.Combine(_installDirectory, $"{StagingPrefix}{Environment.ProcessId}-{Guid.NewGuid():N}");
        _fileSystem.Directory.CreateDirectory(staging);
        if (!OperatingSystem.IsWindows())
        {
            _fileSystem.File.SetUnixFileMode(staging, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        try
        {
            var bundleDirectory = _fileSystem.Path.Combine(staging, "bundle");
            var reader = new BundleReader(bundle, options.Reader, leaveOpen: true, _fileSystem, _metadata, _readerLogger);
            ExtractedBundle extracted;
            await using (reader.ConfigureAwait(false))
            {
                extracted = await reader.ExtractToDirectoryAsync(bundleDirectory, progress, cancellationToken).ConfigureAwait(false);
            }

            var messages = new List<string>();
            var plans = new List<ImportPlan>();
            foreach (var image in extracted.Images)
            {
                plans.Add(await PlanAsync(image, staging, options, messages, cancellationToken).ConfigureAwait(false));
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
            var transaction = new PlacementTransaction(_fileSystem, _fileSystem.Path.Combine(staging, "replaced"));
            var images = new List<ImportedImage>();
            try
            {
                foreach (var plan in plans)
                {
                    images.Add(Place(plan, transaction, postScriptNodes, progress, cancellationToken));
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

            return new ImageImportResult { Images = images, Messages = messages };
        }
        catch when (createdInstallDirectory)
        {
            DeleteStaging(staging);
            DeleteStaging(_installDirectory);
            throw;
        }
        finally
        {
            DeleteStaging(staging);
        }
    }

    private static ImportedImage Place(ImportPlan plan, PlacementTransaction transaction, IReadOnlyList<string> postScriptNodes,
        IProgress<ImagingProgress>? progress, CancellationToken cancellationToken)
    {
        var placed = new List<string>();
        var backups = new List<string>();
        var done = 0;
        foreach (var (staged, target) in plan.Files)
        {
            cancellationToken.ThrowIfCancellationRequested();
            progress?.Report(new ImagingProgress("Placing", target, done++, plan.Files.Count, 0, null));
            if (transaction.Place(staged, target) is { } backup)
            {
                backups.Add(backup);
            }

            placed.Add(target);
        }

        return new ImportedImage
        {
            Definition = plan.Definition,
            PlacedPaths = placed,
            BackedUpPaths = backups,
            PostScriptNodes = postScriptNodes,
            Verified = plan.Verified,
        };
    }

    private async Task<ImportPlan> PlanAsync(ExtractedImage image, string stagingRoot, ImageImportOptions options, List<string> messages,
        CancellationToken cancellationToken)
    {
        var manifest = image.Manifest;
        var definition = manifest.Image;
        var os = definition.OsImage;
        var where = $"manifest.xml ('{image.DirectoryName}')";

        // spec §2.4 verify_manifest, all problems at once.
        var osColumns = definition.GetColumns("osimage");
        var missing = s_requiredFields.Where(f => string.IsNullOrWhiteSpace(osColumns.GetValueOrDefault(f)))
            .Select(static f => $"The '{f}' field is not defined in manifest.xml.").ToList();
        if (missing.Count > 0)
        {
            throw new InvalidDataException($"{string.Join('\n', missing)} ({where})");
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
            // xCAT's message names 'osarch' here by mistake (spec §2.4).
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

        // spec §2.5 check_media.
        if (string.Equals(manifest.Media, "required", StringComparison.Ordinal)
            && !_fileSystem.Directory.Exists($"{_installDirectory}/{osVersion}/{osArch}"))
        {
            throw new InvalidOperationException($"This image requires that you first copy media for {osVersion}-{osArch}");
        }

        var paths = new PathMapper(this, options, definition);
        var files = new List<(string Staged, string Target)>();
        var targets = new HashSet<string>(StringComparer.Ordinal);
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
        }

        var usedMembers = new HashSet<string>(StringComparer.Ordinal);
        void Add(string manifestPath, string target, string what)
        {
            var member = _fileSystem.Path.GetFileName(manifestPath);
            if (!image.Files.Contains(member))
            {
                throw new InvalidDataException($"The bundle lacks '{image.DirectoryName}/{member}', which the manifest references as {what} ({manifestPath}).");
            }

            paths.EnsureAllowed(target, what);
            if (!targets.Add(target))
            {
                return;
            }

            // Two references to one flat member (one file under two names) each need their own copy to move.
            var staged = _fileSystem.Path.Combine(image.Path, member);
            if (!usedMembers.Add(member))
            {
                var copy = _fileSystem.Path.Combine(stagingRoot, $"copy-{usedMembers.Count}-{member}");
                _fileSystem.File.Copy(staged, copy);
                staged = copy;
            }

            files.Add((staged, target));
        }

        // spec §2.8: kernel, ramdisk, rootimg (top level, comma lists) follow the rootimgdir on -f.
        foreach (var (what, value) in new[] { ("kernel", manifest.Kernel), ("ramdisk", manifest.Ramdisk), ("rootimg", manifest.RootImage), ("litefile", manifest.LiteFile) })
        {
            foreach (var path in XcatFileLookup.SplitList(value))
            {
                var target = newRootImageDirectory is not null
                    ? $"{newRootImageDirectory}/{_fileSystem.Path.GetFileName(path)}"
                    : paths.Map(path);
                Add(path, target, what);
            }
        }

        // List files: relocated out of xCAT's shipped templates, renamed for -f (spec §2.6), rewritten in the definition.
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
                var directory = PosixDirectory(path);
                var name = PosixFileName(path);
                var shipped = paths.IsUnderXcatShare(path);
                if (newProfile is not null)
                {
                    var index = name.IndexOf(oldProfile, StringComparison.Ordinal);
                    name = index >= 0 ? string.Concat(name.AsSpan(0, index), newProfile, name.AsSpan(index + oldProfile.Length)) : $"{newProfile}.{name}";
                }

                var target = shipped
                    ? $"{_installDirectory}/custom/{platformKind}/{XcatFileLookup.Platform(osVersion)}/{name}"
                    : paths.Map($"{directory}/{name}");
                Add(path, target, column);
                rewritten.Add(target);
            }

            definition = definition.WithColumn(table, column, string.Join(',', rewritten));
        }

        foreach (var path in manifest.RawImageFiles)
        {
            var name = _fileSystem.Path.GetFileName(path);
            var directory = $"{_installDirectory}/{provMethod}/{osVersion}/{osArch}/{definition.OsImage.Profile}";
            Add(path, $"{directory}/{(name.EndsWith(".img", StringComparison.Ordinal) ? name : name + ".img")}", "rawimagefiles");
        }

        if (manifest.UnpackedRootImage is { Length: > 0 } tree)
        {
            var staged = _fileSystem.Path.Combine(image.Path, BundleReader.RootImageTreeDirectory);
            if (!_fileSystem.Directory.Exists(staged))
            {
                throw new InvalidDataException($"The bundle lacks '{image.DirectoryName}/{BundleReader.RootImageTreeDirectory}/', which the manifest references as unpackedrootimg.");
            }

            var target = newRootImageDirectory is not null ? $"{newRootImageDirectory}/rootimg" : paths.Map(tree);
            paths.EnsureAllowed(target, "unpackedrootimg");
            files.Add((staged, target));
        }

        var liteFiles = new List<(string File, string Options)>();
        if (isStatelite)
        {
            // spec §2.8: the tree is unpacked where rootimgtree.gz would land; here into the staging area first.
            var member = PosixFileName(manifest.RootImageTree!);
            if (!image.Files.Contains(member))
            {
                throw new InvalidDataException($"The bundle lacks '{image.DirectoryName}/{member}', which the manifest references as rootimgtree ({manifest.RootImageTree}).");
            }

            var treeTarget = (newRootImageDirectory ?? PosixDirectory(paths.Map(manifest.RootImageTree!))) + "/rootimg";
            paths.EnsureAllowed(treeTarget, "rootimgtree");
            messages.Add("Extracting rootimgtree.gz. It will take a while.");
            var extracted = await ExtractRootImageTreeAsync(_fileSystem.Path.Combine(image.Path, member), stagingRoot, image.DirectoryName, cancellationToken)
                .ConfigureAwait(false);
            files.Add((extracted, treeTarget));
            if (manifest.LiteFile is { Length: > 0 } liteFile)
            {
                liteFiles.AddRange(ParseLiteFileCsv(_fileSystem.File.ReadAllText(_fileSystem.Path.Combine(image.Path, PosixFileName(liteFile))), image.DirectoryName));
                messages.Add("Updating the litefile table.");
                messages.Add("The litetree and statelite tables are untouched. You can update them if needed.");
            }
        }

        // spec §2.8 kits: <bundle>/<kitname> goes to dirname(kitdir)/<kitname>; other_files feed the postscripts.
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
            var staged = _fileSystem.Path.Combine(image.Path, kit.Name);
            if (!_fileSystem.Directory.Exists(staged))
            {
                staged = _fileSystem.Path.Combine(image.Path, PosixFileName(kit.Columns.GetValueOrDefault("kitdir", kit.Name)));
            }

            if (!_fileSystem.Directory.Exists(staged) || _fileSystem.FileInfo.New(staged).LinkTarget is not null)
            {
                throw new InvalidDataException($"The bundle lacks the kit directory '{image.DirectoryName}/{kit.Name}/' of kit '{kit.Name}'.");
            }

            var target = PosixDirectory(kitDirectory.TrimEnd('/')) + "/" + kit.Name;
            paths.EnsureAllowed(target, $"kit {kit.Name}");
            if (targets.Add(target))
            {
                files.Add((staged, target));
            }

            var otherFiles = _fileSystem.Path.Combine(staged, "other_files");
            if (_fileSystem.Directory.Exists(otherFiles))
            {
                foreach (var file in _fileSystem.Directory.EnumerateFiles(otherFiles).Order(StringComparer.Ordinal))
                {
                    var name = _fileSystem.Path.GetFileName(file);
                    if (name.StartsWith('.') || name.EndsWith(".exlist", StringComparison.Ordinal) || name.EndsWith(".env", StringComparison.Ordinal))
                    {
                        continue;
                    }

                    var script = $"{_installDirectory}/postscripts/{name}";
                    var copy = _fileSystem.Path.Combine(stagingRoot, $"kitfile-{Guid.NewGuid():N}");
                    _fileSystem.File.Copy(file, copy);
                    if (!OperatingSystem.IsWindows())
                    {
                        _fileSystem.File.SetUnixFileMode(copy, (UnixFileMode)0b111_101_101);
                    }

                    if (targets.Add(script))
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

        // spec §2.9 extras: a directory merges into its destination, a file goes into it.
        foreach (var extra in manifest.Extras)
        {
            var destination = paths.Map(extra.Destination);
            var directoryMember = _fileSystem.Path.Combine(image.Path, "extra", extra.Source.TrimStart('/'));
            var fileMember = _fileSystem.Path.Combine(image.Path, "extra", PosixFileName(extra.Source));
            if (_fileSystem.Directory.Exists(directoryMember) && extra.Source.TrimStart('/').Length > 0)
            {
                foreach (var file in _fileSystem.Directory.EnumerateFileSystemEntries(directoryMember, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
                {
                    if (_fileSystem.Directory.Exists(file) && _fileSystem.FileInfo.New(file).LinkTarget is null)
                    {
                        continue;
                    }

                    var target = destination.TrimEnd('/') + "/" + _fileSystem.Path.GetRelativePath(directoryMember, file);
                    paths.EnsureAllowed(target, $"extra {extra.Source}");
                    if (targets.Add(target))
                    {
                        files.Add((file, target));
                    }
                }
            }
            else if (_fileSystem.File.Exists(fileMember))
            {
                var target = destination.TrimEnd('/') + "/" + PosixFileName(extra.Source);
                paths.EnsureAllowed(target, $"extra {extra.Source}");
                if (targets.Add(target))
                {
                    files.Add((fileMember, target));
                }
            }
            else
            {
                throw new InvalidDataException($"The bundle lacks the extra '{extra.Source}' (expected under '{image.DirectoryName}/extra/').");
            }
        }

        // Every other column path that pointed into the exporter's install directory follows ours (pkgdir, otherpkgdir...).
        definition = paths.MapColumns(definition);
        if (definition.LinuxImage.RootImageDirectory is { Length: > 0 } rootImageDirectory)
        {
            paths.EnsureAllowed(rootImageDirectory, "rootimgdir");
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
        return new ImportPlan(definition, manifest, files, image.Verified, liteFiles, kitRows);
    }

    private async Task<IReadOnlyList<string>> AddPostScriptChangesAsync(CatalogChanges changes, List<ImportPlan> plans, ImageImportOptions options,
        List<string> messages, CancellationToken cancellationToken)
    {
        if (options.PostScriptsNodeRange is not { Length: > 0 } noderange)
        {
            return [];
        }

        // spec §2.10 set_postscripts.
        var known = await _catalog.GetNodesAsync(cancellationToken).ConfigureAwait(false);
        var expanded = Nodes.NodeRange.Expand(noderange, known.ToDictionary(static n => n.Name, static n => n.Groups, StringComparer.Ordinal), allowUndefined: true);
        var defined = known.Select(static n => n.Name).ToHashSet(StringComparer.Ordinal);
        var nodes = expanded.Where(defined.Contains).ToList();
        if (nodes.Count == 0)
        {
            throw new KeyNotFoundException($"The nodes {noderange} are not defined in xCAT DB.");
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

        // spec §2.8: rows that 'ALL' already has with the same options are skipped; the rest belong to the image.
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

        var top = _fileSystem.Directory.EnumerateFileSystemEntries(destination).Select(p => _fileSystem.Path.GetFileName(p)).ToList();
        if (top.Count != 1 || top[0] != "rootimg" || !_fileSystem.Directory.Exists(_fileSystem.Path.Combine(destination, "rootimg")))
        {
            throw new InvalidDataException($"The rootimgtree.gz of '{directoryName}' must hold only the rootimg directory; it holds: {string.Join(", ", top)}.");
        }

        return _fileSystem.Path.Combine(destination, "rootimg");
    }

    /// <summary>litefile.csv lines are <c>"image","file","options",,</c>; xCAT splits them on '"' (spec §2.8).</summary>
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

    /// <summary>spec §2.7: kit, kitrepo and kitcomponent rows are upserted by their key, every column the manifest has.</summary>
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
        // spec §2.6: the name is forced to the standard one (custom names are lost, as in xCAT).
        var os = definition.OsImage;
        var name = $"{os.OsVersion}-{os.OsArch}-{os.ProvMethod}-{newProfile}";
        var osImage = os with { Profile = newProfile };
        var columns = new Dictionary<string, string>(new ImageDefinition(osImage, definition.LinuxImage).GetColumns("osimage"), StringComparer.Ordinal)
        {
            ["imagename"] = name,
        };
        return ImageDefinition.FromColumns(columns, definition.GetColumns("linuximage"));
    }

    /// <summary>Removes the staging directories of imports whose process is gone (killed mid-import).</summary>
    private void RemoveAbandonedStaging()
    {
        foreach (var directory in _fileSystem.Directory.EnumerateDirectories(_installDirectory, StagingPrefix + "*"))
        {
            var name = _fileSystem.Path.GetFileName(directory);
            var rest = name[StagingPrefix.Length..];
            var dash = rest.IndexOf('-', StringComparison.Ordinal);
            if (dash > 0 && int.TryParse(rest.AsSpan(0, dash), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var pid)
                && pid != Environment.ProcessId && !_fileSystem.Directory.Exists($"/proc/{pid}"))
            {
                Log.StagingAbandoned(_logger, directory);
                DeleteStaging(directory);
            }
        }
    }

    private void DeleteStaging(string staging)
    {
        try
        {
            if (_fileSystem.Directory.Exists(staging))
            {
                _fileSystem.Directory.Delete(staging, recursive: true);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Log.StagingLeft(_logger, staging, e.Message);
        }
    }


    private static string PosixFileName(string path) => path.TrimEnd('/')[(path.TrimEnd('/').LastIndexOf('/') + 1)..];

    private static string PosixDirectory(string path)
    {
        var slash = path.LastIndexOf('/');
        return slash <= 0 ? "/" : path[..slash];
    }

    private sealed record ImportPlan(ImageDefinition Definition, BundleManifest Manifest, IReadOnlyList<(string Staged, string Target)> Files, bool Verified,
        IReadOnlyList<(string File, string Options)> LiteFiles,
        IReadOnlyList<(string Table, string Key, string Name, IReadOnlyDictionary<string, string> Columns)> KitRows);

    /// <summary>Maps manifest paths to this host and keeps them inside the install directory or an allowed destination.</summary>
    private sealed class PathMapper
    {
        private readonly ImageImporter _owner;
        private readonly List<string> _allowed;
        private readonly string _xcatShare;
        private readonly List<string> _sourceInstallDirectories = [DefaultInstallDirectory];

        public PathMapper(ImageImporter owner, ImageImportOptions options, ImageDefinition definition)
        {
            _owner = owner;
            _xcatShare = options.XcatShareDirectory.TrimEnd('/');
            _allowed = [owner._installDirectory, .. options.AllowedDestinations.Select(d => owner._fileSystem.Path.GetFullPath(d).TrimEnd('/'))];

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
            foreach (var source in _sourceInstallDirectories)
            {
                if (Under(path, source))
                {
                    return _owner._installDirectory + path[source.Length..];
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

        public void EnsureAllowed(string path, string what)
        {
            var fileSystem = _owner._fileSystem;
            if (!path.StartsWith('/'))
            {
                throw new IOException($"The bundle would place {what} at the relative path '{path}'; refused.");
            }

            var full = fileSystem.Path.GetFullPath(path);
            var real = RealPath(full);
            if (!_allowed.Any(a => Under(full, a) && Under(real, RealPath(a))))
            {
                throw new IOException($"The bundle would place {what} at '{path}', outside the install directory {_owner._installDirectory}; refused (allow the destination to import it).");
            }
        }

        private static bool Under(string path, string directory) =>
            directory == "/" || path == directory || path.StartsWith(directory + "/", StringComparison.Ordinal);

        /// <summary>The path with every existing symbolic link resolved, so a link inside the install directory cannot lead out.</summary>
        private string RealPath(string path)
        {
            var fileSystem = _owner._fileSystem;
            var resolved = "/";
            var parts = new Queue<string>(path.Split('/', StringSplitOptions.RemoveEmptyEntries));
            var hops = 0;
            while (parts.TryDequeue(out var part))
            {
                var next = resolved == "/" ? "/" + part : resolved + "/" + part;
                var target = fileSystem.FileInfo.New(next).LinkTarget;
                if (target is null)
                {
                    resolved = next;
                    continue;
                }

                if (++hops > 40)
                {
                    throw new IOException($"Too many levels of symbolic links in '{path}'.");
                }

                var combined = target.StartsWith('/') ? target : resolved + "/" + target;
                var rest = parts.ToArray();
                parts = new Queue<string>(fileSystem.Path.GetFullPath(combined).Split('/', StringSplitOptions.RemoveEmptyEntries).Concat(rest));
                resolved = "/";
            }

            return resolved;
        }
    }
}
