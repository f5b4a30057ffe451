using System.Globalization;
using System.Text.RegularExpressions;
using Xcat.Imaging.Building.Execution;

namespace Xcat.Imaging.Building.Packages;

/// <summary>
/// Installs a Red Hat family image with dnf (yum on EL7 and older, or when the host has no dnf) into
/// <c>--installroot</c>, as xCAT's <c>xCAT-server/share/xcat/netboot/rh/genimage</c> does: one configuration file with a
/// section per repository, one <c>install</c> per pkglist pass, then per otherpkglist pass <c>erase</c> (<c>-name</c>),
/// <c>install</c>, <c>erase</c> (<c>--name</c>) and <c>update</c>.
/// </summary>
/// <remarks>
/// The configuration file and the package cache live in <see cref="PackageInstallContext.CacheDirectory"/>, not in the
/// root: the cache (<c>&lt;cache&gt;/dnf</c> or <c>&lt;cache&gt;/yum</c>) is bound at the root's <c>/var/cache/dnf</c>
/// for each command (dnf prefixes its cache with the install root, and a <c>cachedir</c> outside it still leaves files
/// under <c>&lt;root&gt;&lt;cachedir&gt;</c>), with <c>keepcache</c> on so a second build downloads no package again, and
/// <c>metadata_expire=0</c> so a repository that changed since is seen (only <c>repomd.xml</c> is fetched to check).
/// </remarks>
public sealed partial class DnfInstaller : IPackageInstaller
{
    private const string FailureMessage = "RPM package manager invocation failed";
    private readonly string? _program;

    /// <summary>Initializes an installer that picks dnf for EL8 and newer when it is on <c>PATH</c>, else yum (rh/genimage's rule).</summary>
    public DnfInstaller()
    {
    }

    /// <summary>Initializes an installer that always runs <paramref name="program"/>.</summary>
    /// <param name="program"><c>dnf</c>, <c>yum</c>, or a path to one of them.</param>
    /// <exception cref="ArgumentException"><paramref name="program"/> is empty.</exception>
    public DnfInstaller(string program)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(program);
        _program = program;
    }

    /// <inheritdoc />
    public string Name => "dnf";

    /// <inheritdoc />
    public async Task InstallAsync(PackageInstallContext context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        var repositories = RpmRepositoryConfiguration.Create(context);
        var release = Release.Of(context.OsVersion);
        var program = _program ?? (release.UsesDnf && RpmInstallSupport.IsOnPath(context, "dnf") ? "dnf" : "yum");
        var isYum = Path.GetFileName(program).StartsWith("yum", StringComparison.Ordinal);
        Log.RpmInstallerStarted(context.Logger, Name, program, repositories.AllRepositories.Count());

        var cache = context.CacheDirectory.TrimEnd('/');
        var configuration = cache + "/rpm/genimage-" + RpmInstallSupport.RootKey(context.RootDirectory) + ".conf";
        await context.Runner.WriteFileAsync(configuration, repositories.ToDnfConfiguration(RpmInstallSupport.IsForeignArchitecture(context.Architecture)), cancellationToken).ConfigureAwait(false);
        await RpmInstallSupport.WriteDummyFstabAsync(context, cancellationToken).ConfigureAwait(false);
        var environment = await RpmInstallSupport.BaseEnvironmentAsync(context, cancellationToken).ConfigureAwait(false);
        var bind = isYum ? new BuildBind(cache + "/yum", "/var/cache/yum") : new BuildBind(cache + "/dnf", "/var/cache/dnf");

        var common = new List<string>
        {
            "-y", "-c", configuration, "--installroot=" + RpmInstallSupport.RootArgument(context.RootDirectory), "--disablerepo=*",
        };
        if (release.Major is { } major)
        {
            // An empty root has no release package to derive $releasever from.
            common.Add("--releasever=" + major.ToString(CultureInfo.InvariantCulture));
            if (release.ModulePlatform is { } platform)
            {
                common.Add("--setopt=module_platform_id=" + platform);
            }
        }

        common.Add("--setopt=keepcache=True");
        common.Add("--setopt=metadata_expire=0");
        var main = common.Concat(repositories.MainRepositories.Select(repository => "--enablerepo=" + repository.Id)).ToList();

        BuildCommand Command(IEnumerable<string> arguments, IReadOnlyDictionary<string, string> variables) =>
            new(program, arguments.ToList())
            {
                Root = context.RootDirectory,
                Chroot = false,
                Environment = variables,
                Binds = [bind],
                FailureMessage = FailureMessage,
            };

        foreach (var pass in context.Packages.Passes.Where(pass => pass.Install.Count > 0))
        {
            // The OS pkglist's -name/--name entries are for diskful installs only: genimage ignores them.
            Log.RpmPass(context.Logger, Name, "install", "pkglist", pass.Number);
            var variables = RpmInstallSupport.PassEnvironment(environment, pass);
            await context.Runner.RunAsync(Command([.. main, "install", .. pass.Install.Select(name => name.Name)], variables), cancellationToken)
                .ConfigureAwait(false);
        }

        foreach (var pass in context.OtherPackages.Passes)
        {
            var arguments = main.Concat(repositories.OtherRepositories(pass.Number).Select(repository => "--enablerepo=" + repository.Id)).ToList();
            var variables = RpmInstallSupport.PassEnvironment(environment, pass);
            await RemoveAsync(context, Command([.. arguments, "erase", .. pass.PreRemove.Select(name => name.Name)], variables), pass.PreRemove, cancellationToken)
                .ConfigureAwait(false);
            if (pass.Install.Count > 0)
            {
                Log.RpmPass(context.Logger, Name, "install", "otherpkglist", pass.Number);
                await context.Runner.RunAsync(Command([.. arguments, "install", .. pass.Install.Select(name => name.Name)], variables), cancellationToken)
                    .ConfigureAwait(false);
            }

            await RemoveAsync(context, Command([.. arguments, "erase", .. pass.PostRemove.Select(name => name.Name)], variables), pass.PostRemove, cancellationToken)
                .ConfigureAwait(false);
            if (!context.NoUpdate)
            {
                // Picks up packages updated in the repositories since the last build; a chosen kernel stays as it is.
                var update = context.KernelVersion is null ? arguments.Append("update") : arguments.Append("--exclude=kernel*").Append("update");
                await UpdateAsync(context, Command(update, environment), cancellationToken).ConfigureAwait(false);
            }
        }
    }

    // rh/genimage does not check the status of erase and update: a package already absent must not stop the build.
    private async Task RemoveAsync(PackageInstallContext context, BuildCommand command, IReadOnlyList<PackageName> names, CancellationToken cancellationToken)
    {
        if (names.Count == 0)
        {
            return;
        }

        try
        {
            await context.Runner.RunAsync(command, cancellationToken).ConfigureAwait(false);
        }
        catch (InvalidOperationException ex)
        {
            Log.RpmRemoveFailed(context.Logger, Name, string.Join(' ', names), ex.Message);
        }
    }

    private async Task UpdateAsync(PackageInstallContext context, BuildCommand command, CancellationToken cancellationToken)
    {
        try
        {
            await context.Runner.RunAsync(command, cancellationToken).ConfigureAwait(false);
        }
        catch (InvalidOperationException ex)
        {
            Log.RpmUpdateFailed(context.Logger, Name, ex.Message);
        }
    }

    [GeneratedRegex(@"^(?:rhels?|centos|rocky|alma(?:linux)?|ol)\D*(\d+)", RegexOptions.CultureInvariant)]
    private static partial Regex EnterpriseLinuxVersion();

    [GeneratedRegex(@"^fedora(\d+)", RegexOptions.CultureInvariant)]
    private static partial Regex FedoraVersion();

    private readonly record struct Release(int? Major, bool UsesDnf, string? ModulePlatform)
    {
        // rh/genimage's el_major_version: dnf, --releasever and the module platform from EL8 on. Fedora (a symlink
        // to the same worker) has used dnf since 22.
        public static Release Of(string osVersion)
        {
            var el = EnterpriseLinuxVersion().Match(osVersion);
            if (el.Success)
            {
                var major = int.Parse(el.Groups[1].ValueSpan, CultureInfo.InvariantCulture);
                return new Release(major, major > 7, major > 7 ? "platform:el" + major.ToString(CultureInfo.InvariantCulture) : null);
            }

            var fedora = FedoraVersion().Match(osVersion);
            if (fedora.Success)
            {
                var major = int.Parse(fedora.Groups[1].ValueSpan, CultureInfo.InvariantCulture);
                return new Release(major, major >= 22, null);
            }

            return new Release(null, false, null);
        }
    }
}
