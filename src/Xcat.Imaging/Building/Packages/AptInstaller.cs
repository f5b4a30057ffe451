using System.Globalization;
using System.Text;
using Xcat.Imaging.Building.Execution;

namespace Xcat.Imaging.Building.Packages;

/// <summary>
/// Debian and Ubuntu: <c>debootstrap</c> creates the root from the first mirror, then <c>apt-get</c> chrooted installs
/// the pkglist and the otherpkglist pass by pass (xCAT's <c>netboot/ubuntu/genimage</c>).
/// </summary>
/// <remarks>
/// <para>
/// pkgdir entries are <c>http(s)://mirror suite components</c> lines (each becomes a <c>deb</c> line of the image's
/// sources.list; the first one bootstraps) or local directories (bound into the root for the build and used as
/// <c>[trusted=yes] file:</c> sources). With no mirror, the first Debian or Ubuntu mirror the host's apt uses serves,
/// with the suite named by osvers (<c>debian12</c> is bookworm).
/// </para>
/// <para>
/// Unlike xCAT, debootstrap runs the minbase variant, so the image holds what the pkglist asks for; and the
/// downloaded packages live in the cache directory (<c>--cache-dir</c>, and <c>/var/cache/apt/archives</c> bound to it),
/// outside <c>rootimg/</c>: they are not packed, and a second build downloads none of them. Maintainer scripts cannot
/// start services during the build (a <c>policy-rc.d</c> that refuses, removed afterwards).
/// </para>
/// </remarks>
public sealed class AptInstaller : IPackageInstaller
{
    private const string PolicyRcD = "#!/bin/sh\n# Written by xcatimg genimage while the image is built: no service starts in a chroot.\nexit 101\n";

    private static readonly Dictionary<string, string> s_debianSuites = new(StringComparer.Ordinal)
    {
        ["9"] = "stretch", ["10"] = "buster", ["11"] = "bullseye", ["12"] = "bookworm", ["13"] = "trixie", ["14"] = "forky",
    };

    private static readonly Dictionary<string, string> s_ubuntuSuites = new(StringComparer.Ordinal)
    {
        ["18.04"] = "bionic", ["20.04"] = "focal", ["22.04"] = "jammy", ["24.04"] = "noble", ["24.10"] = "oracular", ["25.04"] = "plucky",
    };

    private readonly Func<IReadOnlyList<string>> _hostMirrors;

    /// <summary>Creates the installer, reading the host's apt sources when an image names no mirror.</summary>
    public AptInstaller()
        : this(null)
    {
    }

    /// <summary>Creates the installer with the host's mirrors given (for tests and hosts without apt).</summary>
    /// <param name="hostMirrors">Returns the host's mirror URLs in order; <see langword="null"/> reads /etc/apt.</param>
    public AptInstaller(Func<IReadOnlyList<string>>? hostMirrors) => _hostMirrors = hostMirrors ?? HostAptSources.ReadMirrors;

    /// <inheritdoc />
    public string Name => "apt";

    /// <summary>Gets the Debian architecture name of an xCAT osarch (<c>x86_64</c> is <c>amd64</c>).</summary>
    /// <param name="architecture">The osarch.</param>
    /// <returns>The dpkg architecture.</returns>
    /// <exception cref="ArgumentException">The architecture has no Debian name.</exception>
    public static string DebianArchitecture(string architecture) => architecture switch
    {
        "x86_64" or "amd64" => "amd64",
        "aarch64" or "arm64" => "arm64",
        "ppc64le" or "ppc64el" => "ppc64el",
        "s390x" => "s390x",
        "i386" or "i686" or "x86" => "i386",
        _ => throw new ArgumentException($"osarch '{architecture}' has no Debian architecture.", nameof(architecture)),
    };

    /// <summary>Gets the suite (codename) of a Debian or Ubuntu osvers: <c>debian12</c> is bookworm, <c>ubuntu22.04</c> jammy.</summary>
    /// <param name="osVersion">The osvers.</param>
    /// <returns>The suite.</returns>
    /// <exception cref="ArgumentException">The osvers is neither, or its release is unknown; name a mirror with its suite in pkgdir.</exception>
    public static string Suite(string osVersion)
    {
        ArgumentNullException.ThrowIfNull(osVersion);
        if (osVersion.StartsWith("debian", StringComparison.Ordinal))
        {
            var release = osVersion["debian".Length..].Split('.')[0];
            if (s_debianSuites.TryGetValue(release, out var suite))
            {
                return suite;
            }
        }
        else if (osVersion.StartsWith("ubuntu", StringComparison.Ordinal))
        {
            var parts = osVersion["ubuntu".Length..].Split('.');
            if (parts.Length >= 2 && s_ubuntuSuites.TryGetValue(parts[0] + "." + parts[1], out var suite))
            {
                return suite;
            }
        }

        throw new ArgumentException(
            $"osvers '{osVersion}' names no Debian or Ubuntu release this library knows; put 'http://<mirror> <suite> <components>' first in pkgdir.",
            nameof(osVersion));
    }

    /// <summary>Works out the sources an image is built from: the bootstrap mirror and suite, and the image's sources.list.</summary>
    /// <param name="context">The image's osvers, osarch and pkgdir.</param>
    /// <returns>The sources.</returns>
    /// <exception cref="ArgumentException">A pkgdir entry is neither a mirror line nor an absolute directory, or no mirror can be found.</exception>
    public AptSources PlanSources(PackageInstallContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var mirrors = new List<string[]>();
        var localDirectories = new List<string>();
        foreach (var entry in context.PackageDirectories.Select(entry => entry.Trim()).Where(entry => entry.Length > 0))
        {
            if (entry.StartsWith("http://", StringComparison.Ordinal) || entry.StartsWith("https://", StringComparison.Ordinal))
            {
                var words = entry.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                if (words.Length < 2)
                {
                    throw new ArgumentException(
                        $"pkgdir entry '{entry}': a mirror must be written 'http://<mirror> <suite> <components>' (genimage needs the suite to bootstrap).",
                        nameof(context));
                }

                mirrors.Add(words);
            }
            else if (entry.StartsWith('/'))
            {
                localDirectories.Add(entry.TrimEnd('/'));
            }
            else
            {
                throw new ArgumentException($"pkgdir entry '{entry}' is neither an http(s) mirror line nor an absolute directory.", nameof(context));
            }
        }

        var isUbuntu = context.OsVersion.StartsWith("ubuntu", StringComparison.Ordinal);
        if (mirrors.Count == 0)
        {
            var suite = Suite(context.OsVersion);
            var host = _hostMirrors().FirstOrDefault(url => url.Contains(isUbuntu ? "ubuntu" : "debian", StringComparison.Ordinal)
                && !url.Contains("security", StringComparison.Ordinal))
                ?? throw new ArgumentException(
                    $"pkgdir of the image names no mirror and the host's apt uses no {(isUbuntu ? "Ubuntu" : "Debian")} mirror: put 'http://<mirror> {suite} main' in pkgdir.",
                    nameof(context));
            mirrors.Add([host, suite, .. isUbuntu ? (string[])["main", "universe"] : ["main"]]);
        }

        var lines = new StringBuilder();
        foreach (var mirror in mirrors)
        {
            lines.Append("deb ").AppendJoin(' ', mirror.Length == 2 ? [.. mirror, "main"] : mirror).Append('\n');
        }

        var binds = new List<BuildBind>();
        for (var i = 0; i < localDirectories.Count; i++)
        {
            var inRoot = string.Create(CultureInfo.InvariantCulture, $"/run/xcatimg/pkgdir{i + 1}");
            binds.Add(new BuildBind(localDirectories[i], inRoot));
            lines.Append("deb [trusted=yes] file:").Append(inRoot).Append(" ./\n");
        }

        foreach (var (subdirectory, index) in OtherRepositories(context).Select((subdirectory, index) => (subdirectory, index)))
        {
            var inRoot = string.Create(CultureInfo.InvariantCulture, $"/run/xcatimg/otherpkgs{index + 1}");
            binds.Add(new BuildBind(subdirectory, inRoot));
            lines.Append("deb [trusted=yes] file:").Append(inRoot).Append(" ./\n");
        }

        return new AptSources(mirrors[0][0], mirrors[0][1], lines.ToString(), binds);
    }

    /// <inheritdoc />
    public async Task InstallAsync(PackageInstallContext context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        ThrowIfGroups(context.Packages, "pkglist");
        ThrowIfGroups(context.OtherPackages, "otherpkglist");
        var sources = PlanSources(context);
        var root = context.RootDirectory;
        var architecture = DebianArchitecture(context.Architecture);
        var cacheKey = sources.Suite + "-" + architecture;
        var debootstrapCache = Path.Combine(context.CacheDirectory, "debootstrap-" + cacheKey);
        var aptCache = Path.Combine(context.CacheDirectory, "apt-" + cacheKey);
        if (!context.Runner.IsDryRun)
        {
            context.FileSystem.Directory.CreateDirectory(debootstrapCache);
            context.FileSystem.Directory.CreateDirectory(Path.Combine(aptCache, "partial"));
        }

        await context.Runner.RunAsync(new BuildCommand("debootstrap",
            ["--variant=minbase", "--arch", architecture, "--cache-dir=" + debootstrapCache, sources.Suite, root, sources.BootstrapMirror])
        {
            Environment = context.Environment,
            FailureMessage = "Error: Can not create bootstraps for rootimage. Make sure you specified full mirror path.",
        }, cancellationToken).ConfigureAwait(false);

        await context.Runner.WriteFileAsync(Path.Combine(root, "etc/apt/sources.list"), sources.SourcesList, cancellationToken).ConfigureAwait(false);
        var policy = Path.Combine(root, "usr/sbin/policy-rc.d");
        await context.Runner.WriteFileAsync(policy, PolicyRcD, cancellationToken).ConfigureAwait(false);
        await context.Runner.RunAsync(new BuildCommand("chmod", ["0755", policy]), cancellationToken).ConfigureAwait(false);

        BuildBind[] binds = [new BuildBind(aptCache, "/var/cache/apt/archives"), .. sources.Binds];
        BuildCommand AptGet(IReadOnlyDictionary<string, string> environment, params string[] arguments) => new("apt-get", arguments)
        {
            Root = root,
            Chroot = true,
            Binds = binds,
            Environment = WithNoninteractive(environment),
            FailureMessage = "Failed to install packages with apt-get",
        };

        await context.Runner.RunAsync(AptGet(context.Environment, "update") with { FailureMessage = "Failed to update package metadata" },
            cancellationToken).ConfigureAwait(false);
        if (!context.NoUpdate)
        {
            await context.Runner.RunAsync(AptGet(context.Environment, "-y", "upgrade"), cancellationToken).ConfigureAwait(false);
        }

        foreach (var (list, honourRemovals) in new[] { (context.Packages, false), (context.OtherPackages, true) })
        {
            foreach (var pass in list.Passes)
            {
                var environment = PassEnvironment(context.Environment, pass);
                if (honourRemovals && pass.PreRemove.Count > 0)
                {
                    await context.Runner.RunAsync(AptGet(environment, ["-y", "remove", .. pass.PreRemove.Select(p => p.Name)]), cancellationToken).ConfigureAwait(false);
                }

                if (pass.Install.Count > 0)
                {
                    await context.Runner.RunAsync(AptGet(environment, ["-y", "--no-install-recommends", "install", .. pass.Install.Select(p => p.Name)]),
                        cancellationToken).ConfigureAwait(false);
                }

                if (honourRemovals && pass.PostRemove.Count > 0)
                {
                    await context.Runner.RunAsync(AptGet(environment, ["-y", "remove", .. pass.PostRemove.Select(p => p.Name)]), cancellationToken).ConfigureAwait(false);
                }
            }
        }

        await context.Runner.RunAsync(new BuildCommand("rm", ["-f", policy]), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Gets the environment of one pass: the image's environvar, then the pass's <c>#ENV:...#</c> words.</summary>
    /// <param name="imageEnvironment">The image's environvar.</param>
    /// <param name="pass">The pass.</param>
    /// <returns>The variables.</returns>
    public static IReadOnlyDictionary<string, string> PassEnvironment(IReadOnlyDictionary<string, string> imageEnvironment, PackagePass pass)
    {
        ArgumentNullException.ThrowIfNull(imageEnvironment);
        ArgumentNullException.ThrowIfNull(pass);
        var environment = new Dictionary<string, string>(imageEnvironment, StringComparer.Ordinal);
        foreach (var word in pass.Environment.SelectMany(text => text.Split(' ', StringSplitOptions.RemoveEmptyEntries)))
        {
            var equals = word.IndexOf('=', StringComparison.Ordinal);
            if (equals > 0)
            {
                environment[word[..equals]] = word[(equals + 1)..];
            }
        }

        return environment;
    }

    private static Dictionary<string, string> WithNoninteractive(IReadOnlyDictionary<string, string> environment) =>
        new(environment, StringComparer.Ordinal) { ["DEBIAN_FRONTEND"] = "noninteractive" };

    private static IEnumerable<string> OtherRepositories(PackageInstallContext context)
    {
        var local = context.OtherPackageDirectories.Select(entry => entry.Trim()).Where(entry => entry.StartsWith('/')).ToList();
        if (local.Count > 1)
        {
            throw new ArgumentException("genimage: at most only 1 local dir in otherpkgdir is supported.", nameof(context));
        }

        if (local.Count == 0)
        {
            yield break;
        }

        var subdirectories = context.OtherPackages.Passes.SelectMany(pass => pass.Install.Concat(pass.PreRemove).Concat(pass.PostRemove))
            .Select(package => package.Repository).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal);
        foreach (var subdirectory in subdirectories)
        {
            yield return subdirectory == PackageName.MainRepository ? local[0].TrimEnd('/') : local[0].TrimEnd('/') + "/" + subdirectory;
        }
    }

    private static void ThrowIfGroups(PackageList list, string attribute)
    {
        var group = list.Passes.SelectMany(pass => pass.Install).FirstOrDefault(package => package.IsGroup);
        if (group is not null)
        {
            throw new ArgumentException($"{attribute}: '{group}' is a package group or module, which apt does not have.", nameof(list));
        }
    }
}
