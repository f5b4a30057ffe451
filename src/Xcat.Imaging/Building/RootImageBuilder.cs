using System.Diagnostics;
using System.Globalization;
using System.IO.Abstractions;
using System.Runtime.InteropServices;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Xcat.Imaging.Building.Execution;
using Xcat.Imaging.Building.Initrd;
using Xcat.Imaging.Building.Layout;
using Xcat.Imaging.Building.Packages;
using Xcat.Imaging.Catalog;
using Xcat.Imaging.Definitions;
using Xcat.Imaging.Internal;
using Xcat.Imaging.Packing;

namespace Xcat.Imaging.Building;

/// <summary>
/// genimage: builds a diskless image's <c>rootimg/</c> with the distribution's package manager, copies its kernel to
/// <c>&lt;rootimgdir&gt;/kernel</c>, runs the postinstall scripts and makes <c>initrd-stateless.gz</c>, an initrd that
/// fetches the packed image over HTTP and boots it (xCAT's genimage.pm and its netboot workers).
/// </summary>
/// <remarks>
/// <para>
/// Safer than xCAT in three ways. The tree is built beside the old one, in <c>&lt;rootimgdir&gt;/.genimage/</c>, and
/// swapped in only when every phase has succeeded: a failed, cancelled or killed build leaves the previous
/// <c>rootimg/</c> (or none) where packimage looks, never a half-built one. Every command runs in its own mount namespace
/// (<see cref="ProcessBuildCommandRunner"/>), so no mount outlives it and the host's <c>/dev</c> is never touched
/// (xCAT issue #1767). Package caches live outside the tree (<see cref="RootImageBuildOptions.CacheDirectory"/>).
/// </para>
/// <para>The per-image lock is the one packimage takes, so the two never work on one image at once.</para>
/// </remarks>
public sealed class RootImageBuilder
{
    private const string StagingDirectoryName = ".genimage";
    private const string KernelFileName = "kernel";
    private const string InitrdFileName = "initrd-stateless.gz";

    private readonly IFileSystem _fileSystem;
    private readonly ILoggerFactory _loggerFactory;
    private readonly ILogger _logger;

    /// <summary>Creates a builder.</summary>
    /// <param name="fileSystem">The file system; the real one when <see langword="null"/>.</param>
    /// <param name="loggerFactory">Where the build and its tools' output are logged; none when <see langword="null"/>.</param>
    public RootImageBuilder(IFileSystem? fileSystem = null, ILoggerFactory? loggerFactory = null)
    {
        _fileSystem = fileSystem ?? new FileSystem();
        _loggerFactory = loggerFactory ?? NullLoggerFactory.Instance;
        _logger = _loggerFactory.CreateLogger<RootImageBuilder>();
    }

    /// <summary>
    /// genimage <paramref name="imageName"/>: reads the image and the site from <paramref name="catalog"/>, builds, and
    /// writes the changed attributes back to the image's linuximage row.
    /// </summary>
    /// <param name="catalog">The catalog holding the image.</param>
    /// <param name="imageName">The osimage name.</param>
    /// <param name="options">The options; <see langword="null"/> for the defaults.</param>
    /// <param name="progress">Receives each phase as it starts.</param>
    /// <param name="cancellationToken">Cancels the build; the previous rootimg stays as it was.</param>
    /// <returns>What was built or planned.</returns>
    /// <exception cref="KeyNotFoundException">No image has that name.</exception>
    /// <exception cref="ArgumentException">The image cannot be built as defined; the message names the attribute.</exception>
    /// <exception cref="NotSupportedException">The image is statelite, or for another architecture than the host's.</exception>
    /// <exception cref="IOException">A list or script cannot be read, or another genimage or packimage holds the image's lock.</exception>
    /// <exception cref="InvalidOperationException">A tool failed; the message names it and quotes its last lines.</exception>
    public async Task<RootImageBuildResult> BuildImageAsync(IImageCatalog catalog, string imageName, RootImageBuildOptions? options = null,
        IProgress<ImagingProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentException.ThrowIfNullOrEmpty(imageName);
        var image = await catalog.FindImageAsync(imageName, cancellationToken).ConfigureAwait(false)
            ?? throw new KeyNotFoundException($"Cannot find image '{imageName}' from the osimage table.");
        var site = await catalog.ReadSiteSettingsAsync(cancellationToken).ConfigureAwait(false);
        var result = await BuildAsync(image, site, options, progress, cancellationToken).ConfigureAwait(false);
        if (result.WrittenBack.Count > 0)
        {
            await catalog.SaveImageAsync(result.Image, CancellationToken.None).ConfigureAwait(false);
        }

        return result;
    }

    /// <summary>Builds <paramref name="image"/> under <paramref name="site"/>'s install directory; the catalog is not touched.</summary>
    /// <param name="image">The image definition.</param>
    /// <param name="site">The site settings (installdir, tftpdir).</param>
    /// <param name="options">The options; <see langword="null"/> for the defaults.</param>
    /// <param name="progress">Receives each phase as it starts.</param>
    /// <param name="cancellationToken">Cancels the build; the previous rootimg stays as it was.</param>
    /// <returns>What was built or planned, with the definition as it should be written back.</returns>
    /// <exception cref="ArgumentException">The image cannot be built as defined; the message names the attribute.</exception>
    /// <exception cref="NotSupportedException">The image is statelite, or for another architecture than the host's.</exception>
    /// <exception cref="IOException">A list or script cannot be read, or another genimage or packimage holds the image's lock.</exception>
    /// <exception cref="InvalidOperationException">A tool failed; the message names it and quotes its last lines.</exception>
    public async Task<RootImageBuildResult> BuildAsync(ImageDefinition image, SiteSettings site, RootImageBuildOptions? options = null,
        IProgress<ImagingProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(site);
        options ??= new RootImageBuildOptions();
        var plan = Validate(image, site, options);
        var runner = options.Runner ?? (options.DryRun
            ? new RecordingBuildCommandRunner()
            : new ProcessBuildCommandRunner(_loggerFactory.CreateLogger<ProcessBuildCommandRunner>(), _fileSystem));
        var dryRun = runner.IsDryRun;

        // Parsed before anything changes: an unreadable list or include stops the build here.
        var parser = new PackageListParser(_fileSystem);
        var packages = options.OnlyInitrd ? PackageList.Empty : await parser.ParseAsync(image.LinuxImage.PackageLists,
            new PackageListParserOptions { HonourRemovals = false }, cancellationToken).ConfigureAwait(false);
        var otherPackages = options.OnlyInitrd || image.LinuxImage.OtherPackageLists.Count == 0 ? PackageList.Empty
            : await parser.ParseAsync(image.LinuxImage.OtherPackageLists, new PackageListParserOptions { HonourRemovals = true },
                cancellationToken).ConfigureAwait(false);

        using var imageLock = dryRun ? null : ImageLock.Acquire(_fileSystem, options.LockDirectory, plan.RootImage);
        var durations = new Dictionary<string, TimeSpan>(StringComparer.Ordinal);
        var clock = Stopwatch.StartNew();
        var phase = 0;
        void Phase(string name)
        {
            if (phase > 0)
            {
                durations[RootImageBuildPhases.All[phase - 1]] = clock.Elapsed;
                clock.Restart();
            }

            Log.BuildPhase(_logger, plan.Image.Name, name);
            progress?.Report(new ImagingProgress(ImagingStages.Build, name, phase++, RootImageBuildPhases.All.Count, 0, null));
        }

        var staging = _fileSystem.Path.Combine(plan.RootImageDirectory, StagingDirectoryName);
        var root = options.OnlyInitrd ? plan.RootImage : _fileSystem.Path.Combine(staging, RootImageFiles.TreeDirectoryName);
        await RunAsync(runner, new BuildCommand("rm", ["-rf", "--one-file-system", staging]), cancellationToken).ConfigureAwait(false);
        if (!dryRun)
        {
            _fileSystem.Directory.CreateDirectory(staging);
        }

        var completed = false;
        try
        {
            Phase(RootImageBuildPhases.Packages);
            if (!options.OnlyInitrd)
            {
                var installer = options.Installer ?? ChooseInstaller(plan.Family);
                await installer.InstallAsync(new PackageInstallContext
                {
                    RootDirectory = root,
                    OsVersion = plan.OsVersion,
                    Architecture = plan.Architecture,
                    Profile = plan.Profile,
                    PackageDirectories = image.LinuxImage.PackageDirectories,
                    OtherPackageDirectories = image.LinuxImage.OtherPackageDirectories,
                    Packages = packages,
                    OtherPackages = otherPackages,
                    CacheDirectory = options.CacheDirectory,
                    Environment = plan.Environment,
                    NoUpdate = options.NoUpdate,
                    KernelVersion = plan.KernelVersion,
                    Runner = runner,
                    FileSystem = _fileSystem,
                    Logger = _loggerFactory.CreateLogger(installer.GetType()),
                }, cancellationToken).ConfigureAwait(false);
                await runner.WriteFileAsync(_fileSystem.Path.Combine(root, "etc/fstab"), Fstab(plan), cancellationToken).ConfigureAwait(false);
            }

            Phase(RootImageBuildPhases.Kernel);
            var kernelVersion = plan.KernelVersion;
            var stagedKernel = _fileSystem.Path.Combine(staging, KernelFileName);
            if (!dryRun)
            {
                var locator = new KernelLocator(_fileSystem);
                kernelVersion ??= locator.FindVersion(root) ?? throw new InvalidOperationException(
                    $"The image '{plan.Image.Name}' has no kernel: {root}/boot holds no vmlinuz-* and {root}/lib/modules is empty; add the distribution's kernel package to the pkglist.");
                var kernelFile = locator.FindKernelFile(root, kernelVersion);
                _fileSystem.File.Copy(kernelFile, stagedKernel, overwrite: true);
                if (!OperatingSystem.IsWindows())
                {
                    _fileSystem.File.SetUnixFileMode(stagedKernel, (UnixFileMode)0b110_100_100);
                }
            }
            else
            {
                await runner.RunAsync(new BuildCommand("cp", [$"{root}/boot/vmlinuz-{kernelVersion ?? "<newest kernel in the image>"}", stagedKernel]),
                    cancellationToken).ConfigureAwait(false);
            }

            Phase(RootImageBuildPhases.PostInstall);
            if (!options.OnlyInitrd)
            {
                foreach (var script in plan.PostInstall)
                {
                    await runner.RunAsync(new BuildCommand(script.Script, [root, plan.OsVersion, plan.Architecture, plan.Profile, .. script.Arguments])
                    {
                        Environment = PostInstallEnvironment(image, plan, root, kernelVersion),
                        FailureMessage = $"postinstall script {script.Script} failed",
                    }, cancellationToken).ConfigureAwait(false);
                }
            }

            Phase(RootImageBuildPhases.Initrd);
            var stagedInitrd = _fileSystem.Path.Combine(staging, InitrdFileName);
            await GenerateInitrdAsync(root, kernelVersion, plan, options, runner, stagedInitrd, cancellationToken).ConfigureAwait(false);

            Phase(RootImageBuildPhases.Commit);
            var files = await CommitAsync(plan, staging, root, options.OnlyInitrd, runner, cancellationToken).ConfigureAwait(false);
            durations[RootImageBuildPhases.Commit] = clock.Elapsed;
            completed = true;
            var writtenBack = dryRun ? new Dictionary<string, string>(StringComparer.Ordinal) : WriteBack(image, plan, options, kernelVersion);
            var updated = image;
            foreach (var (column, value) in writtenBack)
            {
                updated = updated.WithColumn("linuximage", column, value);
            }

            Log.BuildFinished(_logger, plan.Image.Name, kernelVersion ?? "", plan.RootImageDirectory);
            return new RootImageBuildResult
            {
                Image = updated,
                WrittenBack = writtenBack,
                RootImageDirectory = plan.RootImageDirectory,
                KernelVersion = kernelVersion,
                Files = files,
                Plan = runner is RecordingBuildCommandRunner recording ? recording.Steps : [],
                PhaseDurations = dryRun ? new Dictionary<string, TimeSpan>(StringComparer.Ordinal) : durations,
            };
        }
        finally
        {
            if (!completed && !dryRun)
            {
                // The half-built tree goes; the previous rootimg was never touched. Best effort: the next build clears it too.
                try
                {
                    await RunAsync(runner, new BuildCommand("rm", ["-rf", "--one-file-system", staging]), CancellationToken.None).ConfigureAwait(false);
                }
                catch (InvalidOperationException ex)
                {
                    Log.BuildCleanupFailed(_logger, staging, ex.Message);
                }
            }
        }
    }

    private static Task RunAsync(IBuildCommandRunner runner, BuildCommand command, CancellationToken cancellationToken) =>
        runner.RunAsync(command, cancellationToken);

    private async Task GenerateInitrdAsync(string root, string? kernelVersion, BuildPlan plan, RootImageBuildOptions options,
        IBuildCommandRunner runner, string output, CancellationToken cancellationToken)
    {
        IInitrdGenerator generator = options.InitrdTool switch
        {
            InitrdTool.Dracut => new DracutInitrdGenerator(),
            InitrdTool.InitramfsTools => new InitramfsToolsInitrdGenerator(),
            _ when runner.IsDryRun && !_fileSystem.Directory.Exists(root) => new DracutInitrdGenerator(),
            _ => InitrdGeneratorSelector.ForRoot(root, _fileSystem),
        };
        await generator.GenerateAsync(new InitrdBuildContext
        {
            RootDirectory = root,
            OutputDirectory = _fileSystem.Path.GetDirectoryName(output)!,
            KernelVersion = kernelVersion ?? "<newest kernel in the image>",
            Architecture = plan.Architecture,
            NetworkDrivers = plan.NetDrivers,
            Runner = runner,
            FileSystem = _fileSystem,
            Logger = _loggerFactory.CreateLogger(generator.GetType()),
        }, cancellationToken).ConfigureAwait(false);
    }

    private async Task<IReadOnlyList<string>> CommitAsync(BuildPlan plan, string staging, string root, bool onlyInitrd,
        IBuildCommandRunner runner, CancellationToken cancellationToken)
    {
        var directory = plan.RootImageDirectory;
        var kernel = _fileSystem.Path.Combine(directory, KernelFileName);
        var initrd = _fileSystem.Path.Combine(directory, InitrdFileName);
        var tftp = _fileSystem.Path.Combine(plan.TftpDirectory, "xcat", "osimage", plan.Image.Name);
        if (runner.IsDryRun)
        {
            if (!onlyInitrd)
            {
                await runner.RunAsync(new BuildCommand("mv", ["-T", root, plan.RootImage]), cancellationToken).ConfigureAwait(false);
            }

            await runner.RunAsync(new BuildCommand("mv", [_fileSystem.Path.Combine(staging, KernelFileName), kernel]), cancellationToken).ConfigureAwait(false);
            await runner.RunAsync(new BuildCommand("mv", [_fileSystem.Path.Combine(staging, InitrdFileName), initrd]), cancellationToken).ConfigureAwait(false);
            await runner.RunAsync(new BuildCommand("cp", [kernel, initrd, tftp + "/"]), cancellationToken).ConfigureAwait(false);
            return [];
        }

        cancellationToken.ThrowIfCancellationRequested();

        // From here on nothing is cancelled: the swap is two renames, and a half-done commit would mix two builds.
        if (!onlyInitrd)
        {
            var old = _fileSystem.Path.Combine(staging, "rootimg.old");
            if (_fileSystem.Directory.Exists(plan.RootImage))
            {
                _fileSystem.Directory.Move(plan.RootImage, old);
            }

            _fileSystem.Directory.Move(root, plan.RootImage);
        }

        _fileSystem.File.Move(_fileSystem.Path.Combine(staging, KernelFileName), kernel, overwrite: true);
        _fileSystem.File.Move(_fileSystem.Path.Combine(staging, InitrdFileName), initrd, overwrite: true);
        _fileSystem.Directory.CreateDirectory(tftp);
        var files = new List<string> { kernel, initrd };
        foreach (var source in new[] { kernel, initrd })
        {
            var target = _fileSystem.Path.Combine(tftp, _fileSystem.Path.GetFileName(source));
            var temporary = target + ".xcatimg-" + Environment.ProcessId.ToString(CultureInfo.InvariantCulture);
            _fileSystem.File.Copy(source, temporary, overwrite: true);
            _fileSystem.File.Move(temporary, target, overwrite: true);
            files.Add(target);
        }

        await RunAsync(runner, new BuildCommand("rm", ["-rf", "--one-file-system", staging]), CancellationToken.None).ConfigureAwait(false);
        return files;
    }

    private BuildPlan Validate(ImageDefinition image, SiteSettings site, RootImageBuildOptions options)
    {
        var name = image.Name;
        var os = image.OsImage;
        if (!ProvisioningMethodNames.TryParse(os.ProvMethod, out var method) || method is not (ProvisioningMethod.Netboot or ProvisioningMethod.Statelite))
        {
            throw new ArgumentException(
                $"The provmethod of image '{name}' is '{os.ProvMethod}': genimage builds netboot and statelite images only.", nameof(image));
        }

        if (method == ProvisioningMethod.Statelite)
        {
            throw new NotSupportedException(
                $"The image '{name}' is statelite: this library builds stateless images only (no initrd-statelite.gz); set provmethod=netboot.");
        }

        foreach (var (attribute, value) in new[] { ("osvers", os.OsVersion), ("osarch", os.OsArch), ("profile", os.Profile) })
        {
            if (string.IsNullOrEmpty(value))
            {
                throw new ArgumentException($"The image '{name}' has no {attribute}: genimage needs osvers, osarch and profile.", nameof(image));
            }
        }

        var family = OsFamily.Classify(os.OsVersion!);
        var hostArchitecture = RuntimeInformation.OSArchitecture switch
        {
            Architecture.X64 => "x86_64",
            Architecture.Arm64 => "aarch64",
            Architecture.Ppc64le => "ppc64le",
            Architecture.S390x => "s390x",
            var other => other.ToString().ToLowerInvariant(),
        };
        if (!string.Equals(NormalizeArchitecture(os.OsArch!), hostArchitecture, StringComparison.Ordinal))
        {
            throw new NotSupportedException(
                $"The image '{name}' is for {os.OsArch}, this host is {hostArchitecture}: genimage builds on a server with matching architecture.");
        }

        if (!options.OnlyInitrd && image.LinuxImage.PackageLists.Count == 0)
        {
            throw new ArgumentException($"A .pkglist file must be specified for image '{name}' in the linuximage table.", nameof(image));
        }

        var directory = _fileSystem.Path.TrimEndingDirectorySeparator(_fileSystem.Path.GetFullPath(image.GetRootImageDirectory(site)));
        var install = _fileSystem.Path.TrimEndingDirectorySeparator(_fileSystem.Path.GetFullPath(site.InstallDirectory));
        if (!options.AllowOutsideInstallDirectory && !directory.StartsWith(install + "/", StringComparison.Ordinal))
        {
            throw new ArgumentException(
                $"The rootimgdir of image '{name}', {directory}, is outside the install directory {install}; allow it explicitly to build there.", nameof(image));
        }

        var rootImage = _fileSystem.Path.Combine(directory, RootImageFiles.TreeDirectoryName);
        if (options.OnlyInitrd && !_fileSystem.Directory.Exists(rootImage))
        {
            throw new DirectoryNotFoundException($"--onlyinitrd needs an existing image: {rootImage} does not exist, run genimage {name} first.");
        }

        var postInstall = options.OnlyInitrd ? [] : PostInstallEntry.Parse(image.LinuxImage.PostInstallScripts);
        foreach (var entry in postInstall)
        {
            if (!_fileSystem.File.Exists(entry.Script))
            {
                throw new FileNotFoundException($"postinstall script {entry.Script} of image '{name}' does not exist.", entry.Script);
            }

            if (!OperatingSystem.IsWindows() && (_fileSystem.File.GetUnixFileMode(entry.Script) & (UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute)) == 0)
            {
                throw new ArgumentException($"postinstall script {entry.Script} is not executable", nameof(image));
            }
        }

        var environment = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var assignment in os.EnvironmentVariables)
        {
            var equals = assignment.IndexOf('=', StringComparison.Ordinal);
            if (equals > 0)
            {
                environment[assignment[..equals]] = assignment[(equals + 1)..];
            }
        }

        return new BuildPlan(image, family, os.OsVersion!, os.OsArch!, os.Profile!, directory, rootImage, site.TftpDirectory,
            options.KernelVersion ?? NullIfEmpty(image.LinuxImage.KernelVersion),
            options.NetDrivers ?? image.LinuxImage.NetDrivers, postInstall, environment);
    }

    private static string NormalizeArchitecture(string architecture) => architecture switch
    {
        "amd64" or "x86-64" => "x86_64",
        "arm64" => "aarch64",
        "ppc64el" => "ppc64le",
        _ => architecture,
    };

    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;

    private static IPackageInstaller ChooseInstaller(DistributionFamily family) => family switch
    {
        DistributionFamily.Debian or DistributionFamily.Ubuntu => new AptInstaller(),
        DistributionFamily.RedHat => new DnfInstaller(),
        DistributionFamily.Suse => new ZypperInstaller(),
        _ => throw new NotSupportedException($"No installer for {family}."),
    };

    // xCAT's generic_post: the fstab of a stateless image, whose root is a tmpfs.
    private static string Fstab(BuildPlan plan) => $"""
        devpts  /dev/pts devpts   gid=5,mode=620 0 0
        tmpfs   /dev/shm tmpfs    defaults       0 0
        proc    /proc    proc     defaults       0 0
        sysfs   /sys     sysfs    defaults       0 0
        {plan.Profile}_{plan.Architecture} / tmpfs rw 0 1

        """;

    private static Dictionary<string, string> PostInstallEnvironment(ImageDefinition image, BuildPlan plan, string root, string? kernelVersion)
    {
        var linux = image.LinuxImage;
        var environment = new Dictionary<string, string>(plan.Environment, StringComparer.Ordinal);
        foreach (var (name, value) in new[]
                 {
                     ("IMG_NAME", image.Name), ("IMG_ARCH", plan.Architecture), ("IMG_OSVER", plan.OsVersion),
                     ("IMG_KERNELVERSION", kernelVersion ?? ""), ("IMG_PROFILE", plan.Profile),
                     ("IMG_PKGLIST", string.Join(',', linux.PackageLists)), ("IMG_PKGDIR", string.Join(',', linux.PackageDirectories)),
                     ("IMG_OTHERPKGLIST", string.Join(',', linux.OtherPackageLists)), ("IMG_OTHERPKGDIR", string.Join(',', linux.OtherPackageDirectories)),
                     ("IMG_ROOTIMGDIR", root),
                 })
        {
            // xCAT's RH worker exports only the non-empty ones.
            if (value.Length > 0)
            {
                environment[name] = value;
            }
        }

        return environment;
    }

    private static Dictionary<string, string> WriteBack(ImageDefinition image, BuildPlan plan, RootImageBuildOptions options, string? kernelVersion)
    {
        var linux = image.LinuxImage;
        var changes = new Dictionary<string, string>(StringComparer.Ordinal);
        void Set(string column, string? value, string? current)
        {
            if (!string.IsNullOrEmpty(value) && !string.Equals(value, current, StringComparison.Ordinal))
            {
                changes[column] = value;
            }
        }

        Set("rootimgdir", plan.RootImageDirectory, linux.RootImageDirectory);
        Set("nodebootif", options.NodeBootInterface, linux.NodeBootInterface);
        Set("otherifce", options.OtherInterfaces, linux.OtherInterfaces);
        Set("kernelver", options.KernelVersion is null ? null : kernelVersion, linux.KernelVersion);
        Set("netdrivers", options.NetDrivers is null ? null : string.Join(',', options.NetDrivers), string.Join(',', linux.NetDrivers));
        return changes;
    }

    private sealed record BuildPlan(ImageDefinition Image, DistributionFamily Family, string OsVersion, string Architecture, string Profile,
        string RootImageDirectory, string RootImage, string TftpDirectory, string? KernelVersion, IReadOnlyList<string> NetDrivers,
        IReadOnlyList<PostInstallEntry> PostInstall, IReadOnlyDictionary<string, string> Environment);
}
