namespace Xcat.Imaging.Definitions;

/// <summary>xCAT's standard image name and root image directory (xCAT's Table.pm).</summary>
public static class ImageNaming
{
    /// <summary>
    /// Returns why <paramref name="value"/> cannot be one component of a path, or <see langword="null"/> when it can.
    /// Image names, profiles, OS versions, architectures, provisioning methods and kit names become directory and
    /// file names (<c>&lt;installdir&gt;/netboot/&lt;osvers&gt;/&lt;osarch&gt;/&lt;profile&gt;</c>), so none of them may
    /// hold a <c>/</c>, be <c>.</c> or <c>..</c>, be empty or hold a control character. Every catalog write and every
    /// definition check applies this one rule.
    /// </summary>
    /// <param name="value">The value to check.</param>
    /// <returns>A phrase such as <c>contains '/'</c>, or <see langword="null"/>.</returns>
    public static string? PathComponentProblem(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return "is empty";
        }

        if (value is "." or "..")
        {
            return $"is '{value}'";
        }

        if (value.Contains('/', StringComparison.Ordinal))
        {
            return "contains '/'";
        }

        foreach (var c in value)
        {
            if (char.IsControl(c))
            {
                return $"contains the control character U+{(int)c:X4}";
            }
        }

        return null;
    }

    /// <summary>Returns the standard image name <c>&lt;osvers&gt;-&lt;osarch&gt;-&lt;provmethod&gt;-&lt;profile&gt;</c>.</summary>
    /// <param name="osVersion">The OS version, such as <c>rhels9.4</c>.</param>
    /// <param name="osArch">The architecture, such as <c>x86_64</c>.</param>
    /// <param name="provisioningMethod">The provisioning method.</param>
    /// <param name="profile">The profile, such as <c>compute</c>.</param>
    /// <returns>A name such as <c>rhels9.4-x86_64-netboot-compute</c>.</returns>
    /// <exception cref="ArgumentException">A part is empty.</exception>
    public static string StandardName(string osVersion, string osArch, ProvisioningMethod provisioningMethod, string profile)
    {
        ArgumentException.ThrowIfNullOrEmpty(osVersion);
        ArgumentException.ThrowIfNullOrEmpty(osArch);
        ArgumentException.ThrowIfNullOrEmpty(profile);
        return $"{osVersion}-{osArch}-{ProvisioningMethodNames.ToName(provisioningMethod)}-{profile}";
    }

    /// <summary>
    /// Returns the standard root image directory <c>&lt;installdir&gt;/netboot/&lt;osvers&gt;/&lt;osarch&gt;/&lt;profile&gt;</c>,
    /// shared by the netboot and statelite images of the same OS, architecture and profile.
    /// </summary>
    /// <param name="installDirectory">The install directory, such as <c>/install</c>.</param>
    /// <param name="osVersion">The OS version.</param>
    /// <param name="osArch">The architecture.</param>
    /// <param name="profile">The profile.</param>
    /// <returns>A POSIX path such as <c>/install/netboot/rhels9.4/x86_64/compute</c>.</returns>
    /// <exception cref="ArgumentException">A part is empty.</exception>
    public static string StandardRootImageDirectory(string installDirectory, string osVersion, string osArch, string profile)
    {
        ArgumentException.ThrowIfNullOrEmpty(installDirectory);
        ArgumentException.ThrowIfNullOrEmpty(osVersion);
        ArgumentException.ThrowIfNullOrEmpty(osArch);
        ArgumentException.ThrowIfNullOrEmpty(profile);
        var root = installDirectory.Length > 1 ? installDirectory.TrimEnd('/') : installDirectory;
        return $"{root}/netboot/{osVersion}/{osArch}/{profile}".Replace("//", "/", StringComparison.Ordinal);
    }
}
