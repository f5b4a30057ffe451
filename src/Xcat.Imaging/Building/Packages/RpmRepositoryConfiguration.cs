using System.IO.Abstractions;
using System.Text;

namespace Xcat.Imaging.Building.Packages;

/// <summary>
/// The repositories of an RPM image build, found as xCAT's RH worker finds them
/// (<c>xCAT-server/share/xcat/netboot/rh/genimage</c>): pkgdir URLs are repos as they are, local pkgdir directories are
/// searched recursively for <c>repodata</c> subdirectories (each a repo); otherpkgdir holds at most one local directory
/// whose subdirectories named by the otherpkglist (<c>subdir/name</c>) are repos, plus its URLs, for every pass.
/// </summary>
public sealed class RpmRepositoryConfiguration
{
    private readonly IReadOnlyList<IReadOnlyList<RpmRepository>> _otherPasses;
    private readonly string _osVersion;
    private readonly string _architecture;

    private RpmRepositoryConfiguration(string osVersion, string architecture, IReadOnlyList<RpmRepository> main, IReadOnlyList<IReadOnlyList<RpmRepository>> otherPasses)
    {
        _osVersion = osVersion;
        _architecture = architecture;
        MainRepositories = main;
        _otherPasses = otherPasses;
    }

    /// <summary>Gets the repositories of the pkgdir: local <c>repodata</c> directories first, then the URLs, numbered from 0.</summary>
    public IReadOnlyList<RpmRepository> MainRepositories { get; }

    /// <summary>Gets every repository: the pkgdir's, then the otherpkgdir's of every pass.</summary>
    public IEnumerable<RpmRepository> AllRepositories => MainRepositories.Concat(_otherPasses.SelectMany(pass => pass));

    /// <summary>
    /// Finds the repositories of <paramref name="context"/>'s pkgdir and otherpkgdir on its file system.
    /// </summary>
    /// <param name="context">The image's osvers, osarch, directories and lists.</param>
    /// <returns>The configuration.</returns>
    /// <exception cref="ArgumentException">No pkgdir repository was found, otherpkgdir names more than one local directory,
    /// or the otherpkglist names a subdirectory but otherpkgdir has no local directory.</exception>
    public static RpmRepositoryConfiguration Create(PackageInstallContext context) => Find(context, forZypper: false);

    /// <summary>
    /// Finds the repositories as <see cref="Create"/> does, except that a local pkgdir entry holding no <c>repodata</c> is
    /// still a repository of a type zypper detects, as sles/genimage adds every entry: its <c>1/</c> (and <c>2/</c>)
    /// subdirectories when it has them (SUSE media), else the entry itself.
    /// </summary>
    /// <param name="context">The image's osvers, osarch, directories and lists.</param>
    /// <returns>The configuration.</returns>
    /// <exception cref="ArgumentException">pkgdir is empty, otherpkgdir names more than one local directory, or the
    /// otherpkglist names a subdirectory but otherpkgdir has no local directory.</exception>
    public static RpmRepositoryConfiguration CreateForZypper(PackageInstallContext context) => Find(context, forZypper: true);

    private static RpmRepositoryConfiguration Find(PackageInstallContext context, bool forZypper)
    {
        ArgumentNullException.ThrowIfNull(context);
        var prefix = context.OsVersion + "-" + context.Architecture + "-";
        var local = new List<(string Directory, string? Type)>();
        var urls = new List<string>();
        foreach (var entry in Entries(context.PackageDirectories))
        {
            if (IsUrl(entry))
            {
                urls.Add(entry);
                continue;
            }

            var directory = TrimSlash(entry);
            var found = FindRepodataParents(context.FileSystem, directory);
            if (found.Count == 0 && forZypper)
            {
                // sles/genimage: <dir>/1 and <dir>/2 of SUSE media when present, else <dir>; zypper detects the format.
                var media = new[] { directory + "/1", directory + "/2" }.Where(context.FileSystem.Directory.Exists).ToList();
                local.AddRange((media.Count > 0 && media[0].EndsWith("/1", StringComparison.Ordinal) ? media : [directory])
                    .Select(path => (path, (string?)null)));
                continue;
            }

            if (found.Count == 0)
            {
                // rh/genimage only warns here: another pkgdir entry may still hold the packages.
                Log.RpmPackageDirectoryWithoutRepodata(context.Logger, entry);
            }

            local.AddRange(found.Select(path => (path, (string?)RpmRepository.RpmMetadata)));
        }

        var main = local.Select(repository => (Url: "file://" + repository.Directory, repository.Type))
            .Concat(urls.Select(url => (Url: url, Type: (string?)RpmRepository.RpmMetadata)))
            .Select((repository, n) => new RpmRepository(prefix + n.ToString(System.Globalization.CultureInfo.InvariantCulture), repository.Url)
            {
                Type = repository.Type,
            })
            .ToList();
        if (main.Count == 0)
        {
            throw new ArgumentException(
                $"No package repository in pkgdir '{string.Join(',', context.PackageDirectories)}': a local directory needs repodata (run createrepo), or give an http(s)/ftp URL.",
                nameof(context));
        }

        return new RpmRepositoryConfiguration(context.OsVersion, context.Architecture, main, OtherPasses(context));
    }

    /// <summary>Gets the otherpkgdir repositories of the otherpkglist pass <paramref name="passNumber"/>.</summary>
    /// <param name="passNumber">The pass number, from 1.</param>
    /// <returns>The pass's URL repositories, then one per subdirectory its entries name (<c>.</c>: the local directory itself).</returns>
    public IReadOnlyList<RpmRepository> OtherRepositories(int passNumber) =>
        passNumber >= 1 && passNumber <= _otherPasses.Count ? _otherPasses[passNumber - 1] : [];

    /// <summary>Renders the yum/dnf configuration file (<c>-c</c>) holding every repository, as rh/genimage writes it.</summary>
    /// <param name="foreignArchitecture">Whether the image's osarch is not the host's: a <c>[main]</c> section then sets
    /// <c>arch</c> and <c>ignorearch=True</c> (rh/genimage, for builds under QEMU user emulation).</param>
    /// <returns>The text of the file.</returns>
    public string ToDnfConfiguration(bool foreignArchitecture)
    {
        var text = new StringBuilder();
        if (foreignArchitecture)
        {
            text.Append("[main]\narch=").Append(_architecture).Append("\nignorearch=True\n\n");
        }

        foreach (var repository in AllRepositories)
        {
            AppendSection(text, repository, "skip_if_unavailable=True");
        }

        return text.ToString();
    }

    /// <summary>
    /// Renders the zypper <c>.repo</c> file for the pkglist (<paramref name="otherPassNumber"/> 0) or an otherpkglist pass:
    /// every repository is defined, with sles/genimage's names (<c>&lt;osver&gt;-&lt;n&gt;</c>, <c>otherpkg&lt;n&gt;</c>),
    /// but only the pkgdir's and that pass's are enabled. Defining them all keeps zypper from deleting the cached packages
    /// of a repository it does not know at the moment.
    /// </summary>
    /// <param name="otherPassNumber">0 for the pkglist, else the otherpkglist pass number.</param>
    /// <returns>The text of the file.</returns>
    public string ToZypperRepositoryFile(int otherPassNumber)
    {
        var text = new StringBuilder();
        foreach (var repository in MainRepositories)
        {
            var number = repository.Id[(repository.Id.LastIndexOf('-') + 1)..];
            AppendZypperSection(text, repository with { Id = _osVersion + "-" + number }, enabled: true);
        }

        for (var pass = 1; pass <= _otherPasses.Count; pass++)
        {
            foreach (var repository in _otherPasses[pass - 1])
            {
                AppendZypperSection(text, repository with { Id = "otherpkg" + repository.Id["otherpkgs".Length..] }, enabled: pass == otherPassNumber);
            }
        }

        return text.ToString();
    }

    private static void AppendZypperSection(StringBuilder text, RpmRepository repository, bool enabled) =>
        AppendSection(text, repository, [.. repository.Type is null ? [] : (string[])["type=" + repository.Type], enabled ? "enabled=1" : "enabled=0",
            "autorefresh=1", "keeppackages=1"]);

    private static void AppendSection(StringBuilder text, RpmRepository repository, params string[] extra)
    {
        text.Append('[').Append(repository.Id).Append("]\n")
            .Append("name=").Append(repository.Id).Append('\n')
            .Append("baseurl=").Append(repository.BaseUrl).Append('\n')
            .Append("gpgcheck=0\n");
        foreach (var line in extra)
        {
            text.Append(line).Append('\n');
        }

        text.Append('\n');
    }

    private static List<IReadOnlyList<RpmRepository>> OtherPasses(PackageInstallContext context)
    {
        var passes = new List<IReadOnlyList<RpmRepository>>();
        if (context.OtherPackages.IsEmpty)
        {
            return passes;
        }

        var entries = Entries(context.OtherPackageDirectories).ToList();
        var urls = entries.Where(IsUrl).ToList();
        var locals = entries.Where(entry => !IsUrl(entry)).ToList();
        if (locals.Count > 1)
        {
            // rh/genimage and sles/genimage: one otherpkgdir tree, its subdirectories named by the list.
            throw new ArgumentException("genimage: at most only 1 local dir in otherpkgdir is supported.", nameof(context));
        }

        var localDirectory = locals.Count == 1 ? TrimSlash(locals[0]) : null;
        var index = 1;
        foreach (var pass in context.OtherPackages.Passes)
        {
            var repositories = new List<RpmRepository>();
            foreach (var url in urls)
            {
                repositories.Add(new RpmRepository(OtherId(index++), url));
            }

            foreach (var subdirectory in pass.Install.Select(name => name.Repository).Distinct(StringComparer.Ordinal))
            {
                if (localDirectory is null)
                {
                    if (subdirectory == PackageName.MainRepository)
                    {
                        continue;
                    }

                    throw new ArgumentException(
                        $"The otherpkglist names the subdirectory '{subdirectory}/' but otherpkgdir has no local directory.", nameof(context));
                }

                var directory = subdirectory == PackageName.MainRepository ? localDirectory : localDirectory + "/" + subdirectory.Trim('/');
                repositories.Add(new RpmRepository(OtherId(index++), "file://" + directory)
                {
                    Type = context.FileSystem.File.Exists(directory + "/repodata/repomd.xml") ? RpmRepository.RpmMetadata : RpmRepository.PlainDirectory,
                });
            }

            passes.Add(repositories);
        }

        return passes;
    }

    private static string OtherId(int index) => "otherpkgs" + index.ToString(System.Globalization.CultureInfo.InvariantCulture);

    private static IEnumerable<string> Entries(IEnumerable<string> values) =>
        values.SelectMany(value => value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries));

    private static bool IsUrl(string entry) =>
        entry.StartsWith("http://", StringComparison.OrdinalIgnoreCase) || entry.StartsWith("https://", StringComparison.OrdinalIgnoreCase)
        || entry.StartsWith("ftp://", StringComparison.OrdinalIgnoreCase);

    private static string TrimSlash(string path) => path.Length > 1 ? path.TrimEnd('/') : path;

    // rh/genimage's isyumdir: every directory holding a repodata subdirectory, at any depth. Symbolic links are not
    // followed (File::Find does not follow them either); children are visited in ordinal order so the ids are stable.
    private static List<string> FindRepodataParents(IFileSystem fileSystem, string top)
    {
        var found = new List<string>();
        if (!fileSystem.Directory.Exists(top))
        {
            return found;
        }

        var pending = new Stack<string>();
        pending.Push(top);
        while (pending.Count > 0)
        {
            var directory = pending.Pop();
            var children = fileSystem.DirectoryInfo.New(directory).EnumerateDirectories()
                .Where(child => (child.Attributes & FileAttributes.ReparsePoint) == 0)
                .Select(child => child.Name)
                .OrderBy(name => name, StringComparer.Ordinal)
                .ToList();
            if (children.Contains("repodata", StringComparer.Ordinal))
            {
                found.Add(directory);
            }

            foreach (var child in children.Where(name => name != "repodata").Reverse())
            {
                pending.Push(directory == "/" ? "/" + child : directory + "/" + child);
            }
        }

        return found;
    }
}
