using Xcat.Imaging.Building.Execution;

namespace Xcat.Imaging.Building.Packages;

/// <summary>
/// Installs a SUSE image with <c>zypper --root</c>, as xCAT's <c>xCAT-server/share/xcat/netboot/sles/genimage</c> does:
/// the pkgdir's repositories (<c>&lt;osver&gt;-&lt;n&gt;</c>, see <see cref="RpmRepositoryConfiguration.CreateForZypper"/>), <c>install -l --no-recommends</c>
/// per pkglist pass (groups as <c>-t pattern</c>), then per otherpkglist pass <c>remove</c>, <c>install</c>,
/// <c>remove</c> and <c>update</c> with that pass's otherpkgdir repositories.
/// </summary>
/// <remarks>
/// The <c>.repo</c> file is written outside the root (<c>--reposd-dir</c> in
/// <see cref="PackageInstallContext.CacheDirectory"/>), where sles/genimage adds repositories to the image's
/// <c>etc/zypp/repos.d</c> and removes them at the end. Downloaded packages are kept in <c>&lt;cache&gt;/zypper</c>,
/// bound at the root's <c>/var/cache/zypp/packages</c>; zypper's metadata cache stays in the root, as with xCAT. Unlike
/// sles/genimage, which lets zypper's status 104 (a name not found) pass, a missing package fails the build.
/// </remarks>
public sealed class ZypperInstaller : IPackageInstaller
{
    private const string FailureMessage = "RPM package manager invocation failed";
    private readonly string _program;

    /// <summary>Initializes an installer that runs <c>zypper</c> from <c>PATH</c>.</summary>
    public ZypperInstaller()
        : this("zypper")
    {
    }

    /// <summary>Initializes an installer that runs <paramref name="program"/>.</summary>
    /// <param name="program">The zypper program: a name looked up in <c>PATH</c> or a path.</param>
    /// <exception cref="ArgumentException"><paramref name="program"/> is empty.</exception>
    public ZypperInstaller(string program)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(program);
        _program = program;
    }

    /// <inheritdoc />
    public string Name => "zypper";

    /// <inheritdoc />
    public async Task InstallAsync(PackageInstallContext context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        var repositories = RpmRepositoryConfiguration.CreateForZypper(context);
        Log.RpmInstallerStarted(context.Logger, Name, _program, repositories.AllRepositories.Count());

        var cache = context.CacheDirectory.TrimEnd('/');
        var reposDirectory = cache + "/rpm/genimage-" + RpmInstallSupport.RootKey(context.RootDirectory) + ".repos.d";
        var repoFile = reposDirectory + "/genimage.repo";
        await context.Runner.WriteFileAsync(repoFile, repositories.ToZypperRepositoryFile(0), cancellationToken).ConfigureAwait(false);
        await RpmInstallSupport.WriteDummyFstabAsync(context, cancellationToken).ConfigureAwait(false);
        var passwd = context.RootDirectory.TrimEnd('/') + "/etc/passwd";
        if (!context.FileSystem.File.Exists(passwd))
        {
            // sles/genimage: zypper's scriptlets expect a root user before any package has created the file.
            await context.Runner.WriteFileAsync(passwd, "root:x:0:0:root:/root:/bin/bash\n", cancellationToken).ConfigureAwait(false);
        }

        var environment = await RpmInstallSupport.BaseEnvironmentAsync(context, cancellationToken).ConfigureAwait(false);
        var bind = new BuildBind(cache + "/zypper", "/var/cache/zypp/packages");
        List<string> common =
        [
            "--root", context.RootDirectory.TrimEnd('/'), "--reposd-dir", reposDirectory,
            "--non-interactive", "--no-gpg-checks", "--gpg-auto-import-keys",
        ];

        BuildCommand Command(IEnumerable<string> arguments, IReadOnlyDictionary<string, string> variables) =>
            new(_program, common.Concat(arguments).ToList())
            {
                Root = context.RootDirectory,
                Chroot = false,
                Environment = variables,
                Binds = [bind],
                FailureMessage = FailureMessage,
            };

        foreach (var pass in context.Packages.Passes)
        {
            var variables = RpmInstallSupport.PassEnvironment(environment, pass);
            await InstallPassAsync(context, Command, pass, variables, "pkglist", cancellationToken).ConfigureAwait(false);
        }

        foreach (var pass in context.OtherPackages.Passes)
        {
            // Each pass sees the pkgdir repositories and only its own otherpkgdir ones (sles/genimage re-adds them per pass).
            await context.Runner.WriteFileAsync(repoFile, repositories.ToZypperRepositoryFile(pass.Number), cancellationToken)
                .ConfigureAwait(false);
            var variables = RpmInstallSupport.PassEnvironment(environment, pass);
            await RemoveAsync(context, Command(["remove", .. pass.PreRemove.Select(name => name.Name)], variables), pass.PreRemove, cancellationToken)
                .ConfigureAwait(false);
            await InstallPassAsync(context, Command, pass, variables, "otherpkglist", cancellationToken).ConfigureAwait(false);
            await RemoveAsync(context, Command(["remove", .. pass.PostRemove.Select(name => name.Name)], variables), pass.PostRemove, cancellationToken)
                .ConfigureAwait(false);
            if (!context.NoUpdate)
            {
                try
                {
                    await context.Runner.RunAsync(Command(["update"], environment), cancellationToken).ConfigureAwait(false);
                }
                catch (InvalidOperationException ex)
                {
                    Log.RpmUpdateFailed(context.Logger, Name, ex.Message);
                }
            }
        }
    }

    private async Task InstallPassAsync(
        PackageInstallContext context, Func<IEnumerable<string>, IReadOnlyDictionary<string, string>, BuildCommand> command, PackagePass pass,
        IReadOnlyDictionary<string, string> variables, string list, CancellationToken cancellationToken)
    {
        var packages = pass.Install.Where(name => !name.IsGroup).Select(name => name.Name).ToList();
        var patterns = pass.Install.Where(name => name.IsGroup).Select(name => name.Name[1..]).ToList();
        if (packages.Count > 0)
        {
            Log.RpmPass(context.Logger, Name, "install", list, pass.Number);
            await context.Runner.RunAsync(command(["install", "-l", "--no-recommends", .. packages], variables), cancellationToken).ConfigureAwait(false);
        }

        if (patterns.Count > 0)
        {
            // zypper installs @groups as patterns (sles/genimage: install -t pattern).
            Log.RpmPass(context.Logger, Name, "install patterns", list, pass.Number);
            await context.Runner.RunAsync(command(["install", "-l", "--no-recommends", "-t", "pattern", .. patterns], variables), cancellationToken)
                .ConfigureAwait(false);
        }
    }

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
}
