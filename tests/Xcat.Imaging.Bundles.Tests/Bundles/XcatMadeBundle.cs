using Xcat.Imaging.TestKit;

namespace Xcat.Imaging.Bundles.Tests.Bundles;

/// <summary>Makes a bundle the way xCAT's imgexport does (spec §1.5): a staging directory, then GNU <c>tar czf</c>.</summary>
internal static class XcatMadeBundle
{
    /// <summary>
    /// Lays out <paramref name="files"/> (bundle-relative name → content) under a staging directory and tars it.
    /// With <paramref name="members"/> the members are given to tar in that order (names relative to the staging
    /// directory, such as <c>./img/kernel</c>); otherwise <c>tar czf bundle .</c> as xCAT runs it.
    /// </summary>
    public static async Task<string> CreateAsync(string workDirectory, IReadOnlyDictionary<string, string> files, IReadOnlyList<string>? members = null)
    {
        var stage = Path.Combine(workDirectory, "xcat-stage-" + Guid.NewGuid().ToString("N"));
        foreach (var (name, content) in files)
        {
            var path = Path.Combine(stage, name);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, content);
        }

        var bundle = Path.Combine(workDirectory, "xcat-" + Guid.NewGuid().ToString("N") + ".tgz");
        var result = await ExternalTool.RunAsync("tar", ["czf", bundle, "--no-recursion", .. members ?? ["."]], stage);
        if (members is null)
        {
            result = await ExternalTool.RunAsync("tar", ["czf", bundle, "."], stage);
        }

        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException($"tar failed: {result.StandardError}");
        }

        Directory.Delete(stage, recursive: true);
        return bundle;
    }
}
