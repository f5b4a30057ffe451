using Xunit;

namespace Xcat.Imaging.TestKit;

/// <summary>A fact that needs Linux (the kernel's system calls, /proc, xattrs): skipped, not passed, elsewhere.</summary>
public sealed class LinuxFactAttribute : FactAttribute
{
    /// <summary>Sets <see cref="FactAttribute.Skip"/> when the process does not run on Linux.</summary>
    public LinuxFactAttribute()
    {
        if (!OperatingSystem.IsLinux())
        {
            Skip = "needs Linux";
        }
    }
}
