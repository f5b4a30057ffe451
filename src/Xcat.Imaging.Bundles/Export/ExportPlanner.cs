using System.IO.Abstractions;
using Xcat.Imaging.Bundles.Internal;
using Xcat.Imaging.Bundles.Manifest;
using Xcat.Imaging.Catalog;
using Xcat.Imaging.Definitions;
using Xcat.Imaging.Schema;

namespace Xcat.Imaging.Bundles.Export;

/// <summary>
/// Works out what imgexport ships for one image (xCAT's imgport.pm, get_image_info and get_files): the definition
/// checked, its kits, the files of its provisioning method, the node's postscripts, the extras, all named as members.
/// </summary>
internal sealed class ExportPlanner
{
    private readonly IImageCatalog _catalog;
    private readonly SiteSettings _site;
    private readonly IFileSystem _fileSystem;
    private readonly KitCollector _kits;
    private readonly StateliteExportPlan _statelite;

    public ExportPlanner(IImageCatalog catalog, SiteSettings site, IFileSystem fileSystem, StateliteExportPlan statelite)
    {
        _catalog = catalog;
        _site = site;
        _fileSystem = fileSystem;
        _kits = new KitCollector(catalog);
        _statelite = statelite;
    }

    /// <exception cref="ArgumentException">The image, or the <c>-p</c> node, is not defined.</exception>
    /// <exception cref="InvalidOperationException">The definition lacks what imgexport needs.</exception>
    /// <exception cref="FileNotFoundException">Referenced files or extras do not exist.</exception>
    /// <exception cref="IOException">Two files share a member name.</exception>
    public async Task<ExportPlan> PlanAsync(string imageName, ImageExportOptions options, CancellationToken cancellationToken)
    {
        var image = await _catalog.FindImageAsync(imageName, cancellationToken).ConfigureAwait(false)
            ?? throw new ArgumentException($"Cannot find image '{imageName}' from the osimage table.", nameof(imageName));
        var method = ExportDefinitionCheck.Check(image, imageName);
        var os = image.OsImage;
        var context = new ExportContext(_fileSystem, _site, options, imageName, method, os.OsVersion!, os.OsArch!, os.Profile!);
        var manifest = new BundleManifest(image);
        IReadOnlyList<(string Name, string Directory)> kitDirectories = [];
        if (os.KitComponents.Count > 0)
        {
            (manifest, kitDirectories) = await _kits.CollectAsync(manifest, os.KitComponents, cancellationToken).ConfigureAwait(false);
        }

        var sources = method.IsInstall ? InstallExportPlan.Plan(context, image)
            : method.IsStatelite ? await _statelite.PlanAsync(context, image, cancellationToken).ConfigureAwait(false)
            : ImgportMethod.IsS390x(context.OsArch) ? RawExportPlan.Plan(context, image)
            : method.IsNetboot && !ImgportMethod.IsEsx(context.OsVersion) ? NetbootExportPlan.Plan(context, image)
            : new ExportSources(image);
        if (options.IncludeRootImageTree && sources.Tree is null)
        {
            throw new InvalidOperationException($"--with-rootimg-tree applies to netboot images; '{imageName}' is {method.Name}.");
        }

        image = sources.Image;
        manifest = manifest with
        {
            Image = image,
            Kernel = sources.Kernel,
            Ramdisk = sources.Ramdisk,
            RootImage = sources.RootImage,
            RawImageFiles = sources.RawFiles,
            UnpackedRootImage = sources.Tree,
        };
        if (sources.MediaRequired)
        {
            manifest = manifest with { Media = "required" };
        }

        if (sources.StateliteDirectory is { } statelite)
        {
            manifest = manifest with { RootImageTree = statelite + "/rootimgtree.gz", LiteFile = statelite + "/litefile.csv" };
        }

        if (options.PostScriptsNode is { Length: > 0 })
        {
            manifest = await WithPostScriptsAsync(manifest, options, cancellationToken).ConfigureAwait(false);
        }

        // xCAT's imgport.pm, make_bundle step 6: top-level files, then the list files, then synclists; step 8: raw files.
        var naming = new BundleMemberNaming(context, sources.StateliteDirectory is not null);
        foreach (var path in new[] { sources.Kernel, sources.Ramdisk, sources.RootImage }.SelectMany(static v => CommaList.Split(v)))
        {
            naming.AddFile(path);
        }

        foreach (var column in XcatFileLookup.ListColumns)
        {
            foreach (var path in CommaList.Split(image.GetColumns("linuximage").GetValueOrDefault(column)))
            {
                naming.AddFile(path);
            }
        }

        foreach (var path in image.OsImage.SyncLists.Concat(sources.RawFiles))
        {
            naming.AddFile(path);
        }

        var extras = naming.AddExtras(options.Extras);
        context.ThrowIfMissing();
        if (sources.StateliteDirectory is { } directory)
        {
            naming.AddStatelite(directory, sources.LiteFileCsv);
        }

        // xCAT's imgport.pm, make_bundle step 7.
        foreach (var (kitName, kitDirectory) in kitDirectories)
        {
            naming.AddKitDirectory(kitName, kitDirectory);
        }

        if (sources.Tree is { } tree)
        {
            naming.AddRootImageTree(tree);
        }

        manifest = manifest with { Extras = extras };
        var files = naming.Files;
        long known = files.Where(static f => f.Kind == ExportKind.File).Sum(f => _fileSystem.FileInfo.New(f.Source).Length);
        return new ExportPlan(XcatFileLookup.BundleDirectoryName(imageName), manifest, files, context.Messages, known);
    }

    /// <summary>The postscripts of the <c>-p</c> node (xCAT's imgport.pm, get_files).</summary>
    private async Task<BundleManifest> WithPostScriptsAsync(BundleManifest manifest, ImageExportOptions options, CancellationToken cancellationToken)
    {
        var node = options.PostScriptsNode!;
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

        return manifest with
        {
            PostScripts = CommaList.Join(scripts.PostScripts),
            PostBootScripts = CommaList.Join(scripts.PostBootScripts),
        };
    }
}
