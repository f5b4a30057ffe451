using System.IO.Abstractions;
using System.Text.RegularExpressions;

namespace Xcat.Imaging.Bundles.Internal;

/// <summary>xCAT's file searches that imgexport and imgimport rely on.</summary>
internal static partial class XcatFileLookup
{
    /// <summary>
    /// <c>look_for_file</c> (xCAT's imgport.pm, get_files): in each search directory, the osvers chopped until a directory exists, then
    /// the profile's list file by the most specific name, or <c>&lt;arch&gt;/&lt;profile&gt;/&lt;file&gt;</c>.
    /// </summary>
    public static string? LookForFile(IFileSystem fileSystem, string file, string osVersion, string osArch, string profile, params string[] directories)
    {
        foreach (var directory in directories)
        {
            var dd = osVersion.StartsWith("win", StringComparison.Ordinal) ? "windows" : osVersion;
            while (dd.Length > 0 && !fileSystem.Directory.Exists(fileSystem.Path.Combine(directory, dd)))
            {
                dd = dd[..^1];
            }

            if (dd.Length == 0)
            {
                continue;
            }

            var baseDirectory = fileSystem.Path.Combine(directory, dd);
            string[] candidates = file is "tmpl" or "pkglist"
                ?
                [
                    $"{profile}.{osVersion}.{osArch}.{file}",
                    $"{profile}.{osVersion}.{file}",
                    $"{profile}.{osArch}.{file}",
                    $"{profile}.{file}",
                ]
                : [$"{osArch}/{profile}/{file}"];
            foreach (var candidate in candidates)
            {
                var path = fileSystem.Path.Combine(baseDirectory, candidate);
                if (fileSystem.File.Exists(path))
                {
                    return path;
                }
            }
        }

        return null;
    }

    /// <summary>
    /// The platform directory of an OS version as <c>change_profile</c> maps it (xCAT's Table.pm), with
    /// <c>getsynclistfile</c>'s extra debian mapping; the OS version itself when nothing matches.
    /// </summary>
    public static string Platform(string osVersion)
    {
        // Order matters: '/rh.*/' matches anywhere, as in xCAT.
        (string Pattern, string Platform)[] map =
        [
            ("rh", "rh"), ("centos", "centos"), ("alma", "alma"), ("rocky", "rocky"), ("fedora", "fedora"),
            ("sles", "sles"), ("SL", "SL"), ("ubuntu", "ubuntu"), ("debian", "debian"),
        ];
        foreach (var (pattern, platform) in map)
        {
            if (osVersion.Contains(pattern, StringComparison.Ordinal))
            {
                return platform;
            }
        }

        return osVersion;
    }

    /// <summary>The linuximage columns that name list files shipped in a bundle, in <c>make_bundle</c>'s order (xCAT's imgport.pm, make_bundle step 6).</summary>
    public static readonly string[] ListColumns = ["template", "pkglist", "otherpkglist", "postinstall", "exlist"];

    /// <summary>xCAT's image directory name in a bundle: whitespace runs become <c>_</c> (xCAT's imgport.pm, make_bundle step 2).</summary>
    public static string BundleDirectoryName(string imageName) => Whitespace().Replace(imageName, "_");

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();
}
