using System.IO.Abstractions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Xcat.Imaging.Bundles.Internal;
using Xcat.Imaging.Bundles.Manifest;
using Xcat.Imaging.Catalog;
using Xcat.Imaging.Definitions;
using Xcat.Imaging.Schema;
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
    private const string ProvMethods = "install, netboot, statelite, or raw";
    private static readonly string[] s_exportedMethods = ["install", "netboot", "statelite", "raw", "sysclone"];
    private readonly IImageCatalog _catalog;
    private readonly SiteSettings _site;
    private readonly IFileSystem _fileSystem;
    private readonly IUnixMetadataProvider? _metadata;
    private readonly ILogger _logger;
    private readonly ILogger<BundleWriter>? _writerLogger;

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
        _catalog = catalog;
        _site = site;
        _fileSystem = fileSystem ?? new FileSystem();
        _metadata = metadata;
        _logger = (ILogger?)loggerFactory?.CreateLogger<ImageExporter>() ?? NullLogger.Instance;
        _writerLogger = loggerFactory?.CreateLogger<BundleWriter>();
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
        var plan = await PlanAsync(imageName, options, cancellationToken).ConfigureAwait(false);
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
        var plan = await PlanAsync(imageName, options, cancellationToken).ConfigureAwait(false);
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
        var plan = await PlanAsync(imageName, options ?? new ImageExportOptions(), cancellationToken).ConfigureAwait(false);
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
                        await AddRootImageTreeAsync(writer, file.Source, member, options, cancellationToken).ConfigureAwait(false);
                        break;
                    default:
                        await writer.AddFileAsync(file.Source, member, cancellationToken).ConfigureAwait(false);
                        break;
                }
            }

            await writer.CompleteAsync(cancellationToken).ConfigureAwait(false);
            throttle.Report(new ImagingProgress(ImagingStages.Export, null, writer.Entries, writer.Entries, done, done), force: true);
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

    private async Task<ExportPlan> PlanAsync(string imageName, ImageExportOptions options, CancellationToken cancellationToken)
    {
        var image = await _catalog.FindImageAsync(imageName, cancellationToken).ConfigureAwait(false)
            ?? throw new ArgumentException($"Cannot find image '{imageName}' from the osimage table.", nameof(imageName));
        var os = image.OsImage;
        var errors = new List<string>();
        foreach (var (field, value) in new[] { ("provmethod", os.ProvMethod), ("profile", os.Profile), ("osvers", os.OsVersion), ("osarch", os.OsArch) })
        {
            if (string.IsNullOrWhiteSpace(value))
            {
                errors.Add($"The '{field}' field is not set for '{imageName}' in the osimage table.");
            }
        }

        if (errors.Count > 0)
        {
            throw new InvalidOperationException(string.Join('\n', errors));
        }

        var provMethod = os.ProvMethod!;
        var osVersion = os.OsVersion!;
        var osArch = os.OsArch!;
        var profile = os.Profile!;

        // xCAT's imgport.pm, get_image_info: the match is a substring test, as xCAT's regex; the typo 'provemethod' is xCAT's.
        if (!s_exportedMethods.Any(m => provMethod.Contains(m, StringComparison.Ordinal)))
        {
            throw new InvalidOperationException($"Exporting images with 'provemethod' {provMethod} is not supported. Hint: {ProvMethods}");
        }

        var s390x = osArch.Contains("s390x", StringComparison.Ordinal);
        if (provMethod.Contains("sysclone", StringComparison.Ordinal) && !s390x)
        {
            throw new InvalidOperationException($"Exporting images with 'provemethod' {provMethod} is not supported for osarch '{osArch}'. Hint: {ProvMethods}");
        }

        if (image.LinuxImage.IsEmpty)
        {
            throw new InvalidOperationException($"Cannot find image '{imageName}' from the linuximage table.");
        }

        var messages = new List<string>();
        var manifest = new BundleManifest(image);
        var kitDirectories = new List<(string Name, string Directory)>();
        if (os.KitComponents.Count > 0)
        {
            manifest = await WithKitsAsync(manifest, os.KitComponents, kitDirectories, cancellationToken).ConfigureAwait(false);
        }

        // Every missing file is collected and reported at once, each with where it was looked for, so that one run
        // tells the user everything to fix.
        var missing = new List<string>();
        string? Missing(string message)
        {
            missing.Add(message);
            return null;
        }

        var rawFiles = new List<string>();
        string? kernel = null, ramdisk = null, rootimg = null, tree = null, statelite = null;
        byte[]? liteFileCsv = null;
        var linux = image.LinuxImage;
        if (provMethod.Contains("install", StringComparison.Ordinal))
        {
            if (string.IsNullOrEmpty(linux.Template))
            {
                var found = XcatFileLookup.LookForFile(_fileSystem, "tmpl", osVersion, osArch, profile,
                    $"{_site.InstallDirectory}/custom/install", $"{options.XcatShareDirectory}/install")
                    ?? throw new FileNotFoundException($"Couldn't find install template for {imageName}");
                messages.Add($"The image '{imageName}' has no template; exporting {found}.");
                image = image with { LinuxImage = linux with { Template = found } };
            }

            manifest = manifest with { Media = "required" };
        }
        else if (provMethod.Contains("statelite", StringComparison.Ordinal))
        {
            image = WithPackageList(image, imageName, osVersion, osArch, profile, options, messages);
            if (string.IsNullOrEmpty(linux.RootImageDirectory) && !_fileSystem.Directory.Exists(image.GetRootImageDirectory(_site)))
            {
                throw new DirectoryNotFoundException("Couldn't locate the root image directory. ");
            }

            statelite = image.GetRootImageDirectory(_site).TrimEnd('/');
            ramdisk = Existing(statelite, "initrd-statelite.gz")
                ?? Missing($"Couldn't find ramdisk (initrd-statelite.gz) for  {imageName} (looked for {statelite}/initrd-statelite.gz)");
            kernel = Existing(statelite, "kernel")
                ?? Missing($"Couldn't find kernel (kernel) for  {imageName} (looked for {statelite}/kernel)");
            if (!_fileSystem.Directory.Exists(statelite + "/rootimg"))
            {
                throw new DirectoryNotFoundException($"Couldn't find the root image {statelite}/rootimg for {imageName}");
            }

            manifest = manifest with { RootImageTree = statelite + "/rootimgtree.gz", LiteFile = statelite + "/litefile.csv" };
            liteFileCsv = await LiteFileCsvAsync(image, cancellationToken).ConfigureAwait(false);
        }
        else if (s390x)
        {
            var directory = provMethod.Contains("netboot", StringComparison.Ordinal)
                ? $"{_site.InstallDirectory}/netboot/{osVersion}/s390x/{profile}"
                : $"{_site.InstallDirectory}/{provMethod}/{osVersion}/s390x/{profile}";
            if (_fileSystem.Directory.Exists(directory))
            {
                rawFiles.AddRange(_fileSystem.Directory.EnumerateFiles(directory, "*.img").Order(StringComparer.Ordinal));
            }

            if (rawFiles.Count == 0)
            {
                throw new FileNotFoundException($"Couldn't find raw image files (*.img) in {directory} for {imageName}");
            }
        }
        else if (provMethod.Contains("netboot", StringComparison.Ordinal) && !osVersion.Contains("esx", StringComparison.Ordinal))
        {
            image = WithPackageList(image, imageName, osVersion, osArch, profile, options, messages);

            var rootImageDirectory = image.GetRootImageDirectory(_site);
            var shownDirectory = rootImageDirectory.TrimEnd('/');
            ramdisk = Existing(rootImageDirectory, "initrd-stateless.gz")
                ?? Missing($"Couldn't find ramdisk (initrd-stateless.gz) for  {imageName} (looked for {shownDirectory}/initrd-stateless.gz)");
            kernel = Existing(rootImageDirectory, "kernel")
                ?? Missing($"Couldn't find kernel (kernel) for  {imageName} (looked for {shownDirectory}/kernel)");

            // xCAT's imgport.pm, get_files bug fixed: with none present xCAT exports "<rootimgdir>/"; this is an error.
            rootimg = XcatFileLookup.RootImageNames.Select(n => Existing(rootImageDirectory, n)).FirstOrDefault(static p => p is not null)
                ?? Missing($"Couldn't find compressed rootimg for {imageName} (looked in {shownDirectory} for {string.Join(", ", XcatFileLookup.RootImageNames)})");
            if (options.IncludeRootImageTree)
            {
                tree = _fileSystem.Path.Combine(rootImageDirectory, "rootimg");
                if (!_fileSystem.Directory.Exists(tree))
                {
                    throw new DirectoryNotFoundException($"Couldn't find the unpacked root image {tree} for {imageName}");
                }
            }
        }

        if (options.IncludeRootImageTree && tree is null)
        {
            throw new InvalidOperationException($"--with-rootimg-tree applies to netboot images; '{imageName}' is {provMethod}.");
        }

        manifest = manifest with
        {
            Image = image,
            Kernel = kernel,
            Ramdisk = ramdisk,
            RootImage = rootimg,
            RawImageFiles = rawFiles,
            UnpackedRootImage = tree,
        };

        if (options.PostScriptsNode is { Length: > 0 } node)
        {
            var nodes = await _catalog.ExpandNodeRangeAsync(node, allowUndefined: true, cancellationToken).ConfigureAwait(false);
            var first = (nodes.Count > 0 ? nodes[0] : null) ?? throw new ArgumentException($"Unable to get postscripts, {node} is not a valide node.", nameof(options));
            Nodes.NodePostScripts scripts;
            try
            {
                scripts = await _catalog.GetNodePostScriptsAsync(first, cancellationToken).ConfigureAwait(false);
            }
            catch (ArgumentException e)
            {
                // xCAT's imgport.pm, get_files: xCAT's message, typo included.
                throw new ArgumentException($"Unable to get postscripts, {node} is not a valide node.", nameof(options), e);
            }

            manifest = manifest with
            {
                PostScripts = scripts.PostScripts.Count > 0 ? string.Join(',', scripts.PostScripts) : null,
                PostBootScripts = scripts.PostBootScripts.Count > 0 ? string.Join(',', scripts.PostBootScripts) : null,
            };
        }

        var files = new List<ExportFile>();
        var members = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [ManifestSerializer.FileName] = "(the manifest)",
            [Sha256Sums.FileName] = "(the checksums)",
            ["extra"] = "(the extras directory)",
            [BundleReader.RootImageTreeDirectory] = "(the unpacked root image)",
        };
        if (statelite is not null)
        {
            members["rootimgtree.gz"] = "(the statelite root image)";
            members["litefile.csv"] = "(the litefile table)";
        }

        void AddFile(string path)
        {
            var name = _fileSystem.Path.GetFileName(path);
            if (members.TryGetValue(name, out var other))
            {
                if (string.Equals(other, path, StringComparison.Ordinal))
                {
                    return;
                }

                throw new IOException($"'{path}' and '{other}' have the same basename '{name}'; a bundle holds referenced files flat by basename, so one would overwrite the other.");
            }

            if (!_fileSystem.File.Exists(path))
            {
                missing.Add($"Couldn't find file {path} for {imageName}.");
                return;
            }

            members[name] = path;
            files.Add(new ExportFile(path, name, ExportKind.File));
        }

        // xCAT's imgport.pm, make_bundle step 6: top-level files, then the list files, then synclists; step 8: raw files.
        foreach (var path in new[] { kernel, ramdisk, rootimg }.SelectMany(static v => XcatFileLookup.SplitList(v)))
        {
            AddFile(path);
        }

        foreach (var column in XcatFileLookup.ListColumns)
        {
            foreach (var path in XcatFileLookup.SplitList(image.GetColumns("linuximage").GetValueOrDefault(column)))
            {
                AddFile(path);
            }
        }

        foreach (var path in image.OsImage.SyncLists.Concat(rawFiles))
        {
            AddFile(path);
        }

        var extras = new List<BundleExtra>();
        var extraMembers = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var extra in options.Extras)
        {
            var source = _fileSystem.Path.GetFullPath(extra.Source);
            var isDirectory = _fileSystem.Directory.Exists(source);
            if (!isDirectory && !_fileSystem.File.Exists(source))
            {
                // xCAT warns and goes on (xCAT's imgport.pm, get_files); a missing extra is an error here.
                missing.Add($"Can not find Extra file {extra.Source}.");
                continue;
            }

            var destination = extra.Destination is { Length: > 0 } d ? d : isDirectory ? source : _fileSystem.Path.GetDirectoryName(source) ?? "/";
            var member = isDirectory ? "extra/" + source.TrimStart('/') : "extra/" + _fileSystem.Path.GetFileName(source);
            if (extraMembers.TryGetValue(member, out var clash))
            {
                throw new IOException($"The extras '{source}' and '{clash}' would both be stored as '{member}'.");
            }

            extraMembers[member] = source;
            extras.Add(new BundleExtra(source, destination));
            files.Add(new ExportFile(source, member, isDirectory ? ExportKind.Directory : ExportKind.File));
        }

        if (missing.Count > 0)
        {
            throw new FileNotFoundException(missing.Count == 1 ? missing[0] : $"{missing.Count} files are missing for {imageName}: {string.Join("; ", missing)}");
        }

        if (statelite is not null)
        {
            files.Add(new ExportFile(statelite, "rootimgtree.gz", ExportKind.CpioTree));
            files.Add(new ExportFile(statelite + "/litefile.csv", "litefile.csv", ExportKind.Data, liteFileCsv));
        }

        // xCAT's imgport.pm, make_bundle step 7: each kit directory keeps its basename (imgimport expects it to be the kit name).
        foreach (var (kitName, kitDirectory) in kitDirectories)
        {
            var name = _fileSystem.Path.GetFileName(kitDirectory.TrimEnd('/'));
            if (members.TryGetValue(name, out var clash))
            {
                throw new IOException($"The kit directory '{kitDirectory}' and '{clash}' have the same basename '{name}'.");
            }

            if (!_fileSystem.Directory.Exists(kitDirectory))
            {
                throw new DirectoryNotFoundException($"Couldn't find the directory {kitDirectory} of kit '{kitName}' for {imageName}");
            }

            members[name] = kitDirectory;
            files.Add(new ExportFile(kitDirectory, name, ExportKind.Directory));
        }

        if (tree is not null)
        {
            files.Add(new ExportFile(tree, BundleReader.RootImageTreeDirectory, ExportKind.Directory));
        }

        manifest = manifest with { Extras = extras };
        long known = files.Where(static f => f.Kind == ExportKind.File).Sum(f => _fileSystem.FileInfo.New(f.Source).Length);
        return new ExportPlan(XcatFileLookup.BundleDirectoryName(imageName), manifest, files, messages, known);
    }

    /// <summary>
    /// statelite (xCAT's imgport.pm, make_bundle step 4): <c>cd &lt;rootimgdir&gt;; find rootimg | cpio -H newc -o | gzip</c>. A tar member's size
    /// precedes its data, so the archive is compressed to a temp file first, then streamed into the bundle.
    /// </summary>
    private async Task AddRootImageTreeAsync(BundleWriter writer, string rootImageDirectory, string member, ImageExportOptions options,
        CancellationToken cancellationToken)
    {
        var temp = _fileSystem.Path.Combine(_fileSystem.Path.GetTempPath(), $"xcatimg-rootimgtree-{Environment.ProcessId}-{Guid.NewGuid():N}.gz");
        try
        {
            var file = _fileSystem.FileStream.New(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, FileOptions.Asynchronous);
            await using (file.ConfigureAwait(false))
            {
                var gzip = new Compression.ParallelGzipStream(file, options.Writer.Compression, leaveOpen: true);
                await using (gzip.ConfigureAwait(false))
                {
                    var walk = new Trees.TreeWalkOptions
                    {
                        IncludeRoot = false,
                        Filter = static name => name == "rootimg" || name.StartsWith("rootimg/", StringComparison.Ordinal),
                    };
                    await Cpio.CpioArchive.CreateFromDirectoryAsync(rootImageDirectory, gzip, walk, null, _fileSystem, _metadata, cancellationToken)
                        .ConfigureAwait(false);
                }
            }

            await writer.AddFileAsync(temp, member, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _fileSystem.File.Delete(temp);
        }
    }

    private async Task<byte[]> LiteFileCsvAsync(Definitions.ImageDefinition image, CancellationToken cancellationToken)
    {
        // xCAT's imgport.pm, make_bundle step 4: rows of no image, of the image's groups (whole string) or else 'ALL', and of the image.
        var groups = string.Join(',', image.OsImage.Groups);
        var owner = groups.Length > 0 ? groups : "ALL";
        var builder = new System.Text.StringBuilder();
        foreach (var row in await _catalog.ReadTableAsync("litefile", cancellationToken).ConfigureAwait(false))
        {
            var rowImage = row["image"];
            if (row.IsDisabled || !(string.IsNullOrEmpty(rowImage) || rowImage == owner || rowImage == image.Name) || row["file"] is not { } file)
            {
                continue;
            }

            builder.Append('"').Append(image.Name).Append("\",\"").Append(file).Append("\",\"")
                .Append(row["options"] is { Length: > 0 } o ? o : "tmpfs").Append("\",,\n");
        }

        return System.Text.Encoding.UTF8.GetBytes(builder.ToString());
    }

    /// <summary>
    /// xCAT's imgport.pm, get_image_info: every kit of the image's components, with all kitrepo and kitcomponent rows of those kits.
    /// </summary>
    private async Task<BundleManifest> WithKitsAsync(BundleManifest manifest, IReadOnlyList<string> components,
        List<(string Name, string Directory)> kitDirectories, CancellationToken cancellationToken)
    {
        var kitRows = await EnabledRowsAsync("kit", cancellationToken).ConfigureAwait(false);
        var repoRows = await EnabledRowsAsync("kitrepo", cancellationToken).ConfigureAwait(false);
        var componentRows = await EnabledRowsAsync("kitcomponent", cancellationToken).ConfigureAwait(false);
        var kitNames = new List<string>();
        foreach (var component in components)
        {
            var row = componentRows.FirstOrDefault(r => r["kitcompname"] == component)
                ?? throw new InvalidOperationException($"Cannot find kitname of '{component}' from the kitcomponent table.");
            if (row["kitname"] is { Length: > 0 } kitName && !kitNames.Contains(kitName))
            {
                kitNames.Add(kitName);
            }
        }

        var kits = new List<ManifestRecord>();
        foreach (var kitName in kitNames)
        {
            var row = kitRows.FirstOrDefault(r => r["kitname"] == kitName)
                ?? throw new InvalidOperationException($"Cannot find kit '{kitName}' from the kit table.");
            kits.Add(new ManifestRecord(kitName, row.ToDictionary(StringComparer.Ordinal)));
            if (row["kitdir"] is { Length: > 0 } kitDirectory)
            {
                kitDirectories.Add((kitName, kitDirectory));
            }
        }

        return manifest with
        {
            Kits = kits,
            KitRepos = [.. repoRows.Where(r => kitNames.Contains(r["kitname"] ?? string.Empty))
                .Select(static r => new ManifestRecord(r["kitreponame"]!, r.ToDictionary(StringComparer.Ordinal)))],
            KitComponents = [.. componentRows.Where(r => kitNames.Contains(r["kitname"] ?? string.Empty))
                .Select(static r => new ManifestRecord(r["kitcompname"]!, r.ToDictionary(StringComparer.Ordinal)))],
        };
    }

    private async Task<List<CatalogRow>> EnabledRowsAsync(string table, CancellationToken cancellationToken)
    {
        var key = XcatSchema.GetTable(table).Keys[0];
        return [.. (await _catalog.ReadTableAsync(table, cancellationToken).ConfigureAwait(false)).Where(r => !r.IsDisabled && r[key] is { Length: > 0 })];
    }

    private Definitions.ImageDefinition WithPackageList(Definitions.ImageDefinition image, string imageName, string osVersion, string osArch, string profile,
        ImageExportOptions options, List<string> messages)
    {
        if (image.LinuxImage.PackageLists.Count > 0)
        {
            return image;
        }

        var found = XcatFileLookup.LookForFile(_fileSystem, "pkglist", osVersion, osArch, profile,
            $"{_site.InstallDirectory}/custom/netboot", $"{options.XcatShareDirectory}/netboot")
            ?? throw new FileNotFoundException($"Couldn't find pkglist file for {imageName}");
        messages.Add($"The image '{imageName}' has no pkglist; exporting {found}.");
        return image with { LinuxImage = image.LinuxImage with { PackageLists = [found] } };
    }

    private string? Existing(string directory, string name)
    {
        var path = directory.TrimEnd('/') + "/" + name;
        return _fileSystem.File.Exists(path) ? path : null;
    }


    private enum ExportKind
    {
        File,
        Directory,
        Data,
        CpioTree,
    }

    private sealed record ExportFile(string Source, string Member, ExportKind Kind, byte[]? Data = null)
    {
        public bool IsDirectory => Kind == ExportKind.Directory;
    }

    private sealed record ExportPlan(string Directory, BundleManifest Manifest, IReadOnlyList<ExportFile> Files, IReadOnlyList<string> Messages, long KnownBytes);
}
