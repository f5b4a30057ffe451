namespace Xcat.Imaging.Building.Layout;

/// <summary>The distribution families genimage builds for, each with its own worker in xCAT's <c>share/xcat/netboot</c>.</summary>
public enum DistributionFamily
{
    /// <summary>Red Hat Enterprise Linux and its rebuilds and relatives (CentOS, Rocky, Alma, Oracle, Scientific, Fedora): yum or dnf.</summary>
    RedHat,

    /// <summary>SUSE Linux Enterprise Server and openSUSE Leap: zypper.</summary>
    Suse,

    /// <summary>Debian: debootstrap and apt-get.</summary>
    Debian,

    /// <summary>Ubuntu: debootstrap and apt-get.</summary>
    Ubuntu,
}
