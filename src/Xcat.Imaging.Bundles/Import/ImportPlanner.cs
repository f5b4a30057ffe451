using System.IO.Abstractions;
using Microsoft.Extensions.Logging;
using Xcat.Imaging.Bundles.Internal;
using Xcat.Imaging.Catalog;
using Xcat.Imaging.Unix;

namespace Xcat.Imaging.Bundles.Import;

/// <summary>Plans the import of one extracted image: checks its manifest, then gathers its files, statelite tree, kits and extras.</summary>
internal sealed class ImportPlanner
{
    private readonly IImageCatalog _catalog;
    private readonly IFileSystem _fileSystem;
    private readonly IUnixMetadataProvider _unix;
    private readonly string _installDirectory;
    private readonly ILogger _logger;
    private readonly StateliteImportPlan _statelite;
    private readonly KitImportPlan _kits;

    public ImportPlanner(IImageCatalog catalog, IFileSystem fileSystem, IUnixMetadataWriter unix, IUnixMetadataWriter? metadata, string installDirectory,
        ILogger logger)
    {
        _catalog = catalog;
        _fileSystem = fileSystem;
        _unix = unix;
        _installDirectory = installDirectory;
        _logger = logger;
        _statelite = new StateliteImportPlan(fileSystem, unix, metadata);
        _kits = new KitImportPlan(fileSystem, unix, installDirectory);
    }

    /// <summary>Plans <paramref name="image"/>; nothing is placed yet.</summary>
    public async Task<ImportPlan> PlanAsync(ExtractedImage image, string stagingRoot, ImageImportOptions options, InstallPathPolicy policy,
        List<string> messages, CancellationToken cancellationToken)
    {
        var placements = new ImportPlacements(_fileSystem, _unix, policy, image, stagingRoot);
        var method = ImportManifestCheck.Check(image, placements.Where, _fileSystem, _installDirectory);
        var manifest = image.Manifest;
        var paths = new ManifestPathMapper(_installDirectory, options, manifest.Image);
        var profile = ProfileChange.For(manifest.Image, options, _installDirectory, method);

        var definition = ImageFileImportPlan.Add(placements, profile.Definition, method, profile, paths, _installDirectory);
        var liteFiles = method.IsStatelite
            ? await _statelite.AddAsync(placements, profile, paths, messages, cancellationToken).ConfigureAwait(false)
            : [];
        var kitRows = _kits.Add(placements, paths, messages);
        ExtrasImportPlan.Add(placements, paths);

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

        Log.Planned(_logger, definition.Name, placements.Files.Count);
        return new ImportPlan(definition, manifest, placements.Files, placements.Links, image.Verified, liteFiles, kitRows);
    }
}
