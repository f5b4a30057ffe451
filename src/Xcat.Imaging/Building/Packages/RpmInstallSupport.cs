using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using Xcat.Imaging.Building.Execution;

namespace Xcat.Imaging.Building.Packages;

/// <summary>What the dnf/yum and zypper installers share: the root's first files, the rpm database path, pass environments.</summary>
internal static class RpmInstallSupport
{
    /// <summary>Where the image's rpm database goes when the host's rpm would put it elsewhere.</summary>
    internal const string ImageDatabasePath = "/var/lib/rpm";

    internal const string DummyFstabLine = "#Dummy fstab for rpm postscripts to see";

    /// <summary>A name for the files of one root in the shared cache: two images never share a repo configuration.</summary>
    internal static string RootKey(string rootDirectory) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(rootDirectory)))[..16];

    internal static string RootArgument(string rootDirectory) => rootDirectory.TrimEnd('/') + "/";

    /// <summary>rh/genimage and sles/genimage append this line to <c>etc/fstab</c> before installing: scriptlets read it.</summary>
    internal static async Task WriteDummyFstabAsync(PackageInstallContext context, CancellationToken cancellationToken)
    {
        var path = context.RootDirectory.TrimEnd('/') + "/etc/fstab";
        var existing = context.FileSystem.File.Exists(path) ? await context.FileSystem.File.ReadAllTextAsync(path, cancellationToken).ConfigureAwait(false) : "";
        if (existing.Split('\n').Contains(DummyFstabLine, StringComparer.Ordinal))
        {
            return;
        }

        if (existing.Length > 0 && !existing.EndsWith('\n'))
        {
            existing += "\n";
        }

        await context.Runner.WriteFileAsync(path, existing + DummyFstabLine + "\n", cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// The variables of every package command: the image's environvar and, when the host's rpm keeps its database
    /// outside the standard places (Debian's rpm: <c>~/.rpmdb</c>), a <c>HOME</c> whose <c>.rpmmacros</c> puts the
    /// image's database in <c>/var/lib/rpm</c>, where the image's own rpm looks.
    /// </summary>
    internal static async Task<Dictionary<string, string>> BaseEnvironmentAsync(PackageInstallContext context, CancellationToken cancellationToken)
    {
        var environment = new Dictionary<string, string>(context.Environment, StringComparer.Ordinal);
        var hostPath = await HostDatabasePathAsync(context, cancellationToken).ConfigureAwait(false);
        if (hostPath is not null && !IsStandardDatabasePath(hostPath))
        {
            var home = context.CacheDirectory.TrimEnd('/') + "/rpm";
            await context.Runner.WriteFileAsync(home + "/.rpmmacros", "%_dbpath " + ImageDatabasePath + "\n", cancellationToken).ConfigureAwait(false);
            environment["HOME"] = home;
            Log.RpmDatabasePathOverridden(context.Logger, hostPath, ImageDatabasePath);
        }

        return environment;
    }

    /// <summary>Adds a pass's <c>#ENV:A=1 B=2#</c> words to <paramref name="baseEnvironment"/>.</summary>
    /// <exception cref="ArgumentException">A word is not <c>NAME=value</c>.</exception>
    internal static Dictionary<string, string> PassEnvironment(IReadOnlyDictionary<string, string> baseEnvironment, PackagePass pass)
    {
        var environment = new Dictionary<string, string>(baseEnvironment, StringComparer.Ordinal);
        foreach (var word in pass.Environment.SelectMany(text => text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)))
        {
            var equals = word.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                throw new ArgumentException($"#ENV:{string.Join(' ', pass.Environment)}# of pass {pass.Number}: '{word}' is not NAME=value.", nameof(pass));
            }

            environment[word[..equals]] = word[(equals + 1)..];
        }

        return environment;
    }

    /// <summary>Whether <paramref name="architecture"/> (an osarch) is not the host's; i?86 counts as x86, as in rh/genimage.</summary>
    internal static bool IsForeignArchitecture(string architecture)
    {
        var host = RuntimeInformation.OSArchitecture switch
        {
            Architecture.X64 => "x86_64",
            Architecture.X86 => "x86",
            Architecture.Arm64 => "aarch64",
            Architecture.Ppc64le => "ppc64le",
            Architecture.S390x => "s390x",
            _ => null,
        };
        var image = architecture.Length == 4 && architecture[0] == 'i' && architecture.EndsWith("86", StringComparison.Ordinal) ? "x86" : architecture;
        return host is not null && !string.Equals(host, image, StringComparison.Ordinal);
    }

    internal static bool IsOnPath(PackageInstallContext context, string program)
    {
        var path = System.Environment.GetEnvironmentVariable("PATH") ?? "/usr/sbin:/usr/bin:/sbin:/bin";
        return path.Split(':', StringSplitOptions.RemoveEmptyEntries).Any(directory => context.FileSystem.File.Exists(directory.TrimEnd('/') + "/" + program));
    }

    private static bool IsStandardDatabasePath(string path) =>
        path is ImageDatabasePath or "/usr/lib/sysimage/rpm" or "/var/lib/rpm/" or "/usr/lib/sysimage/rpm/";

    private static async Task<string?> HostDatabasePathAsync(PackageInstallContext context, CancellationToken cancellationToken)
    {
        try
        {
            var output = await context.Runner.QueryAsync(new BuildCommand("rpm", ["--eval", "%_dbpath"]), cancellationToken).ConfigureAwait(false);
            var path = output.Trim();
            return path.Length == 0 ? null : path;
        }
        catch (InvalidOperationException)
        {
            // No host rpm to ask: the package manager will fail with its own message.
            return null;
        }
    }
}
