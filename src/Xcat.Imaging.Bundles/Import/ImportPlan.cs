using Xcat.Imaging.Bundles.Internal;
using Xcat.Imaging.Bundles.Manifest;
using Xcat.Imaging.Definitions;
using Xcat.Imaging.Tables;

namespace Xcat.Imaging.Bundles.Import;

/// <summary>What importing one image of a bundle will do: the definition to write, the files to place, the links to verify and the rows to add.</summary>
internal sealed record ImportPlan(ImageDefinition Definition, BundleManifest Manifest, IReadOnlyList<(string Staged, string Target)> Files,
    IReadOnlyList<(string Path, string What)> Links, bool Verified,
    IReadOnlyList<LiteFileEntry> LiteFiles,
    IReadOnlyList<KitRow> KitRows)
{
    /// <summary>Places the files through <paramref name="transaction"/>, reporting the placing stage.</summary>
    public ImportedImage Place(PlacementTransaction transaction, IReadOnlyList<string> postScriptNodes,
        IProgress<ImagingProgress>? progress, CancellationToken cancellationToken)
    {
        var placed = new List<string>();
        var backups = new List<string>();
        var done = 0;
        var throttle = new ProgressThrottle(progress);
        foreach (var (staged, target) in Files)
        {
            cancellationToken.ThrowIfCancellationRequested();
            throttle.Report(new ImagingProgress(ImagingStages.Place, target, done++, Files.Count, 0, null));
            if (transaction.Place(staged, target) is { } backup)
            {
                backups.Add(backup);
            }

            placed.Add(target);
        }

        throttle.ReportNow(new ImagingProgress(ImagingStages.Place, null, done, Files.Count, 0, null));
        return new ImportedImage
        {
            Definition = Definition,
            PlacedPaths = placed,
            BackedUpPaths = backups,
            PostScriptNodes = postScriptNodes,
            Verified = Verified,
        };
    }
}
