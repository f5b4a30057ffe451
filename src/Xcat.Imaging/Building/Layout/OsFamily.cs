namespace Xcat.Imaging.Building.Layout;

/// <summary>
/// Classifies an osvers the way xCAT's <c>genimage.pm</c> picks its worker directory: the osvers without digits and
/// dots names the family (<c>rh*</c> is Red Hat, <c>sles..sp..</c> and <c>leap15*</c> are SUSE).
/// </summary>
public static class OsFamily
{
    // The netboot/<dir> workers that are symlinks to rh/genimage, plus the SUSE names.
    private static readonly Dictionary<string, DistributionFamily> Families = new(StringComparer.Ordinal)
    {
        ["centos"] = DistributionFamily.RedHat,
        ["rocky"] = DistributionFamily.RedHat,
        ["alma"] = DistributionFamily.RedHat,
        ["ol"] = DistributionFamily.RedHat,
        ["SL"] = DistributionFamily.RedHat,
        ["fedora"] = DistributionFamily.RedHat,
        ["sles"] = DistributionFamily.Suse,
        ["suse"] = DistributionFamily.Suse,
        ["opensuse"] = DistributionFamily.Suse,
        ["leap"] = DistributionFamily.Suse,
        ["debian"] = DistributionFamily.Debian,
        ["ubuntu"] = DistributionFamily.Ubuntu,
    };

    /// <summary>Gets the family of <paramref name="osVersion"/>, e.g. <c>rhels9.4</c>, <c>rocky9.3</c>, <c>sles15.5</c>, <c>debian12</c>.</summary>
    /// <param name="osVersion">The image's osvers.</param>
    /// <returns>The family.</returns>
    /// <exception cref="ArgumentException">The osvers is empty or names no family genimage knows; the message names it.</exception>
    public static DistributionFamily Classify(string osVersion)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(osVersion);

        // genimage.pm: digits, dots and spaces removed; "leap15" then falls to "leap".
        var family = new string([.. osVersion.Where(c => !char.IsAsciiDigit(c) && c != '.' && c != ' ')]);
        if (family.Contains("rh", StringComparison.Ordinal))
        {
            return DistributionFamily.RedHat;
        }

        if (family.Contains("sles", StringComparison.Ordinal))
        {
            return DistributionFamily.Suse;
        }

        return Families.TryGetValue(family, out var known)
            ? known
            : throw new ArgumentException(
                $"The osvers '{osVersion}' names no distribution family genimage supports (rh*, centos, rocky, alma, ol, SL, fedora, sles, leap, opensuse, debian, ubuntu).",
                nameof(osVersion));
    }

    /// <summary>Gets the major release of <paramref name="osVersion"/>: its first run of digits (<c>rhels9.4</c> → <c>9</c>,
    /// <c>sles15.5</c> → <c>15</c>, <c>sles11sp1</c> → <c>11</c>, <c>ubuntu22.04</c> → <c>22</c>).</summary>
    /// <param name="osVersion">The image's osvers.</param>
    /// <returns>The major release, digits only.</returns>
    /// <exception cref="ArgumentException">The osvers holds no digit; the message names it.</exception>
    public static string ReleaseVersion(string osVersion)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(osVersion);
        var start = osVersion.AsSpan().IndexOfAnyInRange('0', '9');
        if (start < 0)
        {
            throw new ArgumentException($"The osvers '{osVersion}' holds no release number.", nameof(osVersion));
        }

        var digits = osVersion.AsSpan(start);
        var end = digits.IndexOfAnyExceptInRange('0', '9');
        return (end < 0 ? digits : digits[..end]).ToString();
    }
}
